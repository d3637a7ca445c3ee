-- Example analysis for BI users (compiled by dbt, not materialised; reads only published
-- marts): CSAT by wait bucket and channel together (analysis_csat_by_factor shows one factor
-- at a time). Same population and buckets as the mart: CSAT responses attributed to an
-- interaction, the interaction's total queue wait, lower bucket edges inclusive.
with

fct_survey_responses as (
    select * from {{ ref('fct_survey_responses') }}
    where survey_type = 'csat' and interaction_id is not null
),

fct_customer_contacts as (
    select * from {{ ref('fct_customer_contacts') }}
),

fct_contacts as (
    select * from {{ ref('fct_contacts') }}
),

interaction_waits as (
    select
        interaction_id,
        coalesce(sum(case when is_offered then wait_seconds end), 0.0) as total_wait_seconds
    from fct_contacts
    group by interaction_id
),

responses as (
    select
        fct_survey_responses.survey_type,
        fct_survey_responses.score,
        fct_survey_responses.issue_resolved,
        fct_customer_contacts.channel,
        {{ wait_bucket('coalesce(interaction_waits.total_wait_seconds, 0.0)') }} as wait_bucket
    from fct_survey_responses
    inner join fct_customer_contacts
        on fct_survey_responses.interaction_id = fct_customer_contacts.interaction_id
    left join interaction_waits
        on fct_survey_responses.interaction_id = interaction_waits.interaction_id
),

counts as (
    select
        channel,
        wait_bucket,
        {{ survey_kpi_counts() }}
    from responses
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
