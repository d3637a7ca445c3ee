-- One row per ticket: its current state (from the tickets extract), response and
-- resolution times derived from the event log, and both SLA statuses judged at the data
-- watermark as_of (never the wall clock, so a rebuild gives the same answer).
-- Business time (spec calendars.md): a ticket whose priority's policy names a schedule has
-- its targets in business minutes of that schedule; due instants, business durations, waits
-- and reply totals come from int_ticket_business_times / int_ticket_clock. Without a
-- schedule the clock is the calendar: business seconds equal calendar seconds.
with

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

stg_ticketing__ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

int_ticket_status_history as (
    select * from {{ ref('int_ticket_status_history') }}
),

sla_policies as (
    select * from {{ ref('sla_policies') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

int_ticket_business_times as (
    select * from {{ ref('int_ticket_business_times') }}
),

int_ticket_clock as (
    select * from {{ ref('int_ticket_clock') }}
),

first_replies as (
    -- only public agent replies answer the customer; internal `comment` events do not
    select
        ticket_id,
        min(occurred_at) as first_response_at
    from stg_ticketing__ticket_events
    where event_type = 'agent_reply'
    group by ticket_id
),

escalations as (
    select
        ticket_id,
        count(*) as escalation_count
    from stg_ticketing__ticket_events
    where event_type = 'escalated'
    group by ticket_id
),

status_summary as (
    select
        ticket_id,
        min(case when is_solve then changed_at end) as first_solved_at,
        max(case when is_solve then changed_at end) as last_solved_at,
        max(case when to_status = 'closed' then changed_at end) as last_closed_at,
        count(case when is_reopen then 1 end) as reopen_count
    from int_ticket_status_history
    group by ticket_id
),

joined as (
    select
        stg_ticketing__tickets.ticket_id,
        stg_ticketing__tickets.created_at,
        coalesce(stg_ticketing__tickets.priority, 'unknown') as priority,
        stg_ticketing__tickets.status,
        stg_ticketing__tickets.source_channel,
        stg_ticketing__tickets.origin_contact_id,
        stg_ticketing__tickets.assignee_agent_id,
        stg_ticketing__tickets.assigned_group,
        stg_ticketing__tickets.category,
        first_replies.first_response_at,
        status_summary.first_solved_at,
        status_summary.last_solved_at,
        -- resolved when the current status is solved/closed; judged on the last solve, or
        -- on the closing time for a ticket closed without ever being solved
        case
            when stg_ticketing__tickets.status in {{ ticket_resolved_statuses() }}
                then coalesce(status_summary.last_solved_at, status_summary.last_closed_at)
        end as resolved_at,
        coalesce(status_summary.reopen_count, 0) as reopen_count,
        coalesce(escalations.escalation_count, 0) as escalation_count,
        sla_policies.first_response_target_minutes,
        sla_policies.resolution_target_minutes,
        int_data_watermark.as_of,
        int_ticket_business_times.schedule_id,
        int_ticket_business_times.requester_wait_seconds,
        int_ticket_business_times.requester_wait_business_seconds,
        int_ticket_business_times.agent_wait_seconds,
        int_ticket_business_times.agent_wait_business_seconds,
        int_ticket_business_times.next_replies,
        int_ticket_business_times.next_reply_seconds_sum,
        int_ticket_business_times.next_reply_business_seconds_sum,
        int_ticket_business_times.first_response_due_at as business_first_response_due_at,
        int_ticket_business_times.resolution_due_at as business_resolution_due_at
    from stg_ticketing__tickets
    left join first_replies
        on stg_ticketing__tickets.ticket_id = first_replies.ticket_id
    left join escalations
        on stg_ticketing__tickets.ticket_id = escalations.ticket_id
    left join status_summary
        on stg_ticketing__tickets.ticket_id = status_summary.ticket_id
    left join sla_policies
        on stg_ticketing__tickets.priority = sla_policies.priority
    cross join int_data_watermark
    left join int_ticket_business_times
        on stg_ticketing__tickets.ticket_id = int_ticket_business_times.ticket_id
),

clock_readings as (
    -- the schedule's business clock at creation, first response and resolution
    select
        joined.*,
        created_clock.business_microseconds_at as created_business_microseconds,
        response_clock.business_microseconds_at as first_response_business_microseconds,
        resolved_clock.business_microseconds_at as resolved_business_microseconds
    from joined
    left join int_ticket_clock as created_clock
        on
            joined.ticket_id = created_clock.ticket_id
            and joined.created_at = created_clock.clock_at
    left join int_ticket_clock as response_clock
        on
            joined.ticket_id = response_clock.ticket_id
            and joined.first_response_at = response_clock.clock_at
    left join int_ticket_clock as resolved_clock
        on
            joined.ticket_id = resolved_clock.ticket_id
            and joined.resolved_at = resolved_clock.clock_at
),

durations as (
    -- a reply or solve stamped before created_at (clock skew between systems) counts as
    -- immediate: durations are floored at 0 so they cannot pull averages below zero
    -- (a case, not greatest(): greatest() skips nulls on some engines and would turn
    -- "not responded" into 0)
    select
        *,
        case
            when first_response_at < created_at then 0
            else {{ seconds_between('created_at', 'first_response_at') }}
        end as first_response_seconds,
        case
            when resolved_at < created_at then 0
            else {{ seconds_between('created_at', 'resolved_at') }}
        end as full_resolution_seconds,
        first_response_target_minutes * 60 as first_response_target_seconds,
        resolution_target_minutes * 60 as resolution_target_seconds
    from clock_readings
),

business_durations as (
    -- on a schedule: the difference of two clock readings, floored at 0 like the calendar
    -- durations; on calendar time: the calendar duration
    select
        *,
        case
            when schedule_id is null then first_response_seconds
            when first_response_at < created_at then 0
            else (first_response_business_microseconds - created_business_microseconds) / 1000000.0
        end as first_response_business_seconds,
        case
            when schedule_id is null then full_resolution_seconds
            when resolved_at < created_at then 0
            else (resolved_business_microseconds - created_business_microseconds) / 1000000.0
        end as full_resolution_business_seconds,
        -- the instant the target is used up: business minutes on a schedule, else calendar
        -- (as double: add_seconds scales to microseconds, which overflows a 32-bit integer)
        case
            when schedule_id is null
                then {{ add_seconds('created_at', 'cast(first_response_target_seconds as double)') }}
            else business_first_response_due_at
        end as first_response_due_at,
        case
            when schedule_id is null
                then {{ add_seconds('created_at', 'cast(resolution_target_seconds as double)') }}
            else business_resolution_due_at
        end as resolution_due_at
    from durations
),

final as (
    select
        ticket_id,
        created_at,
        {{ local_date('created_at') }} as report_date,
        priority,
        status,
        source_channel,
        origin_contact_id,
        assignee_agent_id,
        assigned_group,
        category,
        first_response_at,
        cast(first_response_seconds as double) as first_response_seconds,
        first_solved_at,
        last_solved_at,
        resolved_at,
        cast(full_resolution_seconds as double) as full_resolution_seconds,
        schedule_id,
        cast(first_response_business_seconds as double) as first_response_business_seconds,
        cast(full_resolution_business_seconds as double) as full_resolution_business_seconds,
        cast(requester_wait_seconds as double) as requester_wait_seconds,
        cast(requester_wait_business_seconds as double) as requester_wait_business_seconds,
        cast(agent_wait_seconds as double) as agent_wait_seconds,
        cast(agent_wait_business_seconds as double) as agent_wait_business_seconds,
        cast(next_replies as bigint) as next_replies,
        cast(next_reply_seconds_sum as double) as next_reply_seconds_sum,
        cast(next_reply_business_seconds_sum as double) as next_reply_business_seconds_sum,
        cast(reopen_count as bigint) as reopen_count,
        cast(escalation_count as bigint) as escalation_count,
        status in {{ ticket_resolved_statuses() }} as is_resolved,
        cast(first_response_target_minutes as integer) as first_response_target_minutes,
        cast(resolution_target_minutes as integer) as resolution_target_minutes,
        first_response_due_at,
        resolution_due_at,
        {{ ticket_sla_status_at_due(
            'first_response_at', 'as_of', 'first_response_due_at', 'first_response_target_minutes') }}
            as sla_first_response_status,
        {{ ticket_sla_status_at_due('resolved_at', 'as_of', 'resolution_due_at', 'resolution_target_minutes') }}
            as sla_resolution_status,
        as_of as sla_judged_at
    from business_durations
)

select * from final
