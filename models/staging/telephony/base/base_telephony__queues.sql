{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw queue-configuration record, typed and validated against the landing
-- contract (_telephony__sources.yml; service_level_target is a share 0-1, so a percentage
-- such as 80 is rejected, not guessed). Missing service levels stay null: dim_queues applies
-- the defaults. raw_record is the masked record for quarantine.
with

queues as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ hotline.native_contract_rows('queues') }}) as landed
    {{ hotline.new_deliveries_only() }}
),

cleaned as (
    select
        {{ hotline.contract_cleaned_columns('queues') }},
        {{ hotline.contract_physical_lines('queues') }} as _physical_lines,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from queues
),

typed as (
    select
        *,
        {{ hotline.contract_parsed_columns('queues') }}
    from cleaned
),

validated as (
    select
        *,
        {{ hotline.contract_reject_reason('queues') }} as reject_reason
    from typed
),

final as (
    select
        queue_id,
        queue_name,
        channel,
        service_level_seconds,
        service_level_target,
        business_unit,
        updated_at,
        reject_reason,
        case when reject_reason is not null then {{ hotline.contract_quarantine_record('queues') }} end
            as raw_record,
        case when reject_reason is not null then {{ hotline.contract_reason_detail('queues') }} end
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
