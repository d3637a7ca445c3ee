-- Per ticket: the clock its SLA runs on, requester and agent wait, next reply totals, and the
-- SLA due instants in business time (spec calendars.md, "Tickets"). Grain: ticket_id.
--   requester wait = time in `new` or `open` (the customer waits on the center); agent wait =
--   time in `pending` (the center waits on the customer); both up to as_of while the ticket is
--   in that status. Business versions measure the same segments on the ticket's schedule and
--   equal the calendar ones for tickets on calendar time.
--   due instants (tickets on a schedule): the instant at which the target's business minutes
--   after created_at are used up (int_business_due_buckets); null for tickets on calendar time
--   (fct_tickets adds the target to created_at) and when the schedule does not open enough
--   within the calendar horizon.
with

int_ticket_schedules as (
    select * from {{ ref('int_ticket_schedules') }}
),

int_ticket_status_segments as (
    select * from {{ ref('int_ticket_status_segments') }}
),

int_ticket_clock as (
    select * from {{ ref('int_ticket_clock') }}
),

int_ticket_replies as (
    select * from {{ ref('int_ticket_replies') }}
),

int_business_due_buckets as (
    select * from {{ ref('int_business_due_buckets') }}
),

segment_times as (
    select
        int_ticket_status_segments.ticket_id,
        int_ticket_status_segments.status,
        int_ticket_status_segments.segment_seconds,
        case
            when int_ticket_schedules.schedule_id is null then int_ticket_status_segments.segment_seconds
            else (end_clock.business_microseconds_at - start_clock.business_microseconds_at) / 1000000.0
        end as segment_business_seconds
    from int_ticket_status_segments
    inner join int_ticket_schedules
        on int_ticket_status_segments.ticket_id = int_ticket_schedules.ticket_id
    left join int_ticket_clock as start_clock
        on
            int_ticket_status_segments.ticket_id = start_clock.ticket_id
            and int_ticket_status_segments.segment_start_at = start_clock.clock_at
    left join int_ticket_clock as end_clock
        on
            int_ticket_status_segments.ticket_id = end_clock.ticket_id
            and int_ticket_status_segments.segment_end_at = end_clock.clock_at
),

waits as (
    select
        ticket_id,
        sum(case when status in {{ requester_wait_statuses() }} then segment_seconds else 0 end)
            as requester_wait_seconds,
        sum(case when status in {{ requester_wait_statuses() }} then segment_business_seconds else 0 end)
            as requester_wait_business_seconds,
        sum(case when status in {{ agent_wait_statuses() }} then segment_seconds else 0 end)
            as agent_wait_seconds,
        sum(case when status in {{ agent_wait_statuses() }} then segment_business_seconds else 0 end)
            as agent_wait_business_seconds
    from segment_times
    group by ticket_id
),

reply_totals as (
    select
        ticket_id,
        count(*) as next_replies,
        sum(next_reply_seconds) as next_reply_seconds_sum,
        sum(next_reply_business_seconds) as next_reply_business_seconds_sum
    from int_ticket_replies
    group by ticket_id
),

goals as (
    -- business microseconds on the schedule's clock at which each target is used up
    select
        int_ticket_schedules.ticket_id,
        int_ticket_schedules.schedule_id,
        int_ticket_schedules.created_at,
        int_ticket_schedules.first_response_target_minutes,
        int_ticket_schedules.resolution_target_minutes,
        created_clock.business_microseconds_at
        + cast(int_ticket_schedules.first_response_target_minutes as bigint) * 60000000
            as first_response_goal_microseconds,
        created_clock.business_microseconds_at
        + cast(int_ticket_schedules.resolution_target_minutes as bigint) * 60000000
            as resolution_goal_microseconds
    from int_ticket_schedules
    inner join int_ticket_clock as created_clock
        on
            int_ticket_schedules.ticket_id = created_clock.ticket_id
            and int_ticket_schedules.created_at = created_clock.clock_at
    where int_ticket_schedules.schedule_id is not null
),

due_instants as (
    -- a zero target is due at creation (the goal would otherwise match the previous closing)
    select
        goals.ticket_id,
        case
            when goals.first_response_target_minutes = 0 then goals.created_at
            else {{ add_seconds(
                'first_response_interval.open_from_at',
                '(goals.first_response_goal_microseconds - first_response_interval.business_microseconds_before)'
                ~ ' / 1000000.0') }}
        end as first_response_due_at,
        case
            when goals.resolution_target_minutes = 0 then goals.created_at
            else {{ add_seconds(
                'resolution_interval.open_from_at',
                '(goals.resolution_goal_microseconds - resolution_interval.business_microseconds_before)'
                ~ ' / 1000000.0') }}
        end as resolution_due_at
    from goals
    left join int_business_due_buckets as first_response_interval
        on
            goals.schedule_id = first_response_interval.schedule_id
            and {{ business_due_bucket('goals.first_response_goal_microseconds') }}
            = first_response_interval.due_bucket
            and goals.first_response_goal_microseconds > first_response_interval.business_microseconds_before
            and goals.first_response_goal_microseconds <= first_response_interval.business_microseconds_after
    left join int_business_due_buckets as resolution_interval
        on
            goals.schedule_id = resolution_interval.schedule_id
            and {{ business_due_bucket('goals.resolution_goal_microseconds') }} = resolution_interval.due_bucket
            and goals.resolution_goal_microseconds > resolution_interval.business_microseconds_before
            and goals.resolution_goal_microseconds <= resolution_interval.business_microseconds_after
),

final as (
    select
        int_ticket_schedules.ticket_id,
        int_ticket_schedules.schedule_id,
        due_instants.first_response_due_at,
        due_instants.resolution_due_at,
        coalesce(waits.requester_wait_seconds, 0) as requester_wait_seconds,
        coalesce(waits.requester_wait_business_seconds, 0) as requester_wait_business_seconds,
        coalesce(waits.agent_wait_seconds, 0) as agent_wait_seconds,
        coalesce(waits.agent_wait_business_seconds, 0) as agent_wait_business_seconds,
        coalesce(reply_totals.next_replies, 0) as next_replies,
        coalesce(reply_totals.next_reply_seconds_sum, 0) as next_reply_seconds_sum,
        coalesce(reply_totals.next_reply_business_seconds_sum, 0) as next_reply_business_seconds_sum
    from int_ticket_schedules
    left join waits
        on int_ticket_schedules.ticket_id = waits.ticket_id
    left join reply_totals
        on int_ticket_schedules.ticket_id = reply_totals.ticket_id
    left join due_instants
        on int_ticket_schedules.ticket_id = due_instants.ticket_id
)

select * from final
