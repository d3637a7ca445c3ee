-- Agent states (agent_id, started_at) this run must re-split: a valid version was delivered
-- since the last build. previous_report_date lists each local date the previous build gave
-- the state pieces (one row per date; null for a new state), so a re-delivered state that
-- got shorter still clears the dates it left. Empty on a full build.
-- depends_on: {{ ref('chg_batch') }}, {{ ref('base_telephony__agent_states') }}
{%- set previous_pieces = previous_relation('int_agent_state_intervals') %}

with

{% if previous_pieces is not none -%}

    chg_batch as (
        select * from {{ ref('chg_batch') }}
    ),

    base_telephony__agent_states as (
        select * from {{ ref('base_telephony__agent_states') }}
    ),

    delivered_states as (
        select distinct
            base_telephony__agent_states.agent_id,
            base_telephony__agent_states.started_at
        from base_telephony__agent_states
        cross join chg_batch
        where
            base_telephony__agent_states._delivery_seq > chg_batch.prev_seq
            and base_telephony__agent_states.reject_reason is null
    ),

    previous_dates as (
        select distinct
            previous_pieces.agent_id,
            previous_pieces.state_started_at,
            previous_pieces.report_date
        from {{ previous_pieces }} as previous_pieces
        inner join delivered_states
            on
                previous_pieces.agent_id = delivered_states.agent_id
                and previous_pieces.state_started_at = delivered_states.started_at
    ),

    final as (
        select
            delivered_states.agent_id,
            delivered_states.started_at,
            previous_dates.report_date as previous_report_date
        from delivered_states
        left join previous_dates
            on
                delivered_states.agent_id = previous_dates.agent_id
                and delivered_states.started_at = previous_dates.state_started_at
    )

{%- else -%}

    final as (
        select
            cast(null as varchar) as agent_id,
            cast(null as timestamp) as started_at,
            cast(null as date) as previous_report_date
        where false
    )

{%- endif %}

select * from final
