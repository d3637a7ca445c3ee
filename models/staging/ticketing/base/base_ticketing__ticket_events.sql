{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw ticket-event record, typed and validated against the landing contract
-- (_ticketing__sources.yml); reject_reason is the first rule the record fails (null when
-- valid), raw_record the masked record for quarantine.
with

ticket_events as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ hotline.native_contract_rows('ticket_events') }}) as landed
    {{ hotline.new_deliveries_only() }}
),

cleaned as (
    select
        {{ hotline.contract_cleaned_columns('ticket_events') }},
        {{ hotline.contract_physical_lines('ticket_events') }} as _physical_lines,
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
        {{ hotline.contract_parsed_columns('ticket_events') }}
    from cleaned
),

validated as (
    select
        *,
        {{ hotline.contract_reject_reason('ticket_events') }} as reject_reason
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
        -- status and priority values are enums (case-insensitive); a group name is kept as sent
        case
            when event_type in ('status_changed', 'priority_changed') then lower(from_value)
            else from_value
        end as from_value,
        case
            when event_type in ('status_changed', 'priority_changed') then lower(to_value)
            else to_value
        end as to_value,
        reject_reason,
        case when reject_reason is not null then {{ hotline.contract_quarantine_record('ticket_events') }} end
            as raw_record,
        case when reject_reason is not null then {{ hotline.contract_reason_detail('ticket_events') }} end
            as reason_detail,
        _physical_lines,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
