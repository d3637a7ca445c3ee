{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per delivered Zendesk ticket record: the fields the mapping reads, as text, and the
-- first rule the record fails (reject_reason): not a JSON object, or no id. The contract's
-- rules are applied by base_ticketing__tickets to the mapped row.
with

tickets as (
    {{ native_json_records(source('zendesk', 'tickets')) }}
),

extracted as (
    select
        {{ clean_text(json_text('json_record', '$.id')) }} as ticket_id,
        {{ clean_text(json_text('json_record', '$.created_at')) }} as created_at,
        {{ clean_text(json_text('json_record', '$.updated_at')) }} as updated_at,
        lower({{ clean_text(json_text('json_record', '$.status')) }}) as status,
        lower({{ clean_text(json_text('json_record', '$.priority')) }}) as priority,
        lower({{ clean_text(json_text('json_record', '$.via.channel')) }}) as via_channel,
        {{ clean_text(json_text('json_record', '$.requester_id')) }} as requester_id,
        {{ clean_text(json_text('json_record', '$.assignee_id')) }} as assignee_id,
        {{ clean_text(json_text('json_record', '$.group_id')) }} as group_id,
        {{ clean_text(json_text('json_record', '$.subject')) }} as subject,
        is_object,
        record,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from tickets
),

final as (
    select
        *,
        case
            when not is_object then 'malformed_json'
            when ticket_id is null then 'missing_required:id'
        end as reject_reason
    from extracted
)

select * from final
