-- Example analysis for BI users (compiled by dbt, not materialised; reads only published
-- marts, so the same SQL runs on serving.duckdb once refs are replaced by table names): one
-- intervention's effect on average wait, week by week from its start date, for the treated
-- queue and its control queues, pooled from numerators and denominators (never an average of
-- daily rates). Change the intervention id; for another leg KPI swap the two sums.
{%- set intervention_id = 'demo_tech_extra_shift' %}
with

analysis_intervention_effects as (
    select * from {{ ref('analysis_intervention_effects') }}
    where intervention_id = '{{ intervention_id }}' and kpi_name = 'avg_wait_seconds'
),

kpi_queue_daily as (
    select * from {{ ref('kpi_queue_daily') }}
),

queue_days as (
    select
        kpi_queue_daily.report_date,
        kpi_queue_daily.offered_wait_seconds_sum,
        kpi_queue_daily.offered,
        case
            when kpi_queue_daily.queue_id = analysis_intervention_effects.scope_id then 'treated'
            else 'control'
        end as group_name,
        {{ dbt.datediff('analysis_intervention_effects.start_date', 'kpi_queue_daily.report_date', 'day') }}
            as day_index
    from kpi_queue_daily
    inner join analysis_intervention_effects
        on
            kpi_queue_daily.queue_id = analysis_intervention_effects.scope_id
            or {{ dbt.position(
                dbt.concat(["';'", 'kpi_queue_daily.queue_id', "';'"]),
                dbt.concat(["';'", 'analysis_intervention_effects.control_queue_ids', "';'"])) }} > 0
    where
        kpi_queue_daily.report_date >= analysis_intervention_effects.pre_start_date
        and kpi_queue_daily.report_date <= analysis_intervention_effects.post_end_date
),

weekly as (
    select
        group_name,
        -- week 0 is the first week of the change
        floor(day_index / 7.0) as weeks_from_start,
        min(report_date) as first_date,
        sum(offered_wait_seconds_sum) as wait_seconds_sum,
        sum(offered) as offered
    from queue_days
    group by group_name, floor(day_index / 7.0)
),

final as (
    select
        weeks_from_start,
        first_date,
        group_name,
        wait_seconds_sum,
        offered,
        {{ safe_divide('wait_seconds_sum', 'offered') }} as avg_wait_seconds
    from weekly
)

select * from final
order by weeks_from_start, group_name
