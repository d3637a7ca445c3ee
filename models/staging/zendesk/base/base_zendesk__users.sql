{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per delivered Zendesk user record: id, role, e-mail, external_id, updated_at (text)
-- and the first rule the record fails (reject_reason): not a JSON object, or no id.
with

users as (
    {{ native_json_records(source('zendesk', 'users')) }}
),

extracted as (
    select
        {{ clean_text(json_text('json_record', '$.id')) }} as user_id,
        lower({{ clean_text(json_text('json_record', '$.role')) }}) as user_role,
        {{ clean_text(json_text('json_record', '$.email')) }} as email,
        {{ clean_text(json_text('json_record', '$.external_id')) }} as external_id,
        {{ clean_text(json_text('json_record', '$.updated_at')) }} as updated_at,
        is_object,
        record,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from users
),

final as (
    select
        *,
        case
            when not is_object then 'malformed_json'
            when user_id is null then 'missing_required:id'
        end as reject_reason
    from extracted
)

select * from final
