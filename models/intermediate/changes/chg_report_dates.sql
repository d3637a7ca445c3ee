-- Local report dates whose KPI rows this build recomputes whole (kpi_queue_interval,
-- kpi_queue_daily, kpi_channel_daily, kpi_agent_daily delete and rebuild these dates):
--   * legs rebuilt now (their report and answer dates) and every date their earlier
--     versions touched; the start dates of every leg of a rebuilt interaction (an
--     interaction is dated by its first leg, which may be a leg that did not change);
--   * interactions rewritten now (new, re-chained, repeat/FCR re-decided, FCR finality
--     re-judged at the new as_of);
--   * agent states re-split now, and every date their earlier versions spanned;
--   * survey responses delivered now (and their earlier versions' dates), responses of a
--     rebuilt interaction, and ticket-only responses of a re-delivered ticket;
--   * agent directory snapshots delivered now that were not already delivered unchanged:
--     every date from the snapshot on (the agent's version at day end may change); an
--     agent's first snapshot changes all its dates.
-- A superset is exact: a date that did not change is recomputed to the same rows. Empty on
-- a full build (everything is rebuilt).
with

base_ops__last_build as (
    select * from {{ ref('base_ops__last_build') }}
),

int_calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

chg_contact_leg_versions_before as (
    select * from {{ ref('chg_contact_leg_versions_before') }}
),

chg_interactions as (
    select * from {{ ref('chg_interactions') }}
),

int_interactions as (
    select * from {{ ref('int_interactions') }}
),

chg_agent_states as (
    select * from {{ ref('chg_agent_states') }}
),

base_telephony__agent_states as (
    select * from {{ ref('base_telephony__agent_states') }}
),

int_agent_state_intervals as (
    select * from {{ ref('int_agent_state_intervals') }}
),

base_survey__responses as (
    select * from {{ ref('base_survey__responses') }}
),

int_survey_responses as (
    select * from {{ ref('int_survey_responses') }}
),

base_ticketing__tickets as (
    select * from {{ ref('base_ticketing__tickets') }}
),

stg_telephony__agents as (
    select * from {{ ref('stg_telephony__agents') }}
),

leg_dates as (
    select report_date from int_contact_legs
    where _changed_in = '{{ invocation_id }}'
    union
    select answered_date from int_contact_legs
    where _changed_in = '{{ invocation_id }}'
    union
    select initiated_date from chg_contact_leg_versions_before
    union
    select enqueued_date from chg_contact_leg_versions_before
    union
    select answered_date from chg_contact_leg_versions_before
    union
    select {{ hotline.local_date('int_contact_legs.initiated_at') }}
    from int_contact_legs
    inner join chg_interactions
        on int_contact_legs.interaction_id = chg_interactions.interaction_id
),

interaction_dates as (
    select report_date from int_interactions
    where _changed_in = '{{ invocation_id }}'
),

states_before as (
    -- the earlier versions of the re-split states
    select
        {{ hotline.local_date('base_telephony__agent_states.started_at') }} as first_date,
        {{ hotline.local_date('base_telephony__agent_states.ended_at') }} as last_date
    from base_telephony__agent_states
    cross join base_ops__last_build
    inner join chg_agent_states
        on
            base_telephony__agent_states.agent_id = chg_agent_states.agent_id
            and base_telephony__agent_states.started_at = chg_agent_states.started_at
    where
        base_telephony__agent_states._delivery_seq <= base_ops__last_build.processed_seq
        and base_telephony__agent_states.reject_reason is null
),

agent_state_dates as (
    select report_date from int_agent_state_intervals
    where _changed_in = '{{ invocation_id }}'
    union
    select int_calendar_days.report_date
    from states_before
    inner join int_calendar_days
        on int_calendar_days.report_date between states_before.first_date and states_before.last_date
),

delivered_responses as (
    select distinct base_survey__responses.response_id
    from base_survey__responses
    cross join base_ops__last_build
    where
        base_survey__responses._delivery_seq > base_ops__last_build.processed_seq
        and base_survey__responses.reject_reason is null
),

delivered_tickets as (
    select distinct base_ticketing__tickets.ticket_id
    from base_ticketing__tickets
    cross join base_ops__last_build
    where
        base_ticketing__tickets._delivery_seq > base_ops__last_build.processed_seq
        and base_ticketing__tickets.reject_reason is null
),

survey_dates as (
    select int_survey_responses.report_date
    from int_survey_responses
    inner join delivered_responses
        on int_survey_responses.response_id = delivered_responses.response_id
    union
    select {{ hotline.local_date('base_survey__responses.responded_at') }}
    from base_survey__responses
    inner join delivered_responses
        on base_survey__responses.response_id = delivered_responses.response_id
    where base_survey__responses.reject_reason is null
    union
    select int_survey_responses.report_date
    from int_survey_responses
    inner join chg_interactions
        on int_survey_responses.interaction_id = chg_interactions.interaction_id
    union
    select int_survey_responses.report_date
    from int_survey_responses
    inner join delivered_tickets
        on int_survey_responses.ticket_id = delivered_tickets.ticket_id
    where int_survey_responses.attributed_via = 'ticket'
),

agent_snapshot_rows as (
    select
        stg_telephony__agents.*,
        stg_telephony__agents._delivery_seq > base_ops__last_build.processed_seq as is_new
    from stg_telephony__agents
    cross join base_ops__last_build
),

changed_snapshots as (
    -- a snapshot instant delivered now that earlier deliveries did not already hold with the
    -- same attributes (a directory re-delivered unchanged every night changes nothing)
    select
        delivered.agent_id,
        delivered.snapshot_at
    from agent_snapshot_rows as delivered
    where
        delivered.is_new
        and not exists (
            select 1
            from agent_snapshot_rows as earlier
            where
                not earlier.is_new
                and earlier.agent_id = delivered.agent_id
                and earlier.snapshot_at = delivered.snapshot_at
                and {{ hotline.null_safe_equal_all('earlier', 'delivered',
                    ['agent_name', 'team', 'site', 'hire_date', 'termination_date']) | indent(16) }}
        )
),

changed_agent_starts as (
    select
        agent_id,
        min(snapshot_at) as first_changed_at
    from changed_snapshots
    group by agent_id
),

changed_agents as (
    select
        changed_agent_starts.agent_id,
        {{ hotline.local_date('changed_agent_starts.first_changed_at') }} as changed_from_date,
        -- the agent's first version starts at 1900-01-01: a snapshot before every earlier one
        -- (or the first ever) changes the agent's attributes on all its dates
        not exists (
            select 1 from agent_snapshot_rows as earlier
            where
                not earlier.is_new
                and earlier.agent_id = changed_agent_starts.agent_id
                and earlier.snapshot_at < changed_agent_starts.first_changed_at
        ) as changes_all_dates
    from changed_agent_starts
),

all_dates_agents as (
    select agent_id
    from changed_agents
    where changes_all_dates
),

agent_activity_dates as (
    select int_contact_legs.answered_date as report_date
    from int_contact_legs
    inner join all_dates_agents
        on int_contact_legs.agent_id = all_dates_agents.agent_id
    union
    select int_agent_state_intervals.report_date
    from int_agent_state_intervals
    inner join all_dates_agents
        on int_agent_state_intervals.agent_id = all_dates_agents.agent_id
    union
    select int_interactions.report_date
    from int_interactions
    inner join all_dates_agents
        on int_interactions.handling_agent_id = all_dates_agents.agent_id
    union
    select int_survey_responses.report_date
    from int_survey_responses
    inner join all_dates_agents
        on int_survey_responses.agent_id = all_dates_agents.agent_id
),

agent_version_dates as (
    select int_calendar_days.report_date
    from changed_agents
    inner join int_calendar_days
        on changed_agents.changed_from_date <= int_calendar_days.report_date
    union
    select report_date from agent_activity_dates
),

all_dates as (
    select report_date from leg_dates
    union
    select report_date from interaction_dates
    union
    select report_date from agent_state_dates
    union
    select report_date from survey_dates
    union
    select report_date from agent_version_dates
),

final as (
    select distinct all_dates.report_date
    from all_dates
    cross join base_ops__last_build
    where
        all_dates.report_date is not null
        -- a full build rebuilds every date
        and base_ops__last_build.processed_seq >= 0
)

select * from final
