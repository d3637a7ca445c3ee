-- One row per queue (queue_id): valid records of the latest delivered configuration
-- snapshot that lists the queue.
with

base_telephony__queues as (
    select * from {{ ref('base_telephony__queues') }}
),

ranked as (
    select
        *,
        {{ latest_row_number('queue_id', '_delivery_seq desc, _source_row desc') }} as row_rank
    from base_telephony__queues
    where reject_reason is null
),

final as (
    select
        queue_id,
        queue_name,
        channel,
        service_level_seconds,
        service_level_target,
        business_unit,
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
