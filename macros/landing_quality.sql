{#- Macros of the landing-quality models: quarantine details and file control totals. -#}

{#-
  Why a quarantined record was rejected, in words a data steward can act on, without
  repeating the value itself (it may be PII): its shape. Digits become 9, letters A / a,
  any other non-printable or non-ASCII character ?, punctuation stays; 40 characters at most.
  '2026/03/03 21:34' -> '9999/99/99 99:99', '1709369702' -> '9999999999'.
-#}
{% macro value_shape(column) -%}
    {{ return(adapter.dispatch('value_shape', 'hotline')(column)) }}
{%- endmacro %}

{#- Portable (Spark SQL: regexp_replace replaces every match). -#}
{% macro default__value_shape(column) -%}
    substr(
        regexp_replace(regexp_replace(regexp_replace(regexp_replace(
            {{ column }}, '[^ -~]', '?'), '[0-9]', '9'), '[A-Z]', 'A'), '[a-z]', 'a'),
        1, 40
    )
{%- endmacro %}

{% macro duckdb__value_shape(column) -%}
    substr(
        regexp_replace(regexp_replace(regexp_replace(regexp_replace(
            {{ column }}, '[^ -~]', '?', 'g'), '[0-9]', '9', 'g'), '[A-Z]', 'A', 'g'), '[a-z]', 'a', 'g'),
        1, 40
    )
{%- endmacro %}

{#- What an unparseable value of `column` should have looked like (naming convention of the
    contract: *_at timestamps, *_date dates, other parsed columns numbers). -#}
{% macro expected_value_text(column) -%}
    {%- if column.endswith('_at') -%}
        {{ return('an ISO 8601 timestamp (YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|+HH:MM|+HHMM|+HH])') }}
    {%- elif column.endswith('_date') -%}
        {{ return('a date (YYYY-MM-DD)') }}
    {%- else -%}
        {{ return('a number') }}
    {%- endif -%}
{%- endmacro %}

{#-
  reason_detail of a quarantined record of `entity`: for unparseable:<column>, the shape of
  the delivered value and what was expected; null for the other reasons (the code says it).
-#}
{% macro quarantine_reason_detail(entity, relation_alias, reason_column) -%}
    {%- set spec = hotline.staging_entities()[entity] -%}
    case {{ reason_column }}
        {%- for column in spec['columns'] %}
        when 'unparseable:{{ column }}'
            then 'value shaped ' || {{ hotline.value_shape('trim(' ~ relation_alias ~ '.' ~ column ~ ')') }}
            || ' is not {{ hotline.expected_value_text(column) }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- Line breaks (LF) in a text value: a value with n of them spans n + 1 physical lines. -#}
{% macro line_breaks(column) -%}
    (length({{ column }}) - length(replace({{ column }}, chr(10), '')))
{%- endmacro %}
