{#-
  Parsing and validation helpers of the base models (macros/staging/contract.sql applies
  them to every contract column). Portable SQL; engine-specific parts are in cross_db.sql.
-#}

{#- Text from landing: trimmed, empty string = null (landing contract). -#}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{#- Enumerations are case-insensitive and ignore surrounding whitespace. -#}
{% macro normalize_enum(column) -%}
    lower(nullif(trim({{ column }}), ''))
{%- endmacro %}

{#- Number from text; null when unparseable or not finite ('nan', 'inf' are not numbers here). -#}
{% macro parse_number(column) -%}
    case
        when {{ hotline.is_finite(hotline.try_cast(column, 'double')) }}
            then {{ hotline.try_cast(column, 'double') }}
    end
{%- endmacro %}

{#- Calendar date from text; also accepts a timestamp-shaped value (its date part). -#}
{% macro parse_date(column) -%}
    coalesce(
        {{ hotline.try_cast(column, 'date') }},
        cast({{ hotline.try_cast(column, 'timestamp') }} as date)
    )
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
