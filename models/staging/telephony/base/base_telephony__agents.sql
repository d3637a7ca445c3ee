{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw agent-directory record, typed and validated against the landing contract
-- (_telephony__sources.yml), with the snapshot's as-of time; reject_reason is the first
-- rule the record fails (null when valid), raw_record the masked record for quarantine.
with

agents as (
    select * from {{ source('telephony', 'agents') }}
    {{ hotline.new_deliveries_only() }}
),

cleaned as (
    select
        {{ hotline.contract_cleaned_columns('agents') }},
        {{ hotline.contract_physical_lines('agents') }} as _physical_lines,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from agents
),

typed as (
    select
        *,
        {{ hotline.contract_parsed_columns('agents') }}
    from cleaned
),

validated as (
    select
        *,
        {{ hotline.contract_reject_reason('agents') }} as reject_reason
    from typed
),

final as (
    select
        agent_id,
        agent_name,
        team,
        site,
        hire_date,
        termination_date,
        updated_at,
        -- the snapshot's as-of time: the source's update time, else when it was delivered
        coalesce(updated_at, _loaded_at) as snapshot_at,
        reject_reason,
        case when reject_reason is not null then {{ hotline.contract_quarantine_record('agents') }} end
            as raw_record,
        case when reject_reason is not null then {{ hotline.contract_reason_detail('agents') }} end
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
