{#-
  How each incremental model is materialized, per engine (docs/incremental.md, README
  "Running on Spark"). A model's SQL is the same everywhere; its config comes from one of these
  macros, `{{ config(**hotline.keyed_incremental('contact_id')) }}`:

  | model kind | DuckDB | Spark, Delta/Iceberg/Hudi | Spark, plain parquet |
  |---|---|---|---|
  | keyed (stg_*, int_contact_legs, int_interaction*, fct_contacts, fct_customer_contacts) | delete+insert on the key | merge on the key | table (full rebuild) |
  | date-keyed KPI marts | append after the pre_hook deletes the changed dates | insert_overwrite partitioned by report_date, after the same delete | table |
  | appended with a delete (int_agent_state_intervals) | append after the pre_hook delete | append after the same delete | table |
  | base_* (append of new deliveries) | append | append | append |

  Plain parquet has no row-level DELETE, UPDATE or MERGE, so a model that replaces some of its
  rows is rebuilt whole there: the full-rebuild fallback, exact by construction (is_incremental()
  is false for a table). The pre_hooks keep their DELETE on the formats that have one; they
  make insert_overwrite exact even for a date that lost every row.
  The Spark table format is HOTLINE_SPARK_FILE_FORMAT (parquet, the only one offline: the
  Delta and Iceberg jars come from Maven at run time), as in dbt_project.yml `+file_format`.
-#}

{#- The Spark table format; a value dbt-spark does not know is refused. -#}
{% macro spark_file_format() -%}
    {%- set file_format = env_var('HOTLINE_SPARK_FILE_FORMAT', 'parquet') -%}
    {%- if file_format not in ['parquet', 'delta', 'iceberg', 'hudi'] -%}
        {{ exceptions.raise_compiler_error("HOTLINE_SPARK_FILE_FORMAT must be parquet, delta, iceberg or hudi, got '" ~ file_format[:40] ~ "'") }}
    {%- endif -%}
    {{ return(file_format) }}
{%- endmacro %}

{#- Whether this engine's tables can delete, update and merge rows in place. -#}
{% macro supports_row_level_changes() -%}
    {{ return(adapter.dispatch('supports_row_level_changes', 'hotline')()) }}
{%- endmacro %}
{% macro default__supports_row_level_changes() -%}
    {{ return(true) }}
{%- endmacro %}
{% macro spark__supports_row_level_changes() -%}
    {{ return(hotline.spark_file_format() != 'parquet') }}
{%- endmacro %}

{#- A model keyed by unique_key that replaces the rows of the keys it selects. -#}
{% macro keyed_incremental(unique_key, pre_hook=none) -%}
    {{ return(adapter.dispatch('keyed_incremental', 'hotline')(unique_key, pre_hook)) }}
{%- endmacro %}
{% macro default__keyed_incremental(unique_key, pre_hook) -%}
    {%- set settings = {'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
                        'unique_key': unique_key} -%}
    {%- if pre_hook -%}{%- do settings.update({'pre_hook': pre_hook}) -%}{%- endif -%}
    {{ return(settings) }}
{%- endmacro %}
{% macro spark__keyed_incremental(unique_key, pre_hook) -%}
    {%- if not hotline.supports_row_level_changes() -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {%- set settings = {'materialized': 'incremental', 'incremental_strategy': 'merge',
                        'unique_key': unique_key} -%}
    {%- if pre_hook -%}{%- do settings.update({'pre_hook': pre_hook}) -%}{%- endif -%}
    {{ return(settings) }}
{%- endmacro %}

{#- A KPI mart rebuilt by local report_date (the pre_hook deletes the changed dates). -#}
{% macro report_date_incremental() -%}
    {{ return(adapter.dispatch('report_date_incremental', 'hotline')()) }}
{%- endmacro %}
{% macro default__report_date_incremental() -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'append',
               'pre_hook': '{{ hotline.delete_changed_report_dates() }}'}) }}
{%- endmacro %}
{% macro spark__report_date_incremental() -%}
    {%- if not hotline.supports_row_level_changes() -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
               'partition_by': ['report_date'],
               'pre_hook': '{{ hotline.delete_changed_report_dates() }}'}) }}
{%- endmacro %}

{#- A model that appends the rows of what changed after its pre_hook deleted their old rows. -#}
{% macro append_after_delete_incremental(pre_hook) -%}
    {%- if not hotline.supports_row_level_changes() -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'append', 'pre_hook': pre_hook}) }}
{%- endmacro %}

{#- A relation for a graph node (a source): Spark has no database level above the schema. -#}
{% macro node_relation(node) -%}
    {{ return(adapter.dispatch('node_relation', 'hotline')(node)) }}
{%- endmacro %}
{% macro default__node_relation(node) -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier)) }}
{%- endmacro %}
{% macro spark__node_relation(node) -%}
    {{ return(api.Relation.create(schema=node.schema, identifier=node.identifier)) }}
{%- endmacro %}

{#-
  Replace the one row of the incremental state table (macros/incremental.sql). One statement
  per call on Spark (its session runs one at a time); parquet has no DELETE, so it overwrites.
-#}
{% macro write_incremental_state(state, processed_seq, needs_full_refresh) -%}
    {%- set row -%}
        cast({{ processed_seq | int }} as bigint), {{ 'true' if needs_full_refresh else 'false' }},
        {{ hotline.sql_string(invocation_id) }}, current_timestamp
    {%- endset -%}
    {{ return(adapter.dispatch('write_incremental_state', 'hotline')(state, row)) }}
{%- endmacro %}
{% macro default__write_incremental_state(state, row) -%}
    {%- call statement('clear_incremental_state') -%}
        delete from {{ state }}
    {%- endcall -%}
    {%- call statement('write_incremental_state') -%}
        insert into {{ state }} select {{ row }}
    {%- endcall -%}
{%- endmacro %}
{% macro spark__write_incremental_state(state, row) -%}
    {%- call statement('write_incremental_state') -%}
        insert overwrite table {{ state }} select {{ row }}
    {%- endcall -%}
{%- endmacro %}
