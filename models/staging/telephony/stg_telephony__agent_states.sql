{{ config(**hotline.keyed_incremental(['agent_id', 'started_at'])) }}
-- depends_on: {{ ref('base_ops__last_build') }}
-- One row per agent state interval (agent_id, started_at): valid records only, the later
-- delivery wins.
with

base_telephony__agent_states as (
    select * from {{ ref('base_telephony__agent_states') }}
),

ranked as (
    select
        *,
        {{ latest_row_number('agent_id, started_at', '_delivery_seq desc, _source_row desc') }} as row_rank
    from base_telephony__agent_states
    where
        reject_reason is null
        -- incremental runs re-decide only keys delivered since the last build
        and {{ redelivered_keys_only('base_telephony__agent_states', ['agent_id', 'started_at']) }}
),

final as (
    select
        agent_id,
        state,
        started_at,
        ended_at,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ranked
    where row_rank = 1
)

select * from final
