{#-
  Incremental nightly (docs/incremental.md).

  A build processes the landing deliveries newer than the processed-delivery mark
  (base_ops__last_build, read from the documented state table ops.dbt_incremental_state).
  The change models (models/intermediate/changes) turn those deliveries into the keys and
  dates each incremental model rebuilds; they read only models (refs), so the lineage graph
  shows every dependency. The on-run-end hook record_incremental_state() advances the mark
  when every incremental model of the project ran and succeeded in this invocation; if only
  some did (an error, or a partial --select) it sets needs_full_refresh so the next build
  rebuilds everything.
-#}

{#- on-run-start: the state table exists before any model reads it (as a dbt source). -#}
{% macro create_incremental_state() -%}
    {%- if execute -%}
        {%- set state = hotline.incremental_state_relation() -%}
        {#- one statement per call: Spark's session method runs one at a time -#}
        {%- call statement('create_incremental_state_schema') -%}
            create schema if not exists {{ state.schema }}
        {%- endcall -%}
        {%- call statement('create_incremental_state') -%}
            create table if not exists {{ state }} (
                processed_seq bigint,
                needs_full_refresh boolean,
                invocation_id {{ dbt.type_string() }},
                recorded_at timestamp
            )
        {%- endcall -%}
        {%- do adapter.commit() -%}
    {%- endif -%}
{%- endmacro %}

{#- The state table, as declared by source('ops', 'dbt_incremental_state'). -#}
{% macro incremental_state_relation() -%}
    {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'ops')
        | selectattr('name', 'equalto', 'dbt_incremental_state') | first -%}
    {{ return(hotline.node_relation(node)) }}
{%- endmacro %}

{#- The incremental models of this project (those the processed mark is about). -#}
{% macro incremental_model_ids() -%}
    {%- set ids = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name
            and (node.config.materialized == 'incremental' or 'changes' in node.fqn) -%}
            {%- do ids.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(ids) }}
{%- endmacro %}

{#-
  on-run-end: advance the processed delivery mark after a complete, successful build of every
  incremental model; flag a full refresh when only some of them were (re)built. The new mark
  is the latest delivery in the landing manifest (landing cannot run during a build: both
  need the warehouse's single writer).
-#}
{% macro record_incremental_state(results) -%}
    {%- if execute and invocation_args_dict.get('which') in ('run', 'build') -%}
        {%- set wanted = hotline.incremental_model_ids() -%}
        {%- set ran = {} -%}
        {%- for result in results -%}
            {%- if result.node.unique_id in wanted -%}
                {%- do ran.update({result.node.unique_id: (result.status | string | lower)}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if ran | length > 0 -%}
            {%- set complete = (ran | length == wanted | length)
                and (ran.values() | reject('in', ['success', 'pass']) | list | length == 0) -%}
            {%- set state = hotline.incremental_state_relation() -%}
            {%- set manifest = graph.sources.values() | selectattr('source_name', 'equalto', 'landing')
                | selectattr('name', 'equalto', '_manifest') | first -%}
            {%- set manifest_relation = hotline.node_relation(manifest) -%}
            {#- the new row is computed first and written by one dispatched macro (Spark's
                parquet tables have no DELETE or UPDATE: macros/incremental_strategies.sql) -#}
            {%- if complete -%}
                {%- set latest = run_query('select coalesce(max(delivery_seq), -1) from ' ~ manifest_relation) -%}
                {%- do hotline.write_incremental_state(state, latest.columns[0].values()[0], false) -%}
            {%- else -%}
                {%- set kept = run_query('select coalesce(max(processed_seq), -1) from ' ~ state) -%}
                {%- do hotline.write_incremental_state(state, kept.columns[0].values()[0], true) -%}
            {%- endif -%}
            {%- do adapter.commit() -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Whether this invocation rebuilds everything (--full-refresh); a macro so tests can override it. -#}
{% macro full_refresh_requested() -%}
    {{ return(flags.FULL_REFRESH) }}
{%- endmacro %}

{#- The processed-delivery mark this build starts from, as a scalar subquery. -#}
{% macro last_processed_seq() -%}
    (select processed_seq from {{ ref('base_ops__last_build') }})
{%- endmacro %}

{#-
  Rows of `left` whose columns differ from `right` (null-safe), for an anti-join on "every
  column equal": a recomputed row that did not change is not rewritten (and does not mark its
  date as changed downstream).
-#}
{% macro null_safe_equal_all(left, right, columns) -%}
    {%- for column in columns %}
    {{ left }}.{{ column }} is not distinct from {{ right }}.{{ column }}{{ ' and' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#-
  KPI marts rebuilt by local date: on an incremental run the pre_hook deletes the dates
  chg_report_dates lists, and each source CTE keeps only rows of those dates.
-#}
{% macro delete_changed_report_dates() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where report_date in (select report_date from {{ ref('chg_report_dates') }})
    {%- endif -%}
{%- endmacro %}

{% macro where_changed_report_date(column='report_date') -%}
    {%- if is_incremental() -%}
    where {{ column }} in (select report_date from {{ ref('chg_report_dates') }})
    {%- endif -%}
{%- endmacro %}

{#-
  Staging de-duplication on an incremental run re-decides only the keys delivered since the
  last complete build (over all their versions); a full build decides every key. Renders to a
  predicate either way, so the model's SQL (and its lint) is the same in both modes.
-#}
{% macro redelivered_keys_only(cte_name, keys) -%}
    {%- if is_incremental() -%}
        exists (
            select 1 from {{ cte_name }} as delivered
            where
                delivered._delivery_seq > {{ hotline.last_processed_seq() }}
                and delivered.reject_reason is null
                {%- for key in keys %}
                and delivered.{{ key }} = {{ cte_name }}.{{ key }}
                {%- endfor %}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
