-- Leg counts per queue and interval (the leg-count definition of kpi_queue_interval,
-- macros/metrics/contact_metrics.sql): the series the volume anomaly detector and the
-- forecast read.
with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

final as (
    select
        queue_id,
        report_date,
        interval_start,
        interval_start_utc,
        {{ hotline.interval_end_utc('interval_start_utc') }} as interval_end_utc,
        {{ hotline.contact_leg_counts() }}
    from int_contact_legs
    where is_offered and queue_id is not null
    group by queue_id, report_date, interval_start, interval_start_utc
)

select * from final
