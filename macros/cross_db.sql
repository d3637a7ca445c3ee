{#-
  Engine-specific SQL lives here and nowhere else, behind adapter.dispatch: a `duckdb__`
  version for the engine we ship on, and a `default__` in portable SQL (ANSI constructs:
  CAST, AT TIME ZONE, EXTRACT, CASE, recursive CTEs) that another engine can start from. A
  `spark__` version joins them when the project runs on Spark.
  Conventions: every timestamp in the warehouse is a naive TIMESTAMP in UTC; local dates and
  intervals are derived with hotline.checked_var('reporting_timezone'); durations come from epoch seconds,
  never from subtracting timestamps.
-#}

{#- Cast that yields null instead of failing (dbt.safe_cast is a plain cast on DuckDB). -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'hotline')(expression, data_type)) }}
{%- endmacro %}
{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
{#- Spark: try_cast exists (3.2+); the text forms it accepts differ from DuckDB's (it reads
    '2026' as a timestamp, '2026-3-2' as a date and refuses '12.5' as an integer where DuckDB
    rounds), so text is parsed through the guarded macros of macros/staging/parsing.sql. -#}
{% macro spark__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#-
  Text without the spaces around it: every Unicode space separator (category Zs: the space,
  no-break space, the ideographic space 　 of full-width exports, ...), not tabs or line
  breaks. DuckDB's trim() is exactly that; Spark's trims only the ASCII space.
-#}
{% macro trim_text(text) -%}
    {{ return(adapter.dispatch('trim_text', 'hotline')(text)) }}
{%- endmacro %}
{% macro default__trim_text(text) -%}
    trim({{ text }})
{%- endmacro %}
{% macro spark__trim_text(text) -%}
    regexp_replace({{ text }}, {{ hotline.sql_string('^\\p{Zs}+|\\p{Zs}+$') }}, '')
{%- endmacro %}

{#-
  Whether text matches a regular expression over the WHOLE value (pattern anchored with ^…$).
  The patterns use the syntax RE2 (DuckDB) and java.util.regex (Spark) share: classes,
  quantifiers, groups, alternation.
-#}
{% macro regexp_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match', 'hotline')(text, pattern)) }}
{%- endmacro %}
{% macro default__regexp_full_match(text, pattern) -%}
    regexp_like({{ text }}, {{ hotline.sql_string(pattern) }})
{%- endmacro %}
{% macro duckdb__regexp_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, {{ hotline.sql_string(pattern) }})
{%- endmacro %}
{#- Java's `$` also matches before a final line break ('…10:00\n' would pass): \z does not. -#}
{% macro spark__regexp_full_match(text, pattern) -%}
    {%- set anchored = pattern[:-1] ~ '\\z' if pattern.endswith('$') else pattern -%}
    regexp_like({{ text }}, {{ hotline.sql_string(anchored) }})
{%- endmacro %}

{#-
  ISO 8601 text -> naive UTC timestamp (landing contract; DECISIONS.md, "Strict timestamps").
  Accepted, exactly: YYYY-MM-DD, then T or a space, then HH:MM, optionally :SS and a decimal
  fraction of 1 to 9 digits, then optionally an offset Z, +HH:MM, +HHMM or +HH (or -).
  A value with an offset is honoured; one without is local to hotline.checked_var('source_timezone').
  Anything else (2026/03/03 21:34, epoch seconds, a date alone, 20260303T2134) -> null, so
  the base model quarantines it as unparseable (with the value's shape in reason_detail).
-#}
{% macro iso_timestamp_pattern() -%}
    {{- return('^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$') -}}
{%- endmacro %}

{#- The offset at the end of a value that matches iso_timestamp_pattern(). -#}
{% macro iso_offset_pattern() -%}
    {{- return('(Z|[+-][0-9]{2}(:?[0-9]{2})?)$') -}}
{%- endmacro %}

{#-
  A value of the pattern above with seconds: HH:MM becomes HH:MM:00 (neither engine's cast
  reads HH:MM followed by an offset, which the contract accepts).
-#}
{% macro iso_timestamp_with_seconds(value) -%}
    (case when substr({{ value }}, 17, 1) = ':' then {{ value }} else substr({{ value }}, 1, 16) || ':00' || substr({{ value }}, 17) end)
{%- endmacro %}

{% macro parse_timestamp_utc(column) -%}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'hotline')(column)) }}
{%- endmacro %}
{% macro default__parse_timestamp_utc(column) -%}
    {%- set value = hotline.iso_timestamp_with_seconds(hotline.trim_text(column)) -%}
    case
        when not regexp_like(trim({{ column }}), '{{ hotline.iso_timestamp_pattern() }}') then null
        when regexp_like(trim({{ column }}), '{{ hotline.iso_offset_pattern() }}')
            then cast(cast({{ value }} as timestamp with time zone) at time zone 'UTC' as timestamp)
        else cast(
            (cast({{ value }} as timestamp) at time zone {{ hotline.timezone_literal('source_timezone') }})
            at time zone 'UTC' as timestamp
        )
    end
{%- endmacro %}
{% macro duckdb__parse_timestamp_utc(column) -%}
    {%- set value = hotline.iso_timestamp_with_seconds(hotline.trim_text(column)) -%}
    case
        when not regexp_full_match(trim({{ column }}), '{{ hotline.iso_timestamp_pattern() }}') then null
        when regexp_matches(trim({{ column }}), '{{ hotline.iso_offset_pattern() }}')
            then timezone('UTC', try_cast({{ value }} as timestamptz))
        else timezone(
            'UTC',
            timezone({{ hotline.timezone_literal('source_timezone') }}, try_cast({{ value }} as timestamp))
        )
    end
{%- endmacro %}
{#-
  Spark SQL: the shape is checked as on DuckDB (\z-anchored, so a trailing line break fails
  too); cast reads the offset forms (Z, +HH, +HHMM, +HH:MM) and, in the UTC session, yields the
  UTC wall-clock time; to_utc_timestamp applies source_timezone to naive values. Spark's cast
  refuses hour 24, which the contract accepts as the end of the day (DuckDB's reading): it is
  read as 00:00 of the same date plus one day.
-#}
{% macro spark__parse_timestamp_utc(column) -%}
    {%- set value = hotline.iso_timestamp_with_seconds(hotline.trim_text(column)) -%}
    {%- set end_of_day = hotline.regexp_full_match(value, '^.{10}[T ]24:00(:00([.]0{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$') -%}
    {%- set as_written = "cast(case when " ~ end_of_day ~ " then concat(substr(" ~ value ~ ", 1, 11), '00', substr("
        ~ value ~ ", 14)) else " ~ value ~ " end as timestamp)" -%}
    {%- set read = "(" ~ as_written ~ " + case when " ~ end_of_day ~ " then interval 1 day else interval 0 day end)" -%}
    case
        when not {{ hotline.regexp_full_match(hotline.trim_text(column), hotline.iso_timestamp_pattern()) }} then null
        when regexp_like({{ hotline.trim_text(column) }}, '{{ hotline.iso_offset_pattern() }}') then {{ read }}
        else to_utc_timestamp({{ read }}, {{ hotline.timezone_literal('source_timezone') }})
    end
{%- endmacro %}

{#- Naive UTC timestamp -> naive wall-clock timestamp in hotline.checked_var('reporting_timezone'). -#}
{% macro to_local(ts_utc) -%}
    {{ return(adapter.dispatch('to_local', 'hotline')(ts_utc)) }}
{%- endmacro %}
{% macro default__to_local(ts_utc) -%}
    cast(({{ ts_utc }} at time zone 'UTC') at time zone {{ hotline.timezone_literal('reporting_timezone') }} as timestamp)
{%- endmacro %}
{% macro duckdb__to_local(ts_utc) -%}
    timezone({{ hotline.timezone_literal('reporting_timezone') }}, timezone('UTC', {{ ts_utc }}))
{%- endmacro %}
{% macro spark__to_local(ts_utc) -%}
    from_utc_timestamp({{ ts_utc }}, {{ hotline.timezone_literal('reporting_timezone') }})
{%- endmacro %}

{#- Naive local wall-clock timestamp in hotline.checked_var('reporting_timezone') -> naive UTC timestamp. -#}
{% macro local_to_utc(ts_local) -%}
    {{ return(adapter.dispatch('local_to_utc', 'hotline')(ts_local)) }}
{%- endmacro %}
{% macro default__local_to_utc(ts_local) -%}
    cast(({{ ts_local }} at time zone {{ hotline.timezone_literal('reporting_timezone') }}) at time zone 'UTC' as timestamp)
{%- endmacro %}
{% macro duckdb__local_to_utc(ts_local) -%}
    timezone('UTC', timezone({{ hotline.timezone_literal('reporting_timezone') }}, {{ ts_local }}))
{%- endmacro %}
{% macro spark__local_to_utc(ts_local) -%}
    to_utc_timestamp({{ ts_local }}, {{ hotline.timezone_literal('reporting_timezone') }})
{%- endmacro %}

{#- Local calendar date of a UTC timestamp. -#}
{% macro local_date(ts_utc) -%}
    cast({{ hotline.to_local(ts_utc) }} as date)
{%- endmacro %}

{#-
  Exact duration in seconds between two timestamps, from epoch values (never ts - ts). On
  DuckDB integer microseconds are subtracted first, so 4.999 s stays 4.999 (subtracting two
  large float epochs does not).
-#}
{% macro seconds_between(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('seconds_between', 'hotline')(start_ts, end_ts)) }}
{%- endmacro %}
{% macro default__seconds_between(start_ts, end_ts) -%}
    (extract(epoch from {{ end_ts }}) - extract(epoch from {{ start_ts }}))
{%- endmacro %}
{% macro duckdb__seconds_between(start_ts, end_ts) -%}
    ((epoch_us({{ end_ts }}) - epoch_us({{ start_ts }})) / 1000000.0)
{%- endmacro %}
{#- Spark: a decimal literal would make the quotient a decimal; the double is DuckDB's. -#}
{% macro spark__seconds_between(start_ts, end_ts) -%}
    (cast(unix_micros({{ end_ts }}) - unix_micros({{ start_ts }}) as double) / 1000000)
{%- endmacro %}

{#- Add a number of seconds (possibly fractional or negative) to a timestamp. -#}
{% macro add_seconds(ts, seconds) -%}
    {{ return(adapter.dispatch('add_seconds', 'hotline')(ts, seconds)) }}
{%- endmacro %}
{% macro default__add_seconds(ts, seconds) -%}
    ({{ ts }} + cast({{ seconds }} as double precision) * interval '1' second)
{%- endmacro %}
{% macro duckdb__add_seconds(ts, seconds) -%}
    {#- multiplied as double so whole seconds >= 2148 do not overflow int32 -#}
    ({{ ts }} + to_microseconds(cast(round(cast({{ seconds }} as double) * 1000000) as bigint)))
{%- endmacro %}
{% macro spark__add_seconds(ts, seconds) -%}
    timestamp_micros(unix_micros({{ ts }}) + cast(round(cast({{ seconds }} as double) * 1000000) as bigint))
{%- endmacro %}

{#-
  Start of the reporting interval (hotline.checked_var('interval_minutes')) containing a local wall-clock
  timestamp; intervals follow local wall-clock time, so DST days have 46 or 50 of them.
-#}
{% macro interval_start_local(ts_local) -%}
    {{ return(adapter.dispatch('interval_start_local', 'hotline')(ts_local)) }}
{%- endmacro %}
{% macro default__interval_start_local(ts_local) -%}
    {%- set minutes = hotline.interval_minutes() -%}
    (
        cast(cast({{ ts_local }} as date) as timestamp)
        + (floor((extract(hour from {{ ts_local }}) * 60 + extract(minute from {{ ts_local }})) / {{ minutes }})
            * {{ minutes }}) * interval '1' minute
    )
{%- endmacro %}
{% macro duckdb__interval_start_local(ts_local) -%}
    time_bucket(to_minutes({{ hotline.interval_minutes() }}), {{ ts_local }})
{%- endmacro %}
{#- Spark: whole intervals since the epoch (the epoch is a local midnight, as DuckDB's origin). -#}
{% macro spark__interval_start_local(ts_local) -%}
    {%- set micros = hotline.interval_minutes() * 60 * 1000000 -%}
    timestamp_micros(cast(floor(unix_micros({{ ts_local }}) / {{ micros }}) as bigint) * {{ micros }})
{%- endmacro %}

{#- Integers 0 .. row_count - 1 in one column `n`, as a subquery; row_count is a constant. -#}
{% macro integer_series(row_count) -%}
    {{ return(adapter.dispatch('integer_series', 'hotline')(row_count)) }}
{%- endmacro %}
{% macro default__integer_series(row_count) -%}
    {#- powers of ten of a ten-row digit table, cross joined -#}
    {%- set ns = namespace(places=1) -%}
    {%- for _ in range(12) -%}
        {%- if 10 ** ns.places < row_count %}{% set ns.places = ns.places + 1 %}{% endif -%}
    {%- endfor %}
    (
        select n from (
            select
                {% for place in range(ns.places) -%}
                    digits_{{ place }}.digit * {{ 10 ** place }}{{ ' + ' if not loop.last }}
                {%- endfor %} as n
            from
                {% for place in range(ns.places) -%}
                    (
                        select 0 as digit union all select 1 union all select 2 union all select 3
                        union all select 4 union all select 5 union all select 6 union all select 7
                        union all select 8 union all select 9
                    ) as digits_{{ place }}{{ ',' if not loop.last }}
                {% endfor %}
        ) as numbers
        where n < {{ row_count }}
    )
{%- endmacro %}
{% macro duckdb__integer_series(row_count) -%}
    (select range as n from range(0, {{ row_count }}))
{%- endmacro %}
{% macro spark__integer_series(row_count) -%}
    (select id as n from range(0, {{ row_count }}))
{%- endmacro %}

{#-
  Dense list of dates from start_date to end_date (both inclusive), one column `date_day`.
  Both arguments are expressions over `from_relation` (a CTE with one row), e.g.
  date_spine('bounds', 'first_date', 'last_date'). Null bounds give no rows.
-#}
{% macro date_spine(from_relation, start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine', 'hotline')(from_relation, start_date, end_date)) }}
{%- endmacro %}
{% macro default__date_spine(from_relation, start_date, end_date) -%}
    (
        with recursive spine as (
            select cast({{ start_date }} as date) as date_day, cast({{ end_date }} as date) as last_day
            from {{ from_relation }}
            where {{ start_date }} is not null and {{ end_date }} is not null
            union all
            select cast({{ dbt.dateadd('day', 1, 'date_day') }} as date), last_day
            from spine
            where date_day < last_day
        )
        select date_day from spine
    )
{%- endmacro %}
{% macro duckdb__date_spine(from_relation, start_date, end_date) -%}
    (
        select cast(unnest(generate_series(
            cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day
        )) as date) as date_day
        from {{ from_relation }}
        where {{ start_date }} is not null and {{ end_date }} is not null
    )
{%- endmacro %}
{#- Spark: sequence() fails on start > end where DuckDB's series is empty, hence the filter. -#}
{% macro spark__date_spine(from_relation, start_date, end_date) -%}
    (
        select explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
            as date_day
        from {{ from_relation }}
        where
            {{ start_date }} is not null and {{ end_date }} is not null
            and cast({{ start_date }} as date) <= cast({{ end_date }} as date)
    )
{%- endmacro %}

{#- Median (the mean of the two middle values for an even count). -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'hotline')(expression)) }}
{%- endmacro %}
{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}
{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{#- A number is finite (not NaN, not +-infinity). -#}
{% macro is_finite(expression) -%}
    {{ return(adapter.dispatch('is_finite', 'hotline')(expression)) }}
{%- endmacro %}
{% macro default__is_finite(expression) -%}
    ({{ expression }} = {{ expression }} and abs({{ expression }}) < 1e308)
{%- endmacro %}
{% macro duckdb__is_finite(expression) -%}
    isfinite({{ expression }})
{%- endmacro %}
{#- Spark: NaN = NaN is true there, so the default's self-comparison does not find NaN. -#}
{% macro spark__is_finite(expression) -%}
    (not isnan({{ expression }}) and abs({{ expression }}) < double('Infinity'))
{%- endmacro %}

{#- Whether text matches a regular expression (the whole value only when anchored). -#}
{% macro regexp_test(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_test', 'hotline')(text, pattern)) }}
{%- endmacro %}
{% macro default__regexp_test(text, pattern) -%}
    ({{ text }} similar to {{ hotline.sql_string(pattern) }})
{%- endmacro %}
{% macro duckdb__regexp_test(text, pattern) -%}
    regexp_matches({{ text }}, {{ hotline.sql_string(pattern) }})
{%- endmacro %}
{% macro spark__regexp_test(text, pattern) -%}
    regexp_like({{ text }}, {{ hotline.sql_string(pattern) }})
{%- endmacro %}

{#- Every match of a regular expression in text replaced. -#}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'hotline')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ hotline.sql_string(pattern) }}, {{ hotline.sql_string(replacement) }})
{%- endmacro %}
{% macro duckdb__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ hotline.sql_string(pattern) }}, {{ hotline.sql_string(replacement) }}, 'g')
{%- endmacro %}
{#- Spark's regexp_replace replaces every match ($ in the replacement is a group reference). -#}
{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ hotline.sql_string(pattern) }}, {{ hotline.sql_string(replacement) }})
{%- endmacro %}

{#- Hex SHA-256 of a text value. -#}
{% macro sha256_hex(text) -%}
    {{ return(adapter.dispatch('sha256_hex', 'hotline')(text)) }}
{%- endmacro %}
{% macro default__sha256_hex(text) -%}
    {#- no ANSI hash function: dbt's cross-database md5 would not be the same key -#}
    {{ exceptions.raise_compiler_error('sha256_hex needs an engine-specific implementation') }}
{%- endmacro %}
{% macro duckdb__sha256_hex(text) -%}
    sha256({{ text }})
{%- endmacro %}
{% macro spark__sha256_hex(text) -%}
    sha2({{ text }}, 256)
{%- endmacro %}

{#- JSON object text from parallel lists of key names and value expressions (text values). -#}
{% macro json_object_text(keys, values) -%}
    {{ return(adapter.dispatch('json_object_text', 'hotline')(keys, values)) }}
{%- endmacro %}
{% macro default__json_object_text(keys, values) -%}
    {#- built by hand: quotes and backslashes escaped, line breaks as \n -#}
    ('{' ||
    {%- for key in keys %}
        '"{{ key }}":' || coalesce(
            '"' || replace(replace(replace(replace({{ values[loop.index0] }}, '\', '\\'), '"', '\"'),
                chr(13), '\r'), chr(10), '\n') || '"',
            'null'
        ) || '{{ "," if not loop.last }}' ||
    {%- endfor %}
    '}')
{%- endmacro %}
{% macro duckdb__json_object_text(keys, values) -%}
    cast(json_object(
        {%- for key in keys %}
        '{{ key }}', {{ values[loop.index0] }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}
{#- Spark: to_json drops null fields unless told not to; escaping matches DuckDB's (\n, \", \\, \u0001). -#}
{% macro spark__json_object_text(keys, values) -%}
    to_json(named_struct(
        {%- for key in keys %}
        '{{ key }}', cast({{ values[loop.index0] }} as string){{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}

{#- A number as text with a fixed number of decimals (a constant), for messages. -#}
{% macro format_decimal(expression, places) -%}
    {{ return(adapter.dispatch('format_decimal', 'hotline')(expression, places)) }}
{%- endmacro %}
{% macro default__format_decimal(expression, places) -%}
    cast(cast({{ hotline.round_half_up(expression, places) }} as decimal(38, {{ places }})) as {{ dbt.type_string() }})
{%- endmacro %}

{#-
  A number rounded to `places` decimals (a constant), half away from zero on its decimal value:
  1.005 -> 1.01 on every engine. round() of a double does not agree across engines (DuckDB
  scales the binary value, 1.005 -> 1.0; Spark rounds its decimal form, 1.01), so the value is
  taken as a decimal of 15 places first and the decimal is rounded. |value| < 10^23. Decimal.
-#}
{% macro round_half_up(expression, places) -%}
    round(cast({{ expression }} as decimal(38, 15)), {{ places | int }})
{%- endmacro %}

{#- A timestamp's wall-clock time as HH:MM, for messages. -#}
{% macro format_hhmm(ts) -%}
    {{ return(adapter.dispatch('format_hhmm', 'hotline')(ts)) }}
{%- endmacro %}
{% macro default__format_hhmm(ts) -%}
    (lpad(cast(extract(hour from {{ ts }}) as {{ dbt.type_string() }}), 2, '0') || ':'
        || lpad(cast(extract(minute from {{ ts }}) as {{ dbt.type_string() }}), 2, '0'))
{%- endmacro %}
{% macro duckdb__format_hhmm(ts) -%}
    strftime({{ ts }}, '%H:%M')
{%- endmacro %}
{% macro spark__format_hhmm(ts) -%}
    date_format({{ ts }}, 'HH:mm')
{%- endmacro %}

{#- Naive local wall-clock timestamp in the zone named by a SQL expression -> naive UTC. -#}
{% macro tz_local_to_utc(ts_local, time_zone) -%}
    {{ return(adapter.dispatch('tz_local_to_utc', 'hotline')(ts_local, time_zone)) }}
{%- endmacro %}
{% macro default__tz_local_to_utc(ts_local, time_zone) -%}
    cast(({{ ts_local }} at time zone {{ time_zone }}) at time zone 'UTC' as timestamp)
{%- endmacro %}
{% macro duckdb__tz_local_to_utc(ts_local, time_zone) -%}
    timezone('UTC', timezone({{ time_zone }}, {{ ts_local }}))
{%- endmacro %}
{% macro spark__tz_local_to_utc(ts_local, time_zone) -%}
    to_utc_timestamp({{ ts_local }}, {{ time_zone }})
{%- endmacro %}

{#- Naive UTC timestamp -> naive local wall-clock timestamp in the zone named by an expression. -#}
{% macro tz_utc_to_local(ts_utc, time_zone) -%}
    {{ return(adapter.dispatch('tz_utc_to_local', 'hotline')(ts_utc, time_zone)) }}
{%- endmacro %}
{% macro default__tz_utc_to_local(ts_utc, time_zone) -%}
    cast(({{ ts_utc }} at time zone 'UTC') at time zone {{ time_zone }} as timestamp)
{%- endmacro %}
{% macro duckdb__tz_utc_to_local(ts_utc, time_zone) -%}
    timezone({{ time_zone }}, timezone('UTC', {{ ts_utc }}))
{%- endmacro %}
{% macro spark__tz_utc_to_local(ts_utc, time_zone) -%}
    from_utc_timestamp({{ ts_utc }}, {{ time_zone }})
{%- endmacro %}

{#- ISO weekday of a date: 1 = Monday … 7 = Sunday. -#}
{% macro iso_weekday(date_expression) -%}
    {{ return(adapter.dispatch('iso_weekday', 'hotline')(date_expression)) }}
{%- endmacro %}
{% macro default__iso_weekday(date_expression) -%}
    cast(extract(isodow from {{ date_expression }}) as integer)
{%- endmacro %}
{% macro duckdb__iso_weekday(date_expression) -%}
    isodow({{ date_expression }})
{%- endmacro %}
{% macro spark__iso_weekday(date_expression) -%}
    (weekday({{ date_expression }}) + 1)
{%- endmacro %}

{#- Whole microseconds since the epoch (exact integer arithmetic for business clocks). -#}
{% macro epoch_microseconds(ts) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'hotline')(ts)) }}
{%- endmacro %}
{% macro default__epoch_microseconds(ts) -%}
    cast(extract(epoch from {{ ts }}) * 1000000 as bigint)
{%- endmacro %}
{% macro duckdb__epoch_microseconds(ts) -%}
    epoch_us({{ ts }})
{%- endmacro %}
{% macro spark__epoch_microseconds(ts) -%}
    unix_micros({{ ts }})
{%- endmacro %}
