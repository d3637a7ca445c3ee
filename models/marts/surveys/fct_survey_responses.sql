-- One row per survey response, published: the attribution and flags of int_survey_responses.
-- Free text (comment) and customer identifiers are deliberately not carried.
with

int_survey_responses as (
    select * from {{ ref('int_survey_responses') }}
),

final as (
    select
        response_id,
        survey_type,
        report_date,
        responded_at,
        score,
        issue_resolved,
        contact_id,
        interaction_id,
        ticket_id,
        queue_id,
        agent_id,
        channel,
        attributed_via,
        survey_channel,
        sent_at,
        is_csat_satisfied,
        is_nps_promoter,
        is_nps_passive,
        is_nps_detractor,
        nps_points
    from int_survey_responses
)

select * from final
