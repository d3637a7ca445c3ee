{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw agent state interval: typed columns and the first contract rule the
-- record fails (reject_reason, null when valid).
{%- set states = ['available', 'on_contact', 'after_contact_work', 'break', 'meeting', 'training', 'offline'] %}

with

agent_states as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ native_contract_rows('agent_states') }}) as landed
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

cleaned as (
    select
        {{ clean_text('agent_id') }} as agent_id,
        {{ normalize_enum('state') }} as state,
        {{ clean_text('started_at') }} as started_at_text,
        {{ clean_text('ended_at') }} as ended_at_text,
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
        {{ parse_timestamp_utc('started_at_text') }} as started_at,
        {{ parse_timestamp_utc('ended_at_text') }} as ended_at
    from cleaned
),

validated as (
    select
        *,
        case
            when agent_id is null then 'missing_required:agent_id'
            when state is null then 'missing_required:state'
            when started_at_text is null then 'missing_required:started_at'
            when ended_at_text is null then 'missing_required:ended_at'
            when {{ is_unparseable('started_at_text', 'started_at') }} then 'unparseable:started_at'
            when {{ is_unparseable('ended_at_text', 'ended_at') }} then 'unparseable:ended_at'
            when {{ is_unknown_enum('state', states) }} then 'unknown_enum:state'
            -- the contract requires ended_at > started_at: a zero-length state is rejected too
            when ended_at <= started_at then 'end_before_start'
        end as reject_reason
    from typed
),

final as (
    select
        agent_id,
        state,
        started_at,
        ended_at,
        reject_reason,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
