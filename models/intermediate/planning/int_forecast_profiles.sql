{%- set training_days = 7 * hotline.checked_var('forecast_training_weeks') -%}
-- The forecast model (DECISIONS.md, "Forecast method"): per queue, origin, weekday and local
-- time-of-day slot,
--   level  = median of the weekday's daily offered totals over the training window's
--            complete days (a holiday or an outage week is one low value among several and
--            does not move a median; no trend term, so a holiday is never read as a trend);
--   share  = the slot's offered legs / the weekday's offered legs, pooled over the same days
--            (ratio of sums: every week's intraday pattern counts, weighted by its volume);
--   aht    = handle seconds / answered legs of that weekday and slot, pooled.
-- forecast offered = level x share. On history that repeats exactly every week, level is
-- that day's total, share the slot's part of it and aht the slot's AHT: the forecast repeats
-- the history exactly.
with

int_forecast_origins as (
    select * from {{ ref('int_forecast_origins') }}
),

int_forecast_interval_history as (
    select * from {{ ref('int_forecast_interval_history') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

day_offsets as (
    select n as days_before_origin
    from {{ hotline.integer_series(training_days) }} as series
),

training_days as (
    -- every local day of the window, complete by the watermark (a day with no legs is a 0)
    select
        int_forecast_origins.queue_id,
        int_forecast_origins.origin_date,
        cast(
            {{ dbt.dateadd('day', '-1 * day_offsets.days_before_origin', 'int_forecast_origins.origin_date') }} as date
        ) as report_date
    from int_forecast_origins
    cross join day_offsets
),

complete_training_days as (
    select
        training_days.queue_id,
        training_days.origin_date,
        training_days.report_date,
        {{ hotline.planning_weekday('training_days.report_date') }} as day_of_week
    from training_days
    inner join int_forecast_origins
        on
            training_days.queue_id = int_forecast_origins.queue_id
            and training_days.origin_date = int_forecast_origins.origin_date
    cross join int_data_watermark
    where
        training_days.report_date >= int_forecast_origins.training_start_date
        and {{ hotline.planning_day_end_utc('training_days.report_date') }} <= int_data_watermark.as_of
),

training_intervals as (
    select
        complete_training_days.queue_id,
        complete_training_days.origin_date,
        complete_training_days.report_date,
        complete_training_days.day_of_week,
        int_forecast_interval_history.slot_minute,
        int_forecast_interval_history.offered,
        int_forecast_interval_history.answered,
        int_forecast_interval_history.handle_seconds_sum
    from complete_training_days
    inner join int_forecast_interval_history
        on
            complete_training_days.queue_id = int_forecast_interval_history.queue_id
            and complete_training_days.report_date = int_forecast_interval_history.report_date
),

day_totals as (
    select
        complete_training_days.queue_id,
        complete_training_days.origin_date,
        complete_training_days.report_date,
        complete_training_days.day_of_week,
        coalesce(sum(training_intervals.offered), 0) as offered
    from complete_training_days
    left join training_intervals
        on
            complete_training_days.queue_id = training_intervals.queue_id
            and complete_training_days.origin_date = training_intervals.origin_date
            and complete_training_days.report_date = training_intervals.report_date
    group by
        complete_training_days.queue_id,
        complete_training_days.origin_date,
        complete_training_days.report_date,
        complete_training_days.day_of_week
),

weekday_levels as (
    select
        queue_id,
        origin_date,
        day_of_week,
        count(*) as training_days,
        sum(offered) as weekday_offered,
        {{ hotline.median('cast(offered as double)') }} as level_offered
    from day_totals
    group by queue_id, origin_date, day_of_week
),

slot_sums as (
    select
        queue_id,
        origin_date,
        day_of_week,
        slot_minute,
        sum(offered) as offered,
        sum(answered) as answered,
        sum(handle_seconds_sum) as handle_seconds_sum
    from training_intervals
    group by queue_id, origin_date, day_of_week, slot_minute
),

final as (
    select
        slot_sums.queue_id,
        slot_sums.origin_date,
        slot_sums.day_of_week,
        slot_sums.slot_minute,
        weekday_levels.training_days,
        weekday_levels.level_offered,
        {{ hotline.safe_divide('slot_sums.offered', 'weekday_levels.weekday_offered') }} as slot_share,
        {{ hotline.safe_divide('slot_sums.handle_seconds_sum', 'slot_sums.answered') }} as slot_aht_seconds
    from slot_sums
    inner join weekday_levels
        on
            slot_sums.queue_id = weekday_levels.queue_id
            and slot_sums.origin_date = weekday_levels.origin_date
            and slot_sums.day_of_week = weekday_levels.day_of_week
)

select * from final
