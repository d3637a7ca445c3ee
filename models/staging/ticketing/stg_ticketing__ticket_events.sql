{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='event_id') }}
-- depends_on: {{ ref('chg_batch') }}
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
        {% if is_incremental() -%}
        -- only keys delivered since the last build are re-decided (over all their versions)
            and base_ticketing__ticket_events.event_id in (
                select delivered.event_id from base_ticketing__ticket_events as delivered
                where delivered._delivery_seq > {{ changed_since_seq() }} and delivered.reject_reason is null
            )
        {%- endif %}
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
