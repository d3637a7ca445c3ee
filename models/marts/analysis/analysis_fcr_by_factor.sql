-- First-contact resolution by factor level (spec "Drivers of satisfaction and resolution"),
-- grain factor x level: fcr_eligible, fcr_resolved and fcr_rate over FCR-eligible
-- interactions, for each level of wait_bucket, transferred, channel and handle_bucket. Every
-- level has a row (0 and a null rate when empty). Counts and rate: interaction_kpi_counts() /
-- interaction_kpi_rates() (fcr_resolved counts is_fcr, provisional or final).
{%- set factors = ['wait_bucket', 'transferred', 'channel', 'handle_bucket'] %}
with

int_interaction_factors as (
    select * from {{ ref('int_interaction_factors') }}
),

eligible as (
    select * from int_interaction_factors
    where fcr_eligible
),

levels as (
    {{ hotline.factor_levels(factors, 'int_interaction_factors') }}
),

interaction_levels as (
    {{ hotline.factor_rows('eligible', factors, hotline.fcr_factor_columns()) }}
),

counts as (
    select
        factor,
        level,
        {{ hotline.interaction_kpi_counts() }}
    from interaction_levels
    group by factor, level
),

coalesced as (
    select
        levels.factor,
        levels.level,
        {% for column in hotline.interaction_kpi_count_columns() -%}
            {{ hotline.coalesce_additive('counts', column) }} as {{ column }},
        {% endfor -%}
        levels.level_order
    from levels
    left join counts
        on
            levels.factor = counts.factor
            and levels.level = counts.level
),

rates as (
    select
        *,
        {{ hotline.interaction_kpi_rates(include_ivr=false) }}
    from coalesced
),

final as (
    select
        factor,
        level,
        fcr_eligible,
        fcr_resolved,
        fcr_rate,
        cast(level_order as integer) as level_order
    from rates
)

select * from final
