{#-
  Parsing and validation helpers of the base models (macros/staging/contract.sql applies
  them to every contract column). Portable SQL; engine-specific parts are in cross_db.sql.
-#}

{#- Text from landing: trimmed (Unicode spaces, hotline.trim_text), empty string = null (landing contract). -#}
{% macro clean_text(column) -%}
    nullif({{ hotline.trim_text(column) }}, '')
{%- endmacro %}

{#- Enumerations are case-insensitive and ignore surrounding whitespace. -#}
{% macro normalize_enum(column) -%}
    lower(nullif({{ hotline.trim_text(column) }}, ''))
{%- endmacro %}

{#-
  The text forms each parser accepts, checked before the cast: an engine's cast is more lenient
  than the contract, and differently so (DuckDB reads '1_000' and rounds '12.5' to an integer,
  Spark reads '1.5d', '2026' as a timestamp and '2026-3-2' as a date), so only text of these
  shapes reaches a cast and both engines parse the same values (DECISIONS.md, "Spark parity").
-#}
{% macro number_pattern() -%}
    {{- return('^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$') -}}
{%- endmacro %}

{#- Number from text: decimal digits with an optional sign, point and exponent; null when
    unparseable or not finite ('nan', 'inf', '1e999' are not numbers here). -#}
{% macro parse_number(column) -%}
    case
        when
            {{ hotline.regexp_full_match(column, hotline.number_pattern()) }}
            and {{ hotline.is_finite(hotline.try_cast(column, 'double')) }}
            then {{ hotline.try_cast(column, 'double') }}
    end
{%- endmacro %}

{#- Whole number from text: digits only (no sign, point or exponent); null otherwise. -#}
{% macro parse_integer(column) -%}
    case when {{ hotline.regexp_full_match(column, '^[0-9]{1,9}$') }} then {{ hotline.try_cast(column, 'integer') }} end
{%- endmacro %}

{#- Calendar date from text: YYYY-MM-DD, or a value the contract reads as a timestamp (its date
    part as written); an impossible date (2026-02-30) is null. -#}
{% macro parse_date(column) -%}
    case
        when {{ hotline.regexp_full_match(column, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') }}
            then {{ hotline.try_cast(column, 'date') }}
        when {{ hotline.parse_timestamp_utc(column) }} is not null
            then {{ hotline.try_cast('substr(' ~ column ~ ', 1, 10)', 'date') }}
    end
{%- endmacro %}

{#- A value that is present (not null after cleaning) but did not parse. -#}
{% macro is_unparseable(text_column, parsed_column) -%}
    ({{ text_column }} is not null and {{ parsed_column }} is null)
{%- endmacro %}

{#- An enum value (already normalised) that is present but not in the contract's list. -#}
{% macro is_unknown_enum(column, values) -%}
    ({{ column }} is not null and {{ column }} not in ({% for value in values %}{{ hotline.sql_string(value) }}{{ ', ' if not loop.last }}{% endfor %}))
{%- endmacro %}

{#-
  Keeps the first row per key by the given order: row_number() in a CTE then a filter
  (portable; no QUALIFY). Used for "the latest delivery wins".
-#}
{% macro latest_row_number(partition_by, order_by) -%}
    row_number() over (partition by {{ partition_by }} order by {{ order_by }})
{%- endmacro %}
