{#-
  Engine-specific SQL lives here, behind adapter.dispatch, so models stay portable
  (a spark__ implementation can be added without touching a model).
  Conventions: every timestamp in the warehouse is a naive TIMESTAMP in UTC; local
  dates and intervals are derived with var('reporting_timezone').
-#}

{#- Cast that yields null instead of failing (dbt.safe_cast is a plain cast on DuckDB). -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'hotline')(expression, data_type)) }}
{%- endmacro %}
{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- Text from landing: trimmed, empty string = null (landing contract). -#}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- Enumerations are case-insensitive and ignore surrounding whitespace. -#}
{% macro normalize_enum(column) -%}
    lower(nullif(trim({{ column }}), ''))
{%- endmacro %}

{#-
  ISO 8601 text -> naive UTC timestamp (landing contract; DECISIONS.md, "Strict timestamps").
  Accepted, exactly: YYYY-MM-DD, then T or a space, then HH:MM, optionally :SS and a decimal
  fraction of 1 to 9 digits, then optionally an offset Z, +HH:MM, +HHMM or +HH (or -).
  A value with an offset is honoured; one without is local to var('source_timezone').
  Anything else (2026/03/03 21:34, epoch seconds, a date alone, 20260303T2134) -> null, so
  staging quarantines it as unparseable (with the value's shape in reason_detail).
-#}
{% macro iso_timestamp_pattern() -%}
    {{- return('^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$') -}}
{%- endmacro %}

{#- The offset at the end of a value that matches iso_timestamp_pattern(). -#}
{% macro iso_offset_pattern() -%}
    {{- return('(Z|[+-][0-9]{2}(:?[0-9]{2})?)$') -}}
{%- endmacro %}

{% macro parse_timestamp_utc(column) -%}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'hotline')(column)) }}
{%- endmacro %}

{#- Portable (Spark SQL): regexp_like, cast and to_utc_timestamp. Assumes the session time zone
    is UTC, so casting a value with an offset yields its UTC wall-clock time. -#}
{% macro default__parse_timestamp_utc(column) -%}
    case
        when not regexp_like(trim({{ column }}), '{{ hotline.iso_timestamp_pattern() }}') then null
        when regexp_like(trim({{ column }}), '{{ hotline.iso_offset_pattern() }}')
            then cast(trim({{ column }}) as timestamp)
        else to_utc_timestamp(
            cast(trim({{ column }}) as timestamp), {{ hotline.timezone_literal('source_timezone') }}
        )
    end
{%- endmacro %}

{% macro duckdb__parse_timestamp_utc(column) -%}
    case
        when not regexp_full_match(trim({{ column }}), '{{ hotline.iso_timestamp_pattern() }}') then null
        when regexp_matches(trim({{ column }}), '{{ hotline.iso_offset_pattern() }}')
            then timezone('UTC', try_cast(trim({{ column }}) as timestamptz))
        else timezone(
            'UTC',
            timezone({{ hotline.timezone_literal('source_timezone') }}, try_cast(trim({{ column }}) as timestamp))
        )
    end
{%- endmacro %}

{#- Naive UTC timestamp -> naive wall-clock timestamp in var('reporting_timezone'). -#}
{% macro to_local(ts_utc) -%}
    {{ return(adapter.dispatch('to_local', 'hotline')(ts_utc)) }}
{%- endmacro %}
{% macro default__to_local(ts_utc) -%}
    timezone({{ hotline.timezone_literal('reporting_timezone') }}, timezone('UTC', {{ ts_utc }}))
{%- endmacro %}

{#- Naive local wall-clock timestamp in var('reporting_timezone') -> naive UTC timestamp. -#}
{% macro local_to_utc(ts_local) -%}
    {{ return(adapter.dispatch('local_to_utc', 'hotline')(ts_local)) }}
{%- endmacro %}
{% macro default__local_to_utc(ts_local) -%}
    timezone('UTC', timezone({{ hotline.timezone_literal('reporting_timezone') }}, {{ ts_local }}))
{%- endmacro %}

{#- Local calendar date of a UTC timestamp. -#}
{% macro local_date(ts_utc) -%}
    cast({{ hotline.to_local(ts_utc) }} as date)
{%- endmacro %}

{#- Seconds since the epoch (durations are differences of these, never ts - ts). -#}
{% macro epoch_seconds(ts) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'hotline')(ts)) }}
{%- endmacro %}
{% macro default__epoch_seconds(ts) -%}
    epoch({{ ts }})
{%- endmacro %}

{#- Exact duration in seconds: integer microseconds subtracted first, so 4.999 s stays 4.999
    (subtracting two large float epochs does not). -#}
{% macro seconds_between(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('seconds_between', 'hotline')(start_ts, end_ts)) }}
{%- endmacro %}
{% macro default__seconds_between(start_ts, end_ts) -%}
    ((epoch_us({{ end_ts }}) - epoch_us({{ start_ts }})) / 1000000.0)
{%- endmacro %}

{#- Add a number of seconds to a timestamp. -#}
{% macro add_seconds(ts, seconds) -%}
    {{ return(adapter.dispatch('add_seconds', 'hotline')(ts, seconds)) }}
{%- endmacro %}
{% macro default__add_seconds(ts, seconds) -%}
    ({{ ts }} + to_microseconds(cast(round(cast({{ seconds }} as double) * 1000000) as bigint)))
{%- endmacro %}

{#-
  Start of the reporting interval (var('interval_minutes')) containing a local wall-clock
  timestamp; intervals follow local wall-clock time, so DST days have 46 or 50 of them.
-#}
{% macro interval_start_local(ts_local) -%}
    {{ return(adapter.dispatch('interval_start_local', 'hotline')(ts_local)) }}
{%- endmacro %}
{% macro default__interval_start_local(ts_local) -%}
    time_bucket(to_minutes({{ hotline.checked_var('interval_minutes') }}), {{ ts_local }})
{%- endmacro %}

{#- A rate: null when the denominator is 0 or null, never 0 or an error. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#- Boolean -> 0/1 for counting flags. -#}
{% macro flag(condition) -%}
    case when {{ condition }} then 1 else 0 end
{%- endmacro %}
