{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw contact-leg record, typed and validated against the landing contract
-- (_telephony__sources.yml): reject_reason is the first rule the record fails (null when
-- valid), raw_record the masked record for quarantine. Raw phone numbers and account ids
-- stop here: the customer is customer_key.
with

contacts as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ hotline.native_contract_rows('contacts') }}) as landed
    {{ hotline.new_deliveries_only() }}
),

cleaned as (
    select
        {{ hotline.contract_cleaned_columns('contacts') }},
        {{ hotline.contract_physical_lines('contacts') }} as _physical_lines,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from contacts
),

typed as (
    select
        *,
        {{ hotline.contract_parsed_columns('contacts') }},
        -- the customer is the account when known, else the normalised phone number
        coalesce(
            {{ hotline.hash_pii('customer_account_id') }},
            {{ hotline.hash_pii(hotline.normalize_phone('customer_number')) }}
        ) as customer_key
    from cleaned
),

validated as (
    select
        *,
        {{ hotline.contract_reject_reason('contacts', [('ended_at < initiated_at', 'end_before_start')]) }}
            as reject_reason
    from typed
),

final as (
    select
        contact_id,
        initial_contact_id,
        previous_contact_id,
        channel,
        direction,
        customer_key,
        -- on outbound and callback legs the number dialed is the customer's own phone (PII):
        -- only an inbound leg's entry point is kept
        case when direction = 'inbound' then dialed_number end as dialed_number,
        initiated_at,
        ivr_ended_at,
        ivr_outcome,
        queue_id,
        enqueued_at,
        answered_at,
        agent_id,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        ended_at,
        disconnect_reason,
        wrap_code,
        last_updated_at,
        reject_reason,
        case when reject_reason is not null then {{ hotline.contract_quarantine_record('contacts') }} end
            as raw_record,
        case when reject_reason is not null then {{ hotline.contract_reason_detail('contacts') }} end
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
