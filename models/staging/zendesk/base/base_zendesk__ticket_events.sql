{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per delivered Zendesk ticket event (audit) record: its id, ticket, time (created_at,
-- else the epoch `timestamp`), updater and the child_events array (JSON text), and the first
-- rule the record fails (reject_reason): not a JSON object, no id, no ticket_id.
with

ticket_events as (
    select * from {{ source('zendesk', 'ticket_events') }}
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

checked as (
    select
        *,
        {{ is_json_object('record') }} as is_object
    from ticket_events
),

objects as (
    select
        *,
        case when is_object then record end as json_record
    from checked
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
    from objects
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
