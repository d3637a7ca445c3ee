-- The business clock of every schedule as a lookup table: each UTC date of the calendar range is
-- cut into segments, each either closed or starting with an open part, so any instant t falls in
-- exactly one segment of its (schedule, UTC date) — an equality key, so joining millions of
-- instants costs a hash join, not a range join against every interval. For an instant t in a
-- segment, the business time the schedule has been open since the start of the range is
--     business_microseconds_before + (least(t, open_until_at) - segment_start_at)
-- (macro business_clock_microseconds), and "t is in an open interval" is t < open_until_at.
-- Business time between a and b = clock(b) - clock(a) (spec calendars.md: the overlap of [a, b)
-- with the open intervals).
with

business_schedules as (
    select * from {{ ref('business_schedules') }}
),

int_business_open_intervals as (
    select * from {{ ref('int_business_open_intervals') }}
),

int_business_calendar_bounds as (
    select * from {{ ref('int_business_calendar_bounds') }}
),

utc_dates as (
    select date_day as clock_date
    from {{ hotline.date_spine('int_business_calendar_bounds', 'first_date', 'last_date') }} as spine
),

schedules as (
    -- every configured schedule, also one that is never open (its clock then stands still)
    select distinct schedule_id
    from business_schedules
    where schedule_id is not null
),

day_starts as (
    -- one closed segment from each midnight (UTC) to the day's first opening
    select
        schedules.schedule_id,
        utc_dates.clock_date,
        cast(utc_dates.clock_date as timestamp) as segment_start_at,
        cast(utc_dates.clock_date as timestamp) as open_until_at,
        0 as row_kind,
        cast(null as bigint) as business_microseconds_before,
        cast(null as bigint) as business_microseconds_after
    from schedules
    cross join utc_dates
),

interval_days as (
    -- the UTC dates an open interval touches (an interval is at most 25 hours long)
    {%- set first_date = 'cast(int_business_open_intervals.open_from_at as date)' %}
    select
        int_business_open_intervals.*,
        cast({{ dbt.dateadd('day', 'day_offsets.n', first_date) }} as date) as clock_date
    from int_business_open_intervals
    cross join {{ integer_series(3) }} as day_offsets
),

open_pieces as (
    -- the part of an open interval inside one UTC date
    select
        schedule_id,
        clock_date,
        open_from_at,
        case
            when open_from_at > cast(clock_date as timestamp) then open_from_at
            else cast(clock_date as timestamp)
        end as segment_start_at,
        case
            when open_until_at < {{ dbt.dateadd('day', 1, 'cast(clock_date as timestamp)') }} then open_until_at
            else {{ dbt.dateadd('day', 1, 'cast(clock_date as timestamp)') }}
        end as open_until_at,
        business_microseconds_before
    from interval_days
),

pieces as (
    select
        schedule_id,
        clock_date,
        segment_start_at,
        open_until_at,
        1 as row_kind,
        business_microseconds_before
        + {{ epoch_microseconds('segment_start_at') }}
        - {{ epoch_microseconds('open_from_at') }} as business_microseconds_before
    from open_pieces
    where open_until_at > segment_start_at
),

segment_starts as (
    select
        schedule_id,
        clock_date,
        segment_start_at,
        open_until_at,
        row_kind,
        business_microseconds_before,
        business_microseconds_before
        + {{ epoch_microseconds('open_until_at') }}
        - {{ epoch_microseconds('segment_start_at') }} as business_microseconds_after
    from pieces

    union all

    select
        schedule_id,
        clock_date,
        segment_start_at,
        open_until_at,
        row_kind,
        business_microseconds_before,
        business_microseconds_after
    from day_starts
),

ordered as (
    -- a midnight row carries the business time of every piece before it (0 before the first)
    select
        schedule_id,
        clock_date,
        segment_start_at,
        open_until_at,
        row_kind,
        coalesce(
            business_microseconds_before,
            max(business_microseconds_after) over (
                partition by schedule_id
                order by segment_start_at, row_kind
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as business_microseconds_before,
        coalesce(
            lead(segment_start_at) over (
                partition by schedule_id, clock_date
                order by segment_start_at, row_kind
            ),
            {{ dbt.dateadd('day', 1, 'cast(clock_date as timestamp)') }}
        ) as segment_end_at
    from segment_starts
),

final as (
    select
        schedule_id,
        clock_date,
        segment_start_at,
        segment_end_at,
        open_until_at,
        cast(business_microseconds_before as bigint) as business_microseconds_before
    from ordered
    where segment_end_at > segment_start_at
)

select * from final
