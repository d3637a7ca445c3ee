-- Index of the open intervals by cumulative business time, for due instants (spec calendars.md:
-- "the instant at which the target's business minutes after created_at are used up"). A goal
-- g = clock(created_at) + target (microseconds of business time) is used up inside the open
-- interval with business_microseconds_before < g <= business_microseconds_after, at
-- open_from_at + (g - business_microseconds_before); g equal to an interval's end is its
-- closing time, not the next opening. Each interval is listed under every one-hour bucket of
-- cumulative business time it spans, so the lookup joins on (schedule, bucket of g) and checks
-- the bounds on a handful of rows (no range join over all intervals).
with

int_business_open_intervals as (
    select * from {{ ref('int_business_open_intervals') }}
),

bucketed as (
    select
        int_business_open_intervals.schedule_id,
        {{ business_due_bucket('int_business_open_intervals.business_microseconds_before') }}
        + bucket_offsets.n as due_bucket,
        int_business_open_intervals.open_from_at,
        int_business_open_intervals.open_until_at,
        int_business_open_intervals.business_microseconds_before,
        int_business_open_intervals.business_microseconds_after
    from int_business_open_intervals
    cross join {{ integer_series(business_due_bucket_span()) }} as bucket_offsets
),

final as (
    select
        schedule_id,
        due_bucket,
        open_from_at,
        open_until_at,
        business_microseconds_before,
        business_microseconds_after
    from bucketed
    where due_bucket <= {{ business_due_bucket('business_microseconds_after') }}
)

select * from final
