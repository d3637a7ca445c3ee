-- The date range the business calendars are laid out over (spec calendars.md: "over the data's
-- date range plus the SLA horizon"): from the earliest instant a leg, ticket or ticket event
-- needs a clock for, through as_of plus var business_time_horizon_days, so the due instant of
-- any ticket created by as_of is found. Two days of margin on each side cover every UTC offset
-- (schedules are laid out in local dates, the clock in UTC dates). One row; null dates when
-- there is no data.
{%- set horizon_days = hotline.checked_var('business_time_horizon_days') %}
{%- if horizon_days is not number or horizon_days != horizon_days | int
    or horizon_days < 1 or horizon_days > 3660 %}
    {{ exceptions.raise_compiler_error(
        "var business_time_horizon_days must be a whole number of days from 1 to 3660, got "
        ~ horizon_days) }}
{%- endif %}
with

stg_telephony__contacts as (
    select * from {{ ref('stg_telephony__contacts') }}
),

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

stg_ticketing__ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

earliest_instants as (
    select min(initiated_at) as earliest_at from stg_telephony__contacts
    union all
    select min(enqueued_at) from stg_telephony__contacts
    union all
    select min(created_at) from stg_ticketing__tickets
    union all
    select min(occurred_at) from stg_ticketing__ticket_events
),

earliest as (
    select min(earliest_at) as earliest_at
    from earliest_instants
),

final as (
    select
        cast({{ dbt.dateadd('day', -2, 'earliest.earliest_at') }} as date) as first_date,
        cast({{ dbt.dateadd('day', (horizon_days | int) + 2, 'int_data_watermark.as_of') }} as date)
            as last_date
    from earliest
    cross join int_data_watermark
)

select * from final
