{%- set horizon_days = hotline.checked_var('forecast_horizon_days') -%}
-- Forecast offered volume and handle time per queue, origin and target interval (spec
-- "Forecast"): the published forecast (origin = the as_of date, the var
-- forecast_horizon_days days after it) and the backtest forecasts (each origin of the last
-- var forecast_backtest_weeks weeks, horizons 1-7, only for target days that are complete by
-- the watermark and whose week-earlier day the queue already had: the seasonal-naive
-- forecast must exist for the comparison to be fair). Target intervals are the local day's
-- reporting intervals (46 or 50 on daylight-saving days); an interval whose weekday and slot
-- had no legs in training is forecast 0, and an interval without an AHT of its own uses the
-- queue's AHT over the training window.
with

int_forecast_origins as (
    select * from {{ ref('int_forecast_origins') }}
),

int_forecast_profiles as (
    select * from {{ ref('int_forecast_profiles') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

horizon_numbers as (
    select n + 1 as horizon_days
    from {{ hotline.integer_series(horizon_days + 7) }} as series
),

target_days as (
    select
        int_forecast_origins.queue_id,
        int_forecast_origins.origin_date,
        int_forecast_origins.is_backtest,
        int_forecast_origins.queue_first_date,
        int_forecast_origins.training_aht_seconds,
        horizon_numbers.horizon_days,
        cast({{ dbt.dateadd('day', 'horizon_numbers.horizon_days', 'int_forecast_origins.origin_date') }} as date)
            as report_date
    from int_forecast_origins
    inner join horizon_numbers
        on int_forecast_origins.max_horizon_days >= horizon_numbers.horizon_days
),

evaluable_days as (
    -- backtest targets must be complete days with a week-earlier day in the queue's history
    select target_days.*
    from target_days
    cross join int_data_watermark
    where
        not target_days.is_backtest
        or (
            {{ hotline.planning_day_end_utc('target_days.report_date') }} <= int_data_watermark.as_of
            and {{ dbt.dateadd('day', -7, 'target_days.report_date') }} >= target_days.queue_first_date
        )
),

target_intervals as (
    {{ hotline.planning_day_intervals('evaluable_days',
        ['queue_id', 'origin_date', 'is_backtest', 'horizon_days', 'training_aht_seconds']) }}
),

final as (
    select
        target_intervals.queue_id,
        target_intervals.origin_date,
        target_intervals.is_backtest,
        target_intervals.horizon_days,
        target_intervals.report_date,
        target_intervals.interval_start_utc,
        target_intervals.interval_end_utc,
        target_intervals.interval_start,
        coalesce(int_forecast_profiles.level_offered * int_forecast_profiles.slot_share, 0.0) as forecast_offered,
        coalesce(int_forecast_profiles.slot_aht_seconds, target_intervals.training_aht_seconds)
            as forecast_aht_seconds
    from target_intervals
    left join int_forecast_profiles
        on
            target_intervals.queue_id = int_forecast_profiles.queue_id
            and target_intervals.origin_date = int_forecast_profiles.origin_date
            and int_forecast_profiles.day_of_week
            = {{ hotline.planning_weekday('target_intervals.report_date') }}
            and int_forecast_profiles.slot_minute
            = {{ hotline.planning_slot_minute('target_intervals.interval_start') }}
)

select * from final
