{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per delivered contact record: the fields the mapping reads, as text (Amazon Connect
-- admin guide, "Contact records data model"), and the first rule the record fails
-- (reject_reason): not JSON / not an object, or no ContactId. Typing and the contract's rules
-- (timestamps, durations, order) are applied by base_telephony__contacts to the mapped row.
{%- set wrap_code_attribute = (hotline.checked_var('amazon_connect_wrap_code_attribute') or none) %}

with

ctr as (
    {{ native_json_records(source('amazon_connect', 'ctr')) }}
),

extracted as (
    select
        {{ clean_text(json_text('json_record', '$.ContactId')) }} as contact_id,
        {{ clean_text(json_text('json_record', '$.InitialContactId')) }} as initial_contact_id,
        {{ clean_text(json_text('json_record', '$.PreviousContactId')) }} as previous_contact_id,
        {{ clean_text(json_text('json_record', '$.NextContactId')) }} as next_contact_id,
        upper({{ clean_text(json_text('json_record', '$.Channel')) }}) as channel_code,
        upper({{ clean_text(json_text('json_record', '$.InitiationMethod')) }}) as initiation_method,
        {{ clean_text(json_text('json_record', '$.InitiationTimestamp')) }} as initiation_timestamp,
        {{ clean_text(json_text('json_record', '$.DisconnectTimestamp')) }} as disconnect_timestamp,
        upper({{ clean_text(json_text('json_record', '$.DisconnectReason')) }}) as disconnect_reason_code,
        {{ clean_text(json_text('json_record', '$.LastUpdateTimestamp')) }} as last_update_timestamp,
        {{ clean_text(json_text('json_record', '$.TransferCompletedTimestamp')) }} as transfer_completed_timestamp,
        {{ clean_text(json_text('json_record', '$.CustomerEndpoint.Address')) }} as customer_address,
        {{ clean_text(json_text('json_record', '$.SystemEndpoint.Address')) }} as system_address,
        {{ clean_text(json_text('json_record', '$.Queue.Name')) }} as queue_name,
        {{ clean_text(json_text('json_record', '$.Queue.ARN')) }} as queue_arn,
        {{ clean_text(json_text('json_record', '$.Queue.EnqueueTimestamp')) }} as enqueue_timestamp,
        {{ clean_text(json_text('json_record', '$.Agent.Username')) }} as agent_username,
        {{ clean_text(json_text('json_record', '$.Agent.ConnectedToAgentTimestamp')) }} as connected_timestamp,
        {{ clean_text(json_text('json_record', '$.Agent.AgentInteractionDuration')) }} as interaction_duration,
        {{ clean_text(json_text('json_record', '$.Agent.CustomerHoldDuration')) }} as hold_duration,
        {{ clean_text(json_text('json_record', '$.Agent.AfterContactWorkDuration')) }} as acw_duration,
        {% if wrap_code_attribute -%}
            {{ clean_text(json_text('json_record', '$.Attributes.' ~ wrap_code_attribute)) }}
        {%- else -%}
            cast(null as {{ dbt.type_string() }})
        {%- endif %} as wrap_code,
        is_object,
        record,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ctr
),

final as (
    select
        *,
        case
            when not is_object then 'malformed_json'
            when contact_id is null then 'missing_required:ContactId'
        end as reject_reason
    from extracted
)

select * from final
