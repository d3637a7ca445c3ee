-- One row: the deliveries this run processes, delivery_seq in (prev_seq, new_seq].
-- prev_seq is the mark the last complete build left in ops.dbt_incremental_state (see
-- macros/incremental.sql); -1 (everything) on --full-refresh, on the first run, or when the
-- last build was incomplete. Change models and incremental models read only this row.
{%- set state = none -%}
{%- if execute and not flags.FULL_REFRESH -%}
    {%- set state = adapter.get_relation(
        database=target.database, schema='ops', identifier='dbt_incremental_state') -%}
{%- endif %}

with

manifest as (
    select * from {{ source('landing', '_manifest') }}
),

{% if state is not none -%}
    processed as (
        select
            max(case when needs_full_refresh then -1 else processed_seq end) as processed_seq,
            bool_or(needs_full_refresh) as needs_full_refresh
        from {{ state }}
    ),
{%- else -%}
    processed as (
        select
            cast(-1 as bigint) as processed_seq,
            true as needs_full_refresh
    ),
{%- endif %}

final as (
    select
        cast(coalesce(max(processed.processed_seq), -1) as bigint) as prev_seq,
        cast(coalesce((select max(manifest.delivery_seq) from manifest), -1) as bigint) as new_seq
    from processed
)

select * from final
