{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw agent-state record, typed and validated against the landing contract
-- (_telephony__sources.yml): reject_reason is the first rule the record fails (null when
-- valid; a state must end after it starts), raw_record the masked record for quarantine.
with

agent_states as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ hotline.native_contract_rows('agent_states') }}) as landed
    {{ hotline.new_deliveries_only() }}
),

cleaned as (
    select
        {{ hotline.contract_cleaned_columns('agent_states') }},
        {{ hotline.contract_physical_lines('agent_states') }} as _physical_lines,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from agent_states
),

typed as (
    select
        *,
        {{ hotline.contract_parsed_columns('agent_states') }}
    from cleaned
),

validated as (
    select
        *,
        -- the contract requires ended_at > started_at: a zero-length state is rejected too
        {{ hotline.contract_reject_reason('agent_states', [('ended_at <= started_at', 'end_before_start')]) }}
            as reject_reason
    from typed
),

final as (
    select
        agent_id,
        state,
        started_at,
        ended_at,
        reject_reason,
        case when reject_reason is not null then {{ hotline.contract_quarantine_record('agent_states') }} end
            as raw_record,
        case when reject_reason is not null then {{ hotline.contract_reason_detail('agent_states') }} end
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
