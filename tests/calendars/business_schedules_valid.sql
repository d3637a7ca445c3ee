-- Seed business_schedules (spec calendars.md): every opening period must parse as H:MM, HH:MM or HH:MM:SS,
-- open before it closes, close no later than 24:00, and a schedule must keep one time zone.
-- Returns the offending rows; int_business_open_intervals skips rows that fail here.
with

business_schedules as (
    select * from {{ ref('business_schedules') }}
),

parsed as (
    select
        schedule_id,
        weekday,
        open_time,
        close_time,
        time_zone,
        {{ time_of_day_seconds('open_time') }} as open_second,
        {{ time_of_day_seconds('close_time') }} as close_second
    from business_schedules
),

bad_periods as (
    select
        schedule_id,
        'bad opening period ' || coalesce(open_time, 'null') || '-' || coalesce(close_time, 'null') as problem
    from parsed
    where
        open_second is null
        or close_second is null
        or open_second >= 86400
        or close_second > 86400
        or open_second >= close_second
),

zones as (
    select
        schedule_id,
        'several time zones' as problem
    from business_schedules
    group by schedule_id
    having count(distinct coalesce(nullif(trim(time_zone), ''), '(reporting zone)')) > 1
),

final as (
    select * from bad_periods
    union all
    select * from zones
)

select * from final
