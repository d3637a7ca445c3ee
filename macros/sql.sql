{#-
  Values rendered into SQL text. Nothing a caller passes (a var, a seed value used in
  Jinja) is pasted into SQL as is: text becomes a quoted literal, numbers are checked.
-#}

{#- A quoted SQL string literal of a value (single quotes doubled). -#}
{% macro sql_string(value) -%}
    {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{%- endmacro %}

{#- var('interval_minutes'), which the spec allows to be 15, 30 or 60 only. -#}
{% macro interval_minutes() -%}
    {%- set minutes = var('interval_minutes') | string -%}
    {%- if minutes not in ['15', '30', '60'] -%}
        {{ exceptions.raise_compiler_error("var interval_minutes must be 15, 30 or 60, got " ~ minutes) }}
    {%- endif -%}
    {{ return(minutes | int) }}
{%- endmacro %}
