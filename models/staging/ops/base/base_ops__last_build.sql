-- The processed-delivery mark this build starts from: every landing delivery with a larger
-- delivery_seq is new to this build. -1 (everything is new) on --full-refresh, on the first
-- build, and after an incomplete build (macros/incremental.sql). One row.
with

dbt_incremental_state as (
    select * from {{ source('ops', 'dbt_incremental_state') }}
),

recorded as (
    select
        max(processed_seq) as processed_seq,
        coalesce(bool_or(needs_full_refresh), false) as needs_full_refresh,
        count(*) as state_rows
    from dbt_incremental_state
),

final as (
    select
        cast(
            case
                when {{ 'true' if full_refresh_requested() else 'false' }} then -1
                when state_rows = 0 or needs_full_refresh then -1
                else coalesce(processed_seq, -1)
            end as bigint
        ) as processed_seq
    from recorded
)

select * from final
