-- One row per status change of a ticket, in order, with the instant the next change ends it.
-- "Status at time t" (spec) is the to_status of the last change at or before t, `new` before
-- any; later models turn these rows into open-status spells for the backlog.
with

stg_ticketing__ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

status_changes as (
    -- a status_changed event without a new value changes nothing
    select
        event_id,
        ticket_id,
        occurred_at as changed_at,
        from_value,
        to_value as to_status
    from stg_ticketing__ticket_events
    where
        event_type = 'status_changed'
        and to_value is not null
),

ordered as (
    -- ties on the same instant are ordered by event_id so the result is reproducible
    select
        *,
        row_number() over (partition by ticket_id order by changed_at, event_id) as change_seq,
        lag(to_status) over (partition by ticket_id order by changed_at, event_id) as previous_to_status,
        lead(changed_at) over (partition by ticket_id order by changed_at, event_id) as next_changed_at
    from status_changes
),

final as (
    select
        event_id,
        ticket_id,
        change_seq,
        changed_at,
        next_changed_at,
        -- the event's own from_value is the source's word; when missing, the status before it
        coalesce(from_value, previous_to_status, 'new') as from_status,
        to_status,
        to_status not in {{ ticket_resolved_statuses() }} as is_open_status,
        to_status = 'solved' as is_solve,
        (
            coalesce(from_value, previous_to_status, 'new') = 'solved'
            and to_status in ('new', 'open', 'pending')
        ) as is_reopen
    from ordered
)

select * from final
