-- Next reply times (spec calendars.md, "fct_ticket_replies"). Grain: one customer message that
-- an agent reply follows (ticket_id, message_seq; the ticket's creation is message 1), with the
-- time to the next public agent reply in calendar and business time (the ticket's schedule;
-- calendar time without one). Logic: int_ticket_replies.
with

int_ticket_replies as (
    select * from {{ ref('int_ticket_replies') }}
),

final as (
    select
        ticket_id,
        cast(message_seq as bigint) as message_seq,
        is_ticket_creation,
        customer_message_event_id,
        customer_message_at,
        {{ local_date('customer_message_at') }} as report_date,
        next_reply_at,
        schedule_id,
        cast(next_reply_seconds as double) as next_reply_seconds,
        cast(next_reply_business_seconds as double) as next_reply_business_seconds
    from int_ticket_replies
)

select * from final
