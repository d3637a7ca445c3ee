-- Next reply times (spec calendars.md, "fct_ticket_replies"). Grain: one customer message that
-- an agent reply follows. Customer messages are the ticket's creation (always message 1) and
-- its `customer_reply` events; the reply is the first public `agent_reply` at or after the
-- message (an internal `comment` answers nobody). For the creation that is the ticket's first
-- response, exactly as fct_tickets (a reply stamped before created_at counts, as 0 s). Several
-- customer messages before one reply each get a row, all answered by that reply. Business
-- seconds use the ticket's schedule (int_ticket_clock); on calendar time they equal the
-- calendar seconds.
with

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

stg_ticketing__ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

int_ticket_clock as (
    select * from {{ ref('int_ticket_clock') }}
),

customer_messages as (
    select
        ticket_id,
        created_at as message_at,
        cast(null as {{ dbt.type_string() }}) as event_id,
        true as is_ticket_creation
    from stg_ticketing__tickets

    union all

    select
        stg_ticketing__ticket_events.ticket_id,
        stg_ticketing__ticket_events.occurred_at as message_at,
        stg_ticketing__ticket_events.event_id,
        false as is_ticket_creation
    from stg_ticketing__ticket_events
    inner join stg_ticketing__tickets
        on stg_ticketing__ticket_events.ticket_id = stg_ticketing__tickets.ticket_id
    where stg_ticketing__ticket_events.event_type = 'customer_reply'
),

agent_replies as (
    select
        ticket_id,
        occurred_at as reply_at,
        event_id
    from stg_ticketing__ticket_events
    where event_type = 'agent_reply'
),

first_replies as (
    select
        ticket_id,
        min(reply_at) as first_reply_at
    from agent_replies
    group by ticket_id
),

timeline as (
    -- at the same instant a customer message sorts before an agent reply: that reply answers it
    select
        ticket_id,
        message_at as happened_at,
        0 as kind_order,
        event_id,
        is_ticket_creation,
        cast(null as timestamp) as reply_at
    from customer_messages

    union all

    select
        ticket_id,
        reply_at as happened_at,
        1 as kind_order,
        event_id,
        false as is_ticket_creation,
        reply_at
    from agent_replies
),

next_replies as (
    select
        ticket_id,
        happened_at,
        kind_order,
        event_id,
        is_ticket_creation,
        min(reply_at) over (
            partition by ticket_id
            order by happened_at, kind_order, event_id
            rows between current row and unbounded following
        ) as next_agent_reply_at
    from timeline
),

answered_messages as (
    select
        next_replies.ticket_id,
        next_replies.is_ticket_creation,
        next_replies.event_id as customer_message_event_id,
        next_replies.happened_at as customer_message_at,
        row_number() over (
            partition by next_replies.ticket_id
            order by
                case when next_replies.is_ticket_creation then 0 else 1 end,
                next_replies.happened_at,
                next_replies.event_id
        ) as message_seq,
        case
            when next_replies.is_ticket_creation then first_replies.first_reply_at
            else next_replies.next_agent_reply_at
        end as next_reply_at
    from next_replies
    left join first_replies
        on next_replies.ticket_id = first_replies.ticket_id
    where next_replies.kind_order = 0
),

final as (
    select
        answered_messages.ticket_id,
        answered_messages.message_seq,
        answered_messages.is_ticket_creation,
        answered_messages.customer_message_event_id,
        answered_messages.customer_message_at,
        answered_messages.next_reply_at,
        message_clock.schedule_id,
        case
            when answered_messages.next_reply_at < answered_messages.customer_message_at then 0
            else {{ seconds_between('answered_messages.customer_message_at', 'answered_messages.next_reply_at') }}
        end as next_reply_seconds,
        case
            when answered_messages.next_reply_at < answered_messages.customer_message_at then 0
            when message_clock.ticket_id is null
                then {{ seconds_between('answered_messages.customer_message_at', 'answered_messages.next_reply_at') }}
            else (reply_clock.business_microseconds_at - message_clock.business_microseconds_at) / 1000000.0
        end as next_reply_business_seconds
    from answered_messages
    left join int_ticket_clock as message_clock
        on
            answered_messages.ticket_id = message_clock.ticket_id
            and answered_messages.customer_message_at = message_clock.clock_at
    left join int_ticket_clock as reply_clock
        on
            answered_messages.ticket_id = reply_clock.ticket_id
            and answered_messages.next_reply_at = reply_clock.clock_at
    where answered_messages.next_reply_at is not null
)

select * from final
