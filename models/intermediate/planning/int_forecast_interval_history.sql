-- Offered volume and handle time per queue and completed local interval: what a forecast may
-- learn from (spec "Forecast"). Read from int_queue_interval_volumes so offered and AHT keep
-- their one definition (macros/metrics/contact_metrics.sql). An interval counts only once it has ended by the
-- data watermark: a half-filled current interval is not a low-volume one.
with

int_queue_interval_volumes as (
    select * from {{ ref('int_queue_interval_volumes') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

completed as (
    select
        int_queue_interval_volumes.queue_id,
        int_queue_interval_volumes.report_date,
        int_queue_interval_volumes.interval_start_utc,
        int_queue_interval_volumes.interval_start,
        int_queue_interval_volumes.offered,
        int_queue_interval_volumes.answered,
        int_queue_interval_volumes.abandoned,
        int_queue_interval_volumes.handle_seconds_sum,
        int_queue_interval_volumes.offered_wait_seconds_sum
    from int_queue_interval_volumes
    cross join int_data_watermark
    where int_queue_interval_volumes.interval_end_utc <= int_data_watermark.as_of
),

final as (
    select
        queue_id,
        report_date,
        interval_start_utc,
        interval_start,
        {{ hotline.planning_weekday('report_date') }} as day_of_week,
        {{ hotline.planning_slot_minute('interval_start') }} as slot_minute,
        offered,
        answered,
        abandoned,
        handle_seconds_sum,
        offered_wait_seconds_sum
    from completed
)

select * from final
