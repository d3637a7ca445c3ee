-- One row per survey response (spec "Surveys"), dated by the local date of responded_at and
-- attributed once here so every mart that carries survey KPIs agrees:
--   * with a contact_id: the handling queue and agent of the interaction the surveyed leg
--     belongs to (the last answered leg of a transferred chain), channel = the interaction's;
--   * with only a ticket_id: the ticket's assignee, no queue, channel = the ticket's source.
-- Free text (comment) and customer identifiers are deliberately not carried.
with

stg_survey__responses as (
    select * from {{ ref('stg_survey__responses') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

int_interactions as (
    select * from {{ ref('int_interactions') }}
),

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

contact_attribution as (
    select
        int_contact_legs.contact_id,
        int_interactions.interaction_id,
        int_interactions.handling_queue_id,
        int_interactions.handling_agent_id,
        int_interactions.channel
    from int_contact_legs
    inner join int_interactions
        on int_contact_legs.interaction_id = int_interactions.interaction_id
    -- only surveyed legs: keeps the nightly cost proportional to the responses, not to the
    -- whole contact history (DECISIONS.md, "Incremental nightly")
    where int_contact_legs.contact_id in (select surveyed.contact_id from stg_survey__responses as surveyed)
),

attributed as (
    select
        stg_survey__responses.response_id,
        stg_survey__responses.survey_type,
        stg_survey__responses.responded_at,
        stg_survey__responses.sent_at,
        stg_survey__responses.score,
        stg_survey__responses.issue_resolved,
        stg_survey__responses.contact_id,
        stg_survey__responses.ticket_id,
        stg_survey__responses.channel as survey_channel,
        contact_attribution.interaction_id,
        -- the ticket path never has a queue: a ticket's assigned group is not an ACD queue
        contact_attribution.handling_queue_id as queue_id,
        case
            when stg_survey__responses.contact_id is not null then 'contact'
            when stg_survey__responses.ticket_id is not null then 'ticket'
        end as attributed_via,
        case
            when stg_survey__responses.contact_id is not null then contact_attribution.handling_agent_id
            else stg_ticketing__tickets.assignee_agent_id
        end as agent_id,
        case
            when stg_survey__responses.contact_id is not null then contact_attribution.channel
            else stg_ticketing__tickets.source_channel
        end as channel
    from stg_survey__responses
    left join contact_attribution
        on stg_survey__responses.contact_id = contact_attribution.contact_id
    -- the ticket's columns are only read when the response has no contact_id (see the case
    -- expressions above); a plain equi-join keeps this a hash join (with a "contact_id is
    -- null" condition in the ON clause DuckDB plans a blockwise nested-loop join, quadratic)
    left join stg_ticketing__tickets
        on stg_survey__responses.ticket_id = stg_ticketing__tickets.ticket_id
),

final as (
    select
        response_id,
        survey_type,
        {{ local_date('responded_at') }} as report_date,
        responded_at,
        cast(score as double) as score,
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
        coalesce(survey_type = 'csat' and score >= 4, false) as is_csat_satisfied,
        coalesce(survey_type = 'nps' and score >= 9, false) as is_nps_promoter,
        coalesce(survey_type = 'nps' and score > 6 and score < 9, false) as is_nps_passive,
        coalesce(survey_type = 'nps' and score <= 6, false) as is_nps_detractor,
        -- +100 promoter, 0 passive, -100 detractor: the mean over NPS responses is the NPS,
        -- with passives in the denominator only
        case
            when survey_type <> 'nps' then null
            when score >= 9 then 100
            when score <= 6 then -100
            else 0
        end as nps_points
    from attributed
)

select * from final
