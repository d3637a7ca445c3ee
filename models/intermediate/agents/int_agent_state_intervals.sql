{#-
  Agent-state time split at local midnight and at local interval boundaries.

  Boundaries are built in UTC: each local day's start and end are local midnights converted
  to UTC, and its intervals are interval_minutes steps from the day's UTC start, cut at the
  day's UTC end. Stepping in UTC (rather than converting every local wall-clock boundary)
  is what keeps the fall-back day right: local 01:00 and 01:30 occur twice that day and a
  local -> UTC conversion can only return one of them. On daylight-saving days a local day
  has 23 or 25 hours, i.e. 46 or 50 half-hour intervals.
-#}
{%- set interval_seconds = hotline.interval_minutes() * 60 -%}
{#- a local day lasts at most 25 hours; 26 leaves room for unusual zones -#}
{%- set max_intervals_per_day = (26 * 3600) // interval_seconds + 1 -%}

{{ config(**hotline.append_after_delete_incremental(
    pre_hook="{% if is_incremental() %}delete from {{ this }} where exists (select 1 from {{ ref('chg_agent_states') }} as changed where changed.agent_id = {{ this }}.agent_id and changed.started_at = {{ this }}.state_started_at){% endif %}",
)) }}
-- depends_on: {{ ref('chg_agent_states') }}
-- Incremental: the states chg_agent_states lists are deleted (pre_hook) and re-split; a
-- state's pieces depend on that state alone and the local days of int_calendar_days.

with

stg_telephony__agent_states as (
    select * from {{ ref('stg_telephony__agent_states') }}
    {% if is_incremental() -%}
        where exists (
            select 1 from {{ ref('chg_agent_states') }} as changed
            where
                changed.agent_id = stg_telephony__agent_states.agent_id
                and changed.started_at = stg_telephony__agent_states.started_at
        )
    {%- endif %}
),

int_calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

agent_states as (
    -- staging quarantines states ending before they start; zero-length states carry no time
    select
        agent_id,
        state,
        started_at,
        ended_at,
        {{ hotline.local_date('started_at') }} as first_report_date,
        {{ hotline.local_date('ended_at') }} as last_report_date
    from stg_telephony__agent_states
    where
        agent_id is not null
        and ended_at > started_at
),

interval_numbers as (
    select n from {{ hotline.integer_series(max_intervals_per_day) }} as series
),

interval_offsets as (
    select
        local_day_bounds.report_date,
        local_day_bounds.day_start_utc,
        local_day_bounds.day_end_utc,
        interval_numbers.n * {{ interval_seconds }} as start_offset_seconds,
        (interval_numbers.n + 1) * {{ interval_seconds }} as end_offset_seconds
    from int_calendar_days as local_day_bounds
    cross join interval_numbers
),

local_intervals as (
    select
        report_date,
        day_end_utc,
        {{ hotline.add_seconds('day_start_utc', 'start_offset_seconds') }} as interval_start_utc,
        {{ hotline.add_seconds('day_start_utc', 'end_offset_seconds') }} as next_interval_start_utc
    from interval_offsets
),

day_intervals as (
    -- the last interval of a day ends at the day's end (local midnight)
    select
        report_date,
        interval_start_utc,
        least(next_interval_start_utc, day_end_utc) as interval_end_utc,
        {{ hotline.interval_start_local(hotline.to_local('interval_start_utc')) }} as interval_start
    from local_intervals
    where interval_start_utc < day_end_utc
),

state_days as (
    select
        agent_states.agent_id,
        agent_states.state,
        agent_states.started_at,
        agent_states.ended_at,
        local_days.report_date
    from agent_states
    inner join int_calendar_days as local_days
        on
            agent_states.first_report_date <= local_days.report_date
            and agent_states.last_report_date >= local_days.report_date
),

state_pieces as (
    select
        state_days.agent_id,
        state_days.state,
        state_days.started_at as state_started_at,
        state_days.ended_at as state_ended_at,
        state_days.report_date,
        day_intervals.interval_start,
        day_intervals.interval_start_utc,
        greatest(state_days.started_at, day_intervals.interval_start_utc) as piece_started_at,
        least(state_days.ended_at, day_intervals.interval_end_utc) as piece_ended_at
    from state_days
    inner join day_intervals
        on
            state_days.report_date = day_intervals.report_date
            and state_days.ended_at > day_intervals.interval_start_utc
            and state_days.started_at < day_intervals.interval_end_utc
),

final as (
    select
        agent_id,
        state,
        state_started_at,
        state_ended_at,
        piece_started_at,
        piece_ended_at,
        report_date,
        interval_start,
        interval_start_utc,
        {{ hotline.seconds_between('piece_started_at', 'piece_ended_at') }} as seconds,
        state <> 'offline' as is_logged_in,
        -- the dbt invocation that (re)built the row (downstream picks up changes by it)
        '{{ invocation_id }}' as _changed_in
    from state_pieces
)

select * from final
