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
  ISO 8601 text -> naive UTC timestamp. A value with an offset (Z, +08:00, +0800) is
  honoured; a value without one is local to var('source_timezone'). Unparseable -> null.
-#}
{% macro parse_timestamp_utc(column) -%}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'hotline')(column)) }}
{%- endmacro %}
{% macro default__parse_timestamp_utc(column) -%}
    case
        when regexp_matches(trim({{ column }}), '(Z|z|[+-]\d{2}(:?\d{2})?)$')
            and regexp_matches(trim({{ column }}), '^\d{4}-\d{2}-\d{2}[T ]\d')
            then timezone('UTC', try_cast(trim({{ column }}) as timestamptz))
        else timezone(
            'UTC',
            timezone('{{ var("source_timezone") }}', try_cast(nullif(trim({{ column }}), '') as timestamp))
        )
    end
{%- endmacro %}

{#- Naive UTC timestamp -> naive wall-clock timestamp in var('reporting_timezone'). -#}
{% macro to_local(ts_utc) -%}
    {{ return(adapter.dispatch('to_local', 'hotline')(ts_utc)) }}
{%- endmacro %}
{% macro default__to_local(ts_utc) -%}
    timezone('{{ var("reporting_timezone") }}', timezone('UTC', {{ ts_utc }}))
{%- endmacro %}

{#- Naive local wall-clock timestamp in var('reporting_timezone') -> naive UTC timestamp. -#}
{% macro local_to_utc(ts_local) -%}
    {{ return(adapter.dispatch('local_to_utc', 'hotline')(ts_local)) }}
{%- endmacro %}
{% macro default__local_to_utc(ts_local) -%}
    timezone('UTC', timezone('{{ var("reporting_timezone") }}', {{ ts_local }}))
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
    time_bucket(to_minutes({{ var('interval_minutes') }}), {{ ts_local }})
{%- endmacro %}

{#- A rate: null when the denominator is 0 or null, never 0 or an error. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#- Boolean -> 0/1 for counting flags. -#}
{% macro flag(condition) -%}
    case when {{ condition }} then 1 else 0 end
{%- endmacro %}
