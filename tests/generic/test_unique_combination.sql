{#-
  Grain test for composite keys (dbt_utils is not installable here): fails with one row per
  combination of `columns` that occurs more than once. Nulls compare equal (group by), so a
  null key part cannot hide a duplicate.
  Usage (model level):
    data_tests:
      - unique_combination:
          arguments:
            columns: [queue_id, report_date]
-#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
