-- One row per agent per delivered directory snapshot (agent_id, _delivery_seq): every
-- snapshot is kept for the type-2 dim_agents; an agent listed twice in one snapshot keeps
-- its most recently updated row, then the later row of the file.
with

base_telephony__agents as (
    select * from {{ ref('base_telephony__agents') }}
),

ranked as (
    select
        *,
        {{ latest_row_number('agent_id, _delivery_seq', 'updated_at desc nulls last, _source_row desc') }} as row_rank
    from base_telephony__agents
    where reject_reason is null
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
        snapshot_at,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ranked
    where row_rank = 1
)

select * from final
