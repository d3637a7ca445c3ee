-- One row per ticket: its current state (from the tickets extract), response and
-- resolution times derived from the event log, and both SLA statuses judged at the data
-- watermark as_of (never the wall clock, so a rebuild gives the same answer).
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
        int_data_watermark.as_of
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
        {{ seconds_between('created_at', 'as_of') }} as as_of_seconds,
        first_response_target_minutes * 60 as first_response_target_seconds,
        resolution_target_minutes * 60 as resolution_target_seconds
    from joined
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
        cast(reopen_count as bigint) as reopen_count,
        cast(escalation_count as bigint) as escalation_count,
        status in {{ ticket_resolved_statuses() }} as is_resolved,
        cast(first_response_target_minutes as integer) as first_response_target_minutes,
        cast(resolution_target_minutes as integer) as resolution_target_minutes,
        -- as double: add_seconds scales to microseconds, which overflows a 32-bit integer
        {{ add_seconds('created_at', 'cast(first_response_target_seconds as double)') }} as first_response_due_at,
        {{ add_seconds('created_at', 'cast(resolution_target_seconds as double)') }} as resolution_due_at,
        {{ ticket_sla_status('first_response_seconds', 'as_of_seconds', 'first_response_target_seconds') }}
            as sla_first_response_status,
        {{ ticket_sla_status('full_resolution_seconds', 'as_of_seconds', 'resolution_target_seconds') }}
            as sla_resolution_status,
        as_of as sla_judged_at
    from durations
)

select * from final
