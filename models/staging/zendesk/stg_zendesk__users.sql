-- One row per Zendesk user: the latest delivered version (larger updated_at, then the later
-- delivery). Used to map requesters to customers and authors to agents or customers.
with

base_zendesk__users as (
    select * from {{ ref('base_zendesk__users') }}
),

ranked as (
    select
        *,
        {{ latest_row_number('user_id', parse_timestamp_utc('updated_at')
            ~ ' desc nulls last, _delivery_seq desc, _source_row desc') }}
            as row_rank
    from base_zendesk__users
    where reject_reason is null
),

final as (
    select
        user_id,
        user_role,
        email,
        external_id,
        updated_at,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ranked
    where row_rank = 1
)

select * from final
