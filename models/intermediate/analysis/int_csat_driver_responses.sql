-- CSAT responses attributed to an interaction, with that interaction's factors (grain:
-- response_id): the population of analysis_csat_by_factor and, inside the training window,
-- of the driver regression. The training window is the var forecast_training_weeks x 7 local
-- days ending on the local date of as_of (the data watermark), the spec's "training window".
{%- set training_weeks = hotline.checked_var('forecast_training_weeks') %}
with

int_survey_responses as (
    select * from {{ ref('int_survey_responses') }}
),

int_interaction_factors as (
    select * from {{ ref('int_interaction_factors') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

as_of_date as (
    select {{ hotline.local_date('as_of') }} as as_of_date
    from int_data_watermark
),

final as (
    select
        int_survey_responses.response_id,
        int_survey_responses.interaction_id,
        int_survey_responses.report_date,
        int_survey_responses.survey_type,
        int_survey_responses.score,
        int_survey_responses.issue_resolved,
        -- satisfied (score >= 4) as int_survey_responses defines it
        int_survey_responses.is_csat_satisfied as is_satisfied,
        int_interaction_factors.channel,
        int_interaction_factors.is_transferred,
        coalesce(int_interaction_factors.is_repeat, false) as is_repeat,
        int_interaction_factors.total_wait_seconds,
        int_interaction_factors.total_handle_seconds,
        int_interaction_factors.total_wait_seconds / 60.0 as wait_minutes,
        int_interaction_factors.total_handle_seconds / 60.0 as handle_minutes,
        int_interaction_factors.wait_bucket,
        int_interaction_factors.handle_bucket,
        coalesce(
            int_survey_responses.report_date <= as_of_date.as_of_date
            and int_survey_responses.report_date
            > cast({{ dbt.dateadd('day', -7 * training_weeks, 'as_of_date.as_of_date') }} as date),
            false
        ) as is_in_training_window
    from int_survey_responses
    inner join int_interaction_factors
        on int_survey_responses.interaction_id = int_interaction_factors.interaction_id
    cross join as_of_date
    where int_survey_responses.survey_type = 'csat'
)

select * from final
