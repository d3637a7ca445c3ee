{#- Building blocks every metric macro uses. -#}

{#- A rate: null when the denominator is 0 or null, never 0 or an error. -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#- Boolean -> 0/1 for counting flags. -#}
{% macro flag(condition) -%}
    case when {{ condition }} then 1 else 0 end
{%- endmacro %}

{#-
  `value comparator threshold` for a comparator held as data (seeds kpi_targets and
  alert_rules): <=, >=, <, >. Null value, threshold or comparator -> null.
-#}
{% macro compare_to_threshold(value, comparator, threshold) -%}
    case
        when {{ value }} is null or {{ threshold }} is null then null
        when {{ comparator }} = '<=' then {{ value }} <= {{ threshold }}
        when {{ comparator }} = '>=' then {{ value }} >= {{ threshold }}
        when {{ comparator }} = '<' then {{ value }} < {{ threshold }}
        when {{ comparator }} = '>' then {{ value }} > {{ threshold }}
    end
{%- endmacro %}
