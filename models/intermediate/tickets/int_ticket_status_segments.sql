-- Every stretch of time a ticket spends in one status, from created_at to the data watermark
-- as_of: status at time t is the to_status of the last change at or before t, `new` before any
-- (spec "Tickets"). Segments are clipped to [created_at, as_of] (a change stamped before the
-- ticket's creation counts from the creation; the current status runs until as_of) and empty
-- segments are dropped. Basis of requester and agent wait (int_ticket_business_times).
with

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

int_ticket_status_history as (
    select * from {{ ref('int_ticket_status_history') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

first_changes as (
    select
        ticket_id,
        changed_at as first_changed_at
    from int_ticket_status_history
    where change_seq = 1
),

segments as (
    select
        stg_ticketing__tickets.ticket_id,
        0 as segment_seq,
        'new' as status,
        stg_ticketing__tickets.created_at as segment_start_at,
        first_changes.first_changed_at as segment_end_at
    from stg_ticketing__tickets
    left join first_changes
        on stg_ticketing__tickets.ticket_id = first_changes.ticket_id

    union all

    select
        ticket_id,
        change_seq as segment_seq,
        to_status as status,
        changed_at as segment_start_at,
        next_changed_at as segment_end_at
    from int_ticket_status_history
),

clipped as (
    select
        segments.ticket_id,
        segments.segment_seq,
        segments.status,
        case
            when segments.segment_start_at < stg_ticketing__tickets.created_at
                then stg_ticketing__tickets.created_at
            else segments.segment_start_at
        end as segment_start_at,
        case
            when segments.segment_end_at is null or segments.segment_end_at > int_data_watermark.as_of
                then int_data_watermark.as_of
            else segments.segment_end_at
        end as segment_end_at,
        segments.segment_end_at is null as is_current
    from segments
    inner join stg_ticketing__tickets
        on segments.ticket_id = stg_ticketing__tickets.ticket_id
    cross join int_data_watermark
),

final as (
    select
        ticket_id,
        segment_seq,
        status,
        segment_start_at,
        segment_end_at,
        is_current,
        {{ seconds_between('segment_start_at', 'segment_end_at') }} as segment_seconds
    from clipped
    where segment_end_at > segment_start_at
)

select * from final
