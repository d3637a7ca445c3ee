{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw ticket record, typed and validated against the landing contract
-- (_ticketing__sources.yml), with the customer key and the masked subject; reject_reason is
-- the first rule the record fails (null when valid), raw_record the masked record for
-- quarantine. Raw account ids and e-mail addresses stop here.
with

tickets as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ hotline.native_contract_rows('tickets') }}) as landed
    {{ hotline.new_deliveries_only() }}
),

cleaned as (
    select
        {{ hotline.contract_cleaned_columns('tickets') }},
        {{ hotline.contract_physical_lines('tickets') }} as _physical_lines,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from tickets
),

typed as (
    select
        *,
        {{ hotline.contract_parsed_columns('tickets') }},
        -- same rule as contacts (account id first) so a ticket and a call of one account match
        coalesce(
            {{ hotline.hash_pii('customer_account_id') }},
            {{ hotline.hash_pii('requester_email') }}
        ) as customer_key
    from cleaned
),

validated as (
    select
        *,
        {{ hotline.contract_reject_reason('tickets') }} as reject_reason
    from typed
),

final as (
    select
        ticket_id,
        created_at,
        updated_at,
        source_channel,
        origin_contact_id,
        customer_key,
        priority,
        category,
        status,
        assigned_group,
        assignee_agent_id,
        {{ hotline.mask_pii_text('subject') }} as subject_masked,
        reject_reason,
        case when reject_reason is not null then {{ hotline.contract_quarantine_record('tickets') }} end
            as raw_record,
        case when reject_reason is not null then {{ hotline.contract_reason_detail('tickets') }} end
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
