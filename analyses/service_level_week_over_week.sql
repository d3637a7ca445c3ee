-- Example analysis for analytics engineers (compiled by dbt, not materialised):
-- each queue's pooled service level per ISO week, from the numerator and denominator
-- columns, never by averaging daily rates.
with

kpi_queue_daily as (
    select * from {{ ref('kpi_queue_daily') }}
),

weekly as (
    select
        queue_id,
        {{ dbt.date_trunc('week', 'report_date') }} as week_start,
        sum(service_level_numerator) as answered_within_sl,
        sum(service_level_denominator) as service_level_base
    from kpi_queue_daily
    group by queue_id, {{ dbt.date_trunc('week', 'report_date') }}
),

final as (
    select
        queue_id,
        week_start,
        answered_within_sl,
        service_level_base,
        {{ safe_divide('answered_within_sl', 'service_level_base') }} as service_level
    from weekly
)

select * from final
