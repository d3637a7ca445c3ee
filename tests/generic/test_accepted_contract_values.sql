{#-
  accepted_values whose list is the landing contract's: the enum values declared once in the
  sources' YAML (column meta `values`). Fails with one row per value outside the list.
  Usage (column level):
    data_tests:
      - accepted_contract_values:
          arguments:
            entity: contacts          # the raw table whose contract declares the values
            contract_column: channel  # optional, defaults to the tested column
-#}
{% test accepted_contract_values(model, column_name, entity, contract_column=none) %}
{%- set allowed = hotline.contract_values(entity, contract_column or column_name) %}
{%- if execute and not allowed %}
    {{ exceptions.raise_compiler_error("no contract enum for " ~ entity ~ "." ~ (contract_column or column_name)) }}
{%- endif %}

select
    {{ column_name }} as value_field,
    count(*) as n_records
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} not in (
        {%- for value in allowed %}{{ hotline.sql_string(value) }}{{ ', ' if not loop.last }}{% endfor %}
    )
group by {{ column_name }}

{% endtest %}
