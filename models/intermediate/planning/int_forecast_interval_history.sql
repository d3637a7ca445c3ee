-- Offered volume and handle time per queue and completed local interval: what a forecast may
-- learn from (spec "Forecast"). Read from kpi_queue_interval so offered and AHT keep their one
-- definition (macros/contact_metrics.sql). An interval counts only once it has ended by the
-- data watermark: a half-filled current interval is not a low-volume one.
with

kpi_queue_interval as (
    select * from {{ ref('kpi_queue_interval') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

completed as (
    select
        kpi_queue_interval.queue_id,
        kpi_queue_interval.report_date,
        kpi_queue_interval.interval_start_utc,
        kpi_queue_interval.interval_start,
        kpi_queue_interval.offered,
        kpi_queue_interval.answered,
        kpi_queue_interval.abandoned,
        kpi_queue_interval.handle_seconds_sum,
        kpi_queue_interval.offered_wait_seconds_sum
    from kpi_queue_interval
    cross join int_data_watermark
    where kpi_queue_interval.interval_end_utc <= int_data_watermark.as_of
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
