-- CSAT by factor level (spec "Drivers of satisfaction and resolution"), grain factor x level:
-- csat_responses, csat_satisfied and csat_rate of the CSAT responses attributed to an
-- interaction, for each level of wait_bucket, transferred, repeat, channel and handle_bucket.
-- Every level has a row, with 0 responses and a null rate when nobody fell into it. Counts
-- use survey_kpi_counts() (score >= 4 satisfied), levels macros/analysis_metrics.sql.
{%- set factors = ['wait_bucket', 'transferred', 'repeat', 'channel', 'handle_bucket'] %}
with

int_csat_driver_responses as (
    select * from {{ ref('int_csat_driver_responses') }}
),

int_interaction_factors as (
    select * from {{ ref('int_interaction_factors') }}
),

levels as (
    {{ hotline.factor_levels(factors, 'int_interaction_factors') }}
),

response_levels as (
    {{ hotline.factor_rows('int_csat_driver_responses', factors, ['survey_type', 'score', 'issue_resolved']) }}
),

counts as (
    select
        factor,
        level,
        {{ hotline.survey_kpi_counts() }}
    from response_levels
    group by factor, level
),

final as (
    select
        levels.factor,
        levels.level,
        cast(coalesce(counts.csat_responses, 0) as bigint) as csat_responses,
        cast(coalesce(counts.csat_satisfied, 0) as bigint) as csat_satisfied,
        {{ hotline.safe_divide('counts.csat_satisfied', 'counts.csat_responses') }} as csat_rate,
        cast(levels.level_order as integer) as level_order
    from levels
    left join counts
        on
            levels.factor = counts.factor
            and levels.level = counts.level
)

select * from final
