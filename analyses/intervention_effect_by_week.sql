-- Example analysis for BI users (compiled by dbt, not materialised): one intervention's effect
-- on one KPI week by week, treated against control, pooled from numerators and denominators
-- (never an average of daily rates). Change the two values below to adapt it.
{%- set intervention_id = 'demo_tech_extra_shift' %}
{%- set kpi_name = 'avg_wait_seconds' %}
with

int_intervention_daily as (
    select * from {{ ref('int_intervention_daily') }}
    where intervention_id = '{{ intervention_id }}' and kpi_name = '{{ kpi_name }}'
),

weekly as (
    select
        group_name,
        -- weeks counted from the start date: week 0 is the first week of the change
        floor(day_index / 7.0) as weeks_from_start,
        min(report_date) as first_date,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from int_intervention_daily
    group by group_name, floor(day_index / 7.0)
),

final as (
    select
        weeks_from_start,
        first_date,
        group_name,
        numerator,
        denominator,
        {{ safe_divide('numerator', 'denominator') }} as kpi_value
    from weekly
)

select * from final
order by weeks_from_start, group_name
