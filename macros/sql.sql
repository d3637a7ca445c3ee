{#-
  Values rendered into SQL text. Nothing a caller passes (a var, a seed value used in
  Jinja) is pasted into SQL as is: text becomes a quoted literal, numbers are checked; vars
  go through checked_var / timezone_literal (macros/vars.sql).
-#}

{#- A quoted SQL string literal of a value (single quotes doubled). -#}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'hotline')(value)) }}
{%- endmacro %}
{% macro default__sql_string(value) -%}
    {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{%- endmacro %}
{#- Spark SQL: backslash is the escape character in string literals and '' is not a quote
    (two adjacent literals are concatenated): both are escaped with a backslash. -#}
{% macro spark__sql_string(value) -%}
    {{ return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
{%- endmacro %}

{#- hotline.checked_var('interval_minutes') as an integer, validated (15, 30 or 60: macros/vars.sql). -#}
{% macro interval_minutes() -%}
    {{ return(hotline.checked_var('interval_minutes') | int) }}
{%- endmacro %}
