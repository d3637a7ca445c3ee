-- The business clock reading of every instant a business-time ticket measure needs, for the
-- tickets whose SLA runs on a schedule (int_ticket_schedules): its creation, the watermark
-- as_of, and its replies and status changes. business_microseconds_at is the business time the
-- schedule has been open since the start of the calendar range (int_business_clock), so the
-- business seconds between two instants of a ticket are a difference of two readings.
-- Tickets on calendar time have no rows: their business time is their calendar time.
with

int_ticket_schedules as (
    select * from {{ ref('int_ticket_schedules') }}
),

stg_ticketing__ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

int_business_clock as (
    select * from {{ ref('int_business_clock') }}
),

scheduled_tickets as (
    select
        ticket_id,
        schedule_id,
        created_at
    from int_ticket_schedules
    where schedule_id is not null
),

instants as (
    select
        ticket_id,
        schedule_id,
        created_at as clock_at
    from scheduled_tickets

    union

    select
        scheduled_tickets.ticket_id,
        scheduled_tickets.schedule_id,
        int_data_watermark.as_of as clock_at
    from scheduled_tickets
    cross join int_data_watermark

    union

    select
        scheduled_tickets.ticket_id,
        scheduled_tickets.schedule_id,
        stg_ticketing__ticket_events.occurred_at as clock_at
    from stg_ticketing__ticket_events
    inner join scheduled_tickets
        on stg_ticketing__ticket_events.ticket_id = scheduled_tickets.ticket_id
    where stg_ticketing__ticket_events.event_type in ('agent_reply', 'customer_reply', 'status_changed')
),

final as (
    select
        instants.ticket_id,
        instants.schedule_id,
        instants.clock_at,
        {{ business_clock_microseconds('int_business_clock', 'instants.clock_at') }} as business_microseconds_at,
        instants.clock_at < int_business_clock.open_until_at as is_open_at
    from instants
    inner join int_business_clock
        on {{ business_clock_match('int_business_clock', 'instants.schedule_id', 'instants.clock_at') }}
)

select * from final
