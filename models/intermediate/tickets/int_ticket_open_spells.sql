-- Backlog spells: one row per stretch of time a ticket sits in an open status (not
-- solved/closed), expressed in local days, so the daily backlog is a running sum of
-- +1 (spell starts) and -1 (spell ends) instead of a ticket x date cross join.
--
-- A ticket is in the backlog at the end of local day D when it was created before the
-- day's end E = local_to_utc(D + 1 00:00) and its status then is open, where "status then"
-- is the last change strictly before E (a change exactly at midnight belongs to the next
-- day). For a spell that starts at instant a and ends at instant b (the next change),
-- "a < E <= b" is the same as "local_date(a) <= D < local_date(b)": the spell covers the
-- local days [start_date, end_date). Spells that open and close on the same local day
-- never reach a day's end and are dropped.
with

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

int_ticket_status_history as (
    select * from {{ ref('int_ticket_status_history') }}
),

first_changes as (
    select
        ticket_id,
        changed_at as first_changed_at
    from int_ticket_status_history
    where change_seq = 1
),

segments as (
    -- before its first change a ticket is `new`
    select
        stg_ticketing__tickets.ticket_id,
        0 as segment_seq,
        'new' as status,
        true as is_open_status,
        cast(null as timestamp) as segment_start_at,
        first_changes.first_changed_at as segment_end_at
    from stg_ticketing__tickets
    left join first_changes
        on stg_ticketing__tickets.ticket_id = first_changes.ticket_id

    union all

    select
        ticket_id,
        change_seq as segment_seq,
        to_status as status,
        is_open_status,
        changed_at as segment_start_at,
        next_changed_at as segment_end_at
    from int_ticket_status_history
),

open_segments as (
    -- a ticket is only in the backlog from its creation on
    select
        segments.ticket_id,
        segments.segment_seq,
        segments.status,
        segments.segment_end_at as spell_end_at,
        case
            when
                segments.segment_start_at is null
                or segments.segment_start_at < stg_ticketing__tickets.created_at
                then stg_ticketing__tickets.created_at
            else segments.segment_start_at
        end as spell_start_at
    from segments
    inner join stg_ticketing__tickets
        on segments.ticket_id = stg_ticketing__tickets.ticket_id
    where
        segments.is_open_status
        and (
            segments.segment_end_at is null
            or segments.segment_end_at > stg_ticketing__tickets.created_at
        )
),

local_days as (
    select
        ticket_id,
        segment_seq,
        status,
        spell_start_at,
        spell_end_at,
        {{ local_date('spell_start_at') }} as start_date,
        {{ local_date('spell_end_at') }} as end_date
    from open_segments
),

final as (
    select
        ticket_id,
        segment_seq,
        status,
        spell_start_at,
        spell_end_at,
        start_date,
        end_date
    from local_days
    where end_date is null or end_date > start_date
)

select * from final
