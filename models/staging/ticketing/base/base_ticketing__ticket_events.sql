{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw ticket event: typed columns and the first contract rule the record
-- fails (reject_reason, null when valid).
{%- set event_types = ['created', 'assigned', 'agent_reply', 'customer_reply', 'status_changed',
                       'priority_changed', 'escalated', 'comment'] %}
{%- set actor_types = ['agent', 'customer', 'system'] %}

with

ticket_events as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ native_contract_rows('ticket_events') }}) as landed
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

cleaned as (
    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ normalize_enum('event_type') }} as event_type,
        {{ normalize_enum('actor_type') }} as actor_type,
        {{ clean_text('actor_agent_id') }} as actor_agent_id,
        {{ clean_text('from_value') }} as from_value_text,
        {{ clean_text('to_value') }} as to_value_text,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ticket_events
),

typed as (
    select
        *,
        {{ parse_timestamp_utc('occurred_at_text') }} as occurred_at,
        -- status and priority values are enums (case-insensitive); a group name is kept as sent
        case
            when event_type in ('status_changed', 'priority_changed') then lower(from_value_text)
            else from_value_text
        end as from_value,
        case
            when event_type in ('status_changed', 'priority_changed') then lower(to_value_text)
            else to_value_text
        end as to_value
    from cleaned
),

validated as (
    select
        *,
        case
            when event_id is null then 'missing_required:event_id'
            when ticket_id is null then 'missing_required:ticket_id'
            when occurred_at_text is null then 'missing_required:occurred_at'
            when event_type is null then 'missing_required:event_type'
            when actor_type is null then 'missing_required:actor_type'
            when {{ is_unparseable('occurred_at_text', 'occurred_at') }} then 'unparseable:occurred_at'
            when {{ is_unknown_enum('event_type', event_types) }} then 'unknown_enum:event_type'
            when {{ is_unknown_enum('actor_type', actor_types) }} then 'unknown_enum:actor_type'
        end as reject_reason
    from typed
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
        reject_reason,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
