{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw agent-directory record: typed columns and the first contract rule the
-- record fails (reject_reason, null when valid).
with

agents as (
    select * from {{ source('telephony', 'agents') }}
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

cleaned as (
    select
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_text('agent_name') }} as agent_name,
        {{ clean_text('team') }} as team,
        {{ clean_text('site') }} as site,
        {{ clean_text('hire_date') }} as hire_date_text,
        {{ clean_text('termination_date') }} as termination_date_text,
        {{ clean_text('updated_at') }} as updated_at_text,
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
        {{ parse_date('hire_date_text') }} as hire_date,
        {{ parse_date('termination_date_text') }} as termination_date,
        {{ parse_timestamp_utc('updated_at_text') }} as updated_at,
        -- the snapshot's as-of time: the source's update time, else when it was delivered
        coalesce({{ parse_timestamp_utc('updated_at_text') }}, _loaded_at) as snapshot_at
    from cleaned
),

validated as (
    select
        *,
        case
            when agent_id is null then 'missing_required:agent_id'
            when {{ is_unparseable('hire_date_text', 'hire_date') }} then 'unparseable:hire_date'
            when {{ is_unparseable('termination_date_text', 'termination_date') }} then 'unparseable:termination_date'
            when {{ is_unparseable('updated_at_text', 'updated_at') }} then 'unparseable:updated_at'
        end as reject_reason
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
        snapshot_at,
        reject_reason,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
