{#-
  Incremental nightly (DECISIONS.md, "Incremental nightly").

  A nightly processes the deliveries landed since the last *complete* build: those whose
  delivery_seq is above ops.dbt_incremental_state.processed_seq. The on-run-end hook
  record_incremental_state() advances that mark only when every incremental model of the
  project ran in this invocation and succeeded; if some ran and others did not (an error, or
  a partial --select), it sets needs_full_refresh so the next nightly rebuilds everything
  (an incremental model may then already hold part of a batch whose "old values" the change
  models could no longer see). chg_batch turns the mark into prev_seq / new_seq.

  Change models (models/intermediate/changes) read the *previous* state of a model that is
  rebuilt later in the same run (its old keys: a re-delivered leg may move to another date,
  queue, interaction or customer) through previous_relation(), which is a plain relation,
  not a ref, so it adds no DAG edge (a ref would be a cycle).
-#}

{#- The bookkeeping table written by the on-run-end hook. -#}
{% macro incremental_state_relation() -%}
    {{ return(api.Relation.create(database=target.database, schema='ops', identifier='dbt_incremental_state')) }}
{%- endmacro %}

{#-
  The relation of a model as the previous run left it, or none (first run, full refresh,
  or a unit test). Only meaningful in models that run before `model_name` is rebuilt.
-#}
{% macro previous_relation(model_name) -%}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.nodes.values() | selectattr('name', 'equalto', model_name) | first -%}
    {%- if node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}

{#- The incremental models of this project (those the processed mark is about). -#}
{% macro incremental_model_ids() -%}
    {%- set ids = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name
            and (node.config.materialized == 'incremental' or node.fqn[1:3] == ['intermediate', 'changes']) -%}
            {%- do ids.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(ids) }}
{%- endmacro %}

{#-
  on-run-end: advance the processed delivery mark after a complete, successful build of every
  incremental model; flag a full refresh when only some of them were (re)built.
-#}
{% macro record_incremental_state(results) -%}
    {%- do log('incremental state: which=' ~ invocation_args_dict.get('which') ~ ' results=' ~ (results | length), info=false) -%}
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
            {%- do log('incremental state: ran=' ~ (ran | length) ~ ' wanted=' ~ (wanted | length) ~ ' complete=' ~ complete, info=false) -%}
            {%- set state = hotline.incremental_state_relation() -%}
            {%- set batch_node = graph.nodes.values() | selectattr('name', 'equalto', 'chg_batch') | first -%}
            {%- set batch = api.Relation.create(database=batch_node.database, schema=batch_node.schema, identifier=batch_node.alias) -%}
            {%- call statement('record_incremental_state') -%}
                create schema if not exists {{ state.schema }};
                create table if not exists {{ state }} (
                    processed_seq bigint,
                    needs_full_refresh boolean,
                    invocation_id varchar,
                    recorded_at timestamp
                );
                {% if complete -%}
                delete from {{ state }};
                insert into {{ state }}
                select new_seq, false, '{{ invocation_id }}', current_timestamp from {{ batch }};
                {%- else -%}
                update {{ state }} set needs_full_refresh = true, recorded_at = current_timestamp;
                insert into {{ state }}
                select -1, true, '{{ invocation_id }}', current_timestamp
                where not exists (select 1 from {{ state }});
                {%- endif %}
            {%- endcall -%}
            {%- do adapter.commit() -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- prev_seq of this run, as a scalar subquery. -#}
{% macro changed_since_seq() -%}
    (select prev_seq from {{ ref('chg_batch') }})
{%- endmacro %}

{#-
  Rows of `relation` whose columns differ from `previous` on the key, or that are new:
  an anti-join on "every column equal (null-safe)". Used so that a recomputed row that did
  not change is not rewritten (and does not mark its date as changed downstream).
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
                delivered._delivery_seq > {{ changed_since_seq() }}
                and delivered.reject_reason is null
                {%- for key in keys %}
                and delivered.{{ key }} = {{ cte_name }}.{{ key }}
                {%- endfor %}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
