-- The business clock of each queue that keeps hours (seed queue_schedules): the segments of its
-- schedule's clock (int_business_clock), keyed by queue, so a contact leg finds whether its
-- queue was open with one equality join on (queue, UTC date). Queues without a row here are
-- always open (spec calendars.md, "Contacts").
with

queue_schedules as (
    select * from {{ ref('queue_schedules') }}
),

int_business_clock as (
    select * from {{ ref('int_business_clock') }}
),

final as (
    select
        queue_schedules.queue_id,
        int_business_clock.schedule_id,
        int_business_clock.clock_date,
        int_business_clock.segment_start_at,
        int_business_clock.segment_end_at,
        int_business_clock.open_until_at
    from queue_schedules
    inner join int_business_clock
        on queue_schedules.schedule_id = int_business_clock.schedule_id
)

select * from final
