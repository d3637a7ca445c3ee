{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per delivered Zendesk ticket event (audit) record: its id, ticket, time (created_at,
-- else the epoch `timestamp`), updater and the child_events array (JSON text), and the first
-- rule the record fails (reject_reason): not a JSON object, no id, no ticket_id.
with

ticket_events as (
    {{ native_json_records(source('zendesk', 'ticket_events')) }}
),

extracted as (
    select
        {{ clean_text(json_text('json_record', '$.id')) }} as audit_id,
        {{ clean_text(json_text('json_record', '$.ticket_id')) }} as ticket_id,
        {{ clean_text(json_text('json_record', '$.created_at')) }} as created_at_text,
        {{ clean_text(json_text('json_record', '$.timestamp')) }} as epoch_text,
        {{ clean_text(json_text('json_record', '$.updater_id')) }} as updater_id,
        {{ json_text('json_record', '$.child_events') }} as child_events,
        is_object,
        record,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ticket_events
),

final as (
    select
        *,
        case
            when not is_object then 'malformed_json'
            when audit_id is null then 'missing_required:id'
            when ticket_id is null then 'missing_required:ticket_id'
        end as reject_reason
    from extracted
)

select * from final
