-- Open intervals of every business schedule (spec calendars.md, "Business time"), one row per
-- schedule and opening period, in UTC, over the dates of int_business_calendar_bounds:
--   1. each local date of each schedule gets its day type: a `holiday` (closed), a `workday`
--      (make-up day, 调休: the hours of weekday workday_as) or a regular day (its own weekday's
--      hours); a row of business_calendar for the schedule wins over an every-schedule row;
--   2. that weekday's opening periods [open_time, close_time) become local wall-clock intervals;
--      overlapping or touching periods of one day are merged;
--   3. both boundaries are converted to UTC in the schedule's zone (wall_clock_to_utc: a time
--      skipped by a spring-forward jump maps to the jump, so a non-existent opening hour has no
--      length; a repeated time maps to its first occurrence), and empty intervals are dropped;
--   4. a running sum of interval lengths per schedule gives the business time elapsed before
--      each interval: business time between two instants is a difference of that running sum
--      (int_business_clock), and a due instant is where it reaches a target
--      (int_business_due_buckets). No ticket x calendar cross join anywhere.
with

business_schedules as (
    select * from {{ ref('business_schedules') }}
),

business_calendar as (
    select * from {{ ref('business_calendar') }}
),

int_business_calendar_bounds as (
    select * from {{ ref('int_business_calendar_bounds') }}
),

schedule_hours as (
    -- invalid rows are reported by tests/calendars/business_schedules_valid.sql (the build stops)
    select
        schedule_id,
        weekday,
        {{ time_of_day_seconds('open_time') }} as open_second,
        {{ time_of_day_seconds('close_time') }} as close_second
    from business_schedules
),

schedules as (
    -- empty time_zone = the reporting zone; one zone per schedule (tested on the seed)
    select
        schedule_id,
        coalesce(
            max(nullif({{ hotline.trim_text('time_zone') }}, '')),
            {{ hotline.timezone_literal('reporting_timezone') }}
        ) as time_zone
    from business_schedules
    group by schedule_id
),

local_dates as (
    select date_day as local_date
    from {{ hotline.date_spine('int_business_calendar_bounds', 'first_date', 'last_date') }} as spine
),

schedule_days as (
    select
        schedules.schedule_id,
        schedules.time_zone,
        local_dates.local_date
    from schedules
    cross join local_dates
),

day_types as (
    select
        schedule_days.schedule_id,
        schedule_days.time_zone,
        schedule_days.local_date,
        coalesce(specific_day.day_type, every_schedule_day.day_type, 'regular') as day_type,
        case
            when specific_day.day_type is not null then specific_day.workday_as
            else every_schedule_day.workday_as
        end as workday_as
    from schedule_days
    left join business_calendar as specific_day
        on
            schedule_days.schedule_id = specific_day.schedule_id
            and schedule_days.local_date = specific_day.calendar_date
    left join business_calendar as every_schedule_day
        on
            every_schedule_day.schedule_id is null
            and schedule_days.local_date = every_schedule_day.calendar_date
),

day_weekdays as (
    -- whose hours a day keeps: none on a holiday
    select
        schedule_id,
        time_zone,
        local_date,
        day_type,
        case
            when day_type = 'workday' then coalesce(workday_as, 1)
            when day_type = 'regular' then {{ iso_weekday('local_date') }}
        end as hours_weekday
    from day_types
    where day_type <> 'holiday'
),

local_periods as (
    select
        day_weekdays.schedule_id,
        day_weekdays.time_zone,
        day_weekdays.local_date,
        day_weekdays.day_type,
        day_weekdays.hours_weekday,
        {{ add_seconds('cast(day_weekdays.local_date as timestamp)', 'schedule_hours.open_second') }}
            as open_local_at,
        {{ add_seconds('cast(day_weekdays.local_date as timestamp)', 'schedule_hours.close_second') }}
            as close_local_at
    from day_weekdays
    inner join schedule_hours
        on
            day_weekdays.schedule_id = schedule_hours.schedule_id
            and day_weekdays.hours_weekday = schedule_hours.weekday
    where
        schedule_hours.open_second < schedule_hours.close_second
        and schedule_hours.close_second <= 86400
),

period_islands as (
    -- a period starts a new island unless an earlier period of the day reaches its opening
    select
        *,
        case
            when
                max(close_local_at) over (
                    partition by schedule_id, local_date
                    order by open_local_at, close_local_at
                    rows between unbounded preceding and 1 preceding
                ) >= open_local_at
                then 0
            else 1
        end as starts_island
    from local_periods
),

numbered_islands as (
    select
        *,
        sum(starts_island) over (
            partition by schedule_id, local_date
            order by open_local_at, close_local_at
            rows between unbounded preceding and current row
        ) as island_seq
    from period_islands
),

merged_periods as (
    select
        schedule_id,
        time_zone,
        local_date,
        day_type,
        hours_weekday,
        min(open_local_at) as open_local_at,
        max(close_local_at) as close_local_at
    from numbered_islands
    group by schedule_id, time_zone, local_date, day_type, hours_weekday, island_seq
),

utc_periods as (
    select
        *,
        {{ wall_clock_to_utc('open_local_at', 'time_zone') }} as open_from_at,
        {{ wall_clock_to_utc('close_local_at', 'time_zone') }} as open_until_at
    from merged_periods
),

lengths as (
    select
        *,
        {{ epoch_microseconds('open_until_at') }} - {{ epoch_microseconds('open_from_at') }} as open_microseconds
    from utc_periods
    where open_until_at > open_from_at
),

running as (
    select
        *,
        coalesce(sum(open_microseconds) over (
            partition by schedule_id
            order by open_from_at
            rows between unbounded preceding and 1 preceding
        ), 0) as business_microseconds_before
    from lengths
),

final as (
    select
        schedule_id,
        time_zone,
        local_date,
        day_type,
        hours_weekday,
        open_local_at,
        close_local_at,
        open_from_at,
        open_until_at,
        open_microseconds,
        business_microseconds_before,
        business_microseconds_before + open_microseconds as business_microseconds_after
    from running
)

select * from final
