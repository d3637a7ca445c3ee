-- Example analysis for BI users (compiled by dbt, not materialised): CSAT by wait bucket and
-- channel together (analysis_csat_by_factor shows one factor at a time). Same population and
-- bucket edges as the mart: CSAT responses attributed to an interaction, lower edges inclusive.
with

int_csat_driver_responses as (
    select * from {{ ref('int_csat_driver_responses') }}
),

counts as (
    select
        channel,
        wait_bucket,
        {{ survey_kpi_counts() }}
    from int_csat_driver_responses
    group by channel, wait_bucket
),

final as (
    select
        channel,
        wait_bucket,
        csat_responses,
        csat_satisfied,
        {{ safe_divide('csat_satisfied', 'csat_responses') }} as csat_rate
    from counts
)

select * from final
order by channel, wait_bucket
