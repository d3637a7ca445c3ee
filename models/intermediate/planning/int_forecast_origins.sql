{%- set training_days = 7 * hotline.checked_var('forecast_training_weeks') -%}
{%- set backtest_days = 7 * hotline.checked_var('forecast_backtest_weeks') -%}
{%- set horizon_days = hotline.checked_var('forecast_horizon_days') -%}
-- The forecast origins, one row per queue and origin date (spec "Forecast"):
--   * the as_of date itself (is_backtest = false): the published forecast, for the
--     var forecast_horizon_days local days after it;
--   * each of the var forecast_backtest_weeks x 7 days before it (is_backtest = true): the
--     rolling-origin backtest of kpi_forecast_accuracy, horizons 1 to 7 days.
-- Each origin learns from the var forecast_training_weeks x 7 local days ending with it, and
-- only from queues that had offered legs in that window (and only from the queue's first day
-- with offered legs on, so the days before a new queue existed are not read as zeros).
with

int_forecast_interval_history as (
    select * from {{ ref('int_forecast_interval_history') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

origin_offsets as (
    select n as days_before_as_of
    from {{ hotline.integer_series(backtest_days + 1) }} as series
),

origin_dates as (
    select
        origin_offsets.days_before_as_of > 0 as is_backtest,
        cast({{ dbt.dateadd('day', '-1 * origin_offsets.days_before_as_of',
            hotline.planning_as_of_date('int_data_watermark.as_of')) }} as date) as origin_date
    from origin_offsets
    cross join int_data_watermark
    where int_data_watermark.as_of is not null
),

origin_windows as (
    select
        is_backtest,
        origin_date,
        cast({{ dbt.dateadd('day', 1 - training_days, 'origin_date') }} as date) as window_start_date,
        case when is_backtest then 7 else {{ horizon_days }} end as max_horizon_days
    from origin_dates
),

queue_first_dates as (
    select
        queue_id,
        min(report_date) as first_date
    from int_forecast_interval_history
    where offered > 0
    group by queue_id
),

queues_in_window as (
    select distinct
        int_forecast_interval_history.queue_id,
        origin_windows.origin_date
    from int_forecast_interval_history
    inner join origin_windows
        on
            int_forecast_interval_history.report_date >= origin_windows.window_start_date
            and int_forecast_interval_history.report_date <= origin_windows.origin_date
    where int_forecast_interval_history.offered > 0
),

training_windows as (
    select
        queues_in_window.queue_id,
        origin_windows.origin_date,
        origin_windows.is_backtest,
        origin_windows.max_horizon_days,
        origin_windows.origin_date as training_end_date,
        queue_first_dates.first_date as queue_first_date,
        -- the training window, clipped to the queue's first day with offered legs
        case
            when queue_first_dates.first_date > origin_windows.window_start_date
                then queue_first_dates.first_date
            else origin_windows.window_start_date
        end as training_start_date
    from queues_in_window
    inner join origin_windows
        on queues_in_window.origin_date = origin_windows.origin_date
    inner join queue_first_dates
        on queues_in_window.queue_id = queue_first_dates.queue_id
),

training_totals as (
    -- the queue's handle time and patience over the whole training window: the AHT used where
    -- an interval has no answered leg, and Erlang A's mean patience (spec: total wait of
    -- offered legs / abandoned legs over the training window)
    select
        training_windows.queue_id,
        training_windows.origin_date,
        sum(int_forecast_interval_history.answered) as answered,
        sum(int_forecast_interval_history.abandoned) as abandoned,
        sum(int_forecast_interval_history.handle_seconds_sum) as handle_seconds_sum,
        sum(int_forecast_interval_history.offered_wait_seconds_sum) as offered_wait_seconds_sum
    from training_windows
    inner join int_forecast_interval_history
        on
            training_windows.queue_id = int_forecast_interval_history.queue_id
            and training_windows.training_start_date <= int_forecast_interval_history.report_date
            and training_windows.training_end_date >= int_forecast_interval_history.report_date
    group by training_windows.queue_id, training_windows.origin_date
),

final as (
    select
        training_windows.*,
        {{ hotline.safe_divide('training_totals.handle_seconds_sum', 'training_totals.answered') }}
            as training_aht_seconds,
        {{ hotline.safe_divide('training_totals.offered_wait_seconds_sum', 'training_totals.abandoned') }}
            as training_patience_seconds
    from training_windows
    inner join training_totals
        on
            training_windows.queue_id = training_totals.queue_id
            and training_windows.origin_date = training_totals.origin_date
)

select * from final
