-- Agent states (agent_id, started_at) this build re-splits: a valid version was delivered
-- since the last complete build. Empty on a full build.
with

base_ops__last_build as (
    select * from {{ ref('base_ops__last_build') }}
),

base_telephony__agent_states as (
    select * from {{ ref('base_telephony__agent_states') }}
),

final as (
    select distinct
        base_telephony__agent_states.agent_id,
        base_telephony__agent_states.started_at
    from base_telephony__agent_states
    cross join base_ops__last_build
    where
        base_ops__last_build.processed_seq >= 0
        and base_telephony__agent_states._delivery_seq > base_ops__last_build.processed_seq
        and base_telephony__agent_states.reject_reason is null
)

select * from final
