{{ config(**hotline.keyed_incremental('event_id')) }}
-- depends_on: {{ ref('base_ops__last_build') }}
-- One row per ticket event (event_id): valid records only, a re-delivered event keeps its
-- latest delivery.
with

base_ticketing__ticket_events as (
    select * from {{ ref('base_ticketing__ticket_events') }}
),

ranked as (
    select
        *,
        {{ latest_row_number('event_id', '_delivery_seq desc, _source_row desc') }} as row_rank
    from base_ticketing__ticket_events
    where
        base_ticketing__ticket_events.reject_reason is null  -- noqa: RF03
        -- incremental runs re-decide only keys delivered since the last build
        and {{ redelivered_keys_only('base_ticketing__ticket_events', ['event_id']) }}
),

final as (
    select
        event_id,
        ticket_id,
        occurred_at,
        event_type,
        actor_type,
        actor_agent_id,
        from_value,
        to_value,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ranked
    where row_rank = 1
)

select * from final
