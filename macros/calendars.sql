{#-
  Business calendars (../shared/spec/calendars.md): time-zone conversions with the zone held in
  a column (each schedule has its own IANA zone), local wall-clock boundaries to UTC on
  daylight-saving days, the business clock lookups and the SLA judgement on due instants.
  The engine-specific parts (conversions with the zone in a column, ISO weekday, epoch
  microseconds) are dispatched macros in cross_db.sql. Naive UTC timestamps everywhere.
-#}

{#-
  The UTC instant at which a schedule's local wall-clock boundary `ts_local` is reached: the
  earliest instant whose local time is >= ts_local (DECISIONS.md, "Business calendars").
  * ordinary times: the one instant;
  * a time that does not exist (spring forward, e.g. 02:30 in New York on 2026-03-08): the
    transition instant, so the missing wall-clock time is skipped and an opening hour that
    does not exist has length 0. The transition is found as the conversion of the boundary's
    whole hour, which both engines map to the transition (they read a missing time with the
    offset before the jump); exact for every zone whose jump starts on a whole hour.
  * a time that occurs twice (fall back): its first occurrence. Found by converting with the
    offset in force six hours earlier (before any jump the boundary can be inside of).
-#}
{% macro wall_clock_to_utc(ts_local, time_zone) -%}
    {%- set first_guess = hotline.tz_local_to_utc(ts_local, time_zone) -%}
    {%- set six_hours_earlier = hotline.add_seconds(first_guess, -21600) -%}
    {%- set earlier_offset = hotline.seconds_between(
        six_hours_earlier, hotline.tz_utc_to_local(six_hours_earlier, time_zone)) -%}
    {%- set first_occurrence = hotline.add_seconds(ts_local, '-' ~ earlier_offset) -%}
    case
        when {{ hotline.tz_utc_to_local(first_guess, time_zone) }} <> {{ ts_local }}
            then {{ hotline.tz_local_to_utc(dbt.date_trunc('hour', ts_local), time_zone) }}
        when
            {{ first_occurrence }} < {{ first_guess }}
            and {{ hotline.tz_utc_to_local(first_occurrence, time_zone) }} = {{ ts_local }}
            then {{ first_occurrence }}
        else {{ first_guess }}
    end
{%- endmacro %}

{#-
  Seconds after midnight of a wall-clock time given as text H:MM, HH:MM or HH:MM:SS (24:00
  allowed, meaning the next midnight); null when the text is not such a time.
-#}
{% macro time_of_day_seconds(text) -%}
    {%- set value = hotline.trim_text(text) -%}
    {%- set colons = '(length(' ~ value ~ ') - length(replace(' ~ value ~ ", ':', '')))" -%}
    {%- set hours = hotline.parse_integer('split_part(' ~ value ~ ", ':', 1)") -%}
    {%- set minutes = hotline.parse_integer('split_part(' ~ value ~ ", ':', 2)") -%}
    {%- set seconds = hotline.parse_integer('split_part(' ~ value ~ ", ':', 3)") -%}
    case
        when
            {{ colons }} in (1, 2)
            and length(split_part({{ value }}, ':', 1)) in (1, 2)
            and length(split_part({{ value }}, ':', 2)) = 2
            and ({{ colons }} = 1 or length(split_part({{ value }}, ':', 3)) = 2)
            and {{ hours }} between 0 and 24
            and {{ minutes }} between 0 and 59
            and ({{ colons }} = 1 or {{ seconds }} between 0 and 59)
            then {{ hours }} * 3600 + {{ minutes }} * 60 + (case when {{ colons }} = 2 then {{ seconds }} else 0 end)
    end
{%- endmacro %}

{#-
  Width of the cumulative-business-time buckets that index open intervals for the due-instant
  lookup (an equality key for the join, so no range join against every interval): one hour of
  business time. Open intervals are at most 25 hours (one local day), so an interval spans at
  most 27 buckets; business_due_bucket_span() is that bound.
-#}
{% macro business_due_bucket_microseconds() -%}
    3600000000
{%- endmacro %}
{% macro business_due_bucket_span() -%}
    {{ return(27) }}
{%- endmacro %}

{#- The due bucket of a cumulative business time in microseconds. -#}
{% macro business_due_bucket(microseconds) -%}
    cast(floor({{ microseconds }} / {{ hotline.business_due_bucket_microseconds() }}.0) as bigint)
{%- endmacro %}

{#-
  Join condition for "the business clock segment containing instant `ts`": the clock is split
  into segments per schedule and UTC date, so the join has an equality key (schedule, date)
  and only a handful of candidate rows per key.
-#}
{% macro business_clock_match(clock, schedule_id, ts) -%}
    {{ clock }}.schedule_id = {{ schedule_id }}
    and {{ clock }}.clock_date = cast({{ ts }} as date)
    and {{ clock }}.segment_start_at <= {{ ts }}
    and {{ ts }} < {{ clock }}.segment_end_at
{%- endmacro %}

{#- Business microseconds of the schedule elapsed at `ts` (clock row found with business_clock_match). -#}
{% macro business_clock_microseconds(clock, ts) -%}
    (
        {{ clock }}.business_microseconds_before
        + {{ hotline.epoch_microseconds('least(' ~ ts ~ ', ' ~ clock ~ '.open_until_at)') }}
        - {{ hotline.epoch_microseconds(clock ~ '.segment_start_at') }}
    )
{%- endmacro %}

{#-
  SLA status against a due instant (spec "Tickets", calendars.md): `met` when done at or before
  the due instant (inclusive), `breached` when done later, or not done and as_of is strictly past
  it, `pending` otherwise. No target (priority without a policy) -> null. A due instant that is
  never reached (a schedule with no open time within the horizon) cannot be missed.
-#}
{% macro ticket_sla_status_at_due(done_at, as_of, due_at, target) -%}
    case
        when {{ target }} is null then null
        when {{ done_at }} is not null and ({{ due_at }} is null or {{ done_at }} <= {{ due_at }}) then 'met'
        when {{ done_at }} is not null then 'breached'
        when {{ due_at }} is not null and {{ as_of }} > {{ due_at }} then 'breached'
        else 'pending'
    end
{%- endmacro %}

{#- Offered legs that arrived while their queue was closed (rows of int_contact_legs). -#}
{% macro offered_out_of_hours_count() -%}
    cast(sum({{ hotline.flag('is_offered and not is_offered_in_hours') }}) as bigint)
{%- endmacro %}

{#- Ticket statuses whose time is requester wait (the customer waits on the center) / agent wait. -#}
{% macro requester_wait_statuses() -%}
    ('new', 'open')
{%- endmacro %}
{% macro agent_wait_statuses() -%}
    ('pending')
{%- endmacro %}
