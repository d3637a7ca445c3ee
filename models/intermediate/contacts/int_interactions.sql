-- One row per customer interaction (spec "Customer interactions"): all legs sharing
-- initial_contact_id. Repeat and FCR use window functions over each customer's inbound
-- interactions ordered by start (the nearest previous / next start decides), never a
-- self-join, so the cost stays one sort per customer however long the history.
--
-- Incremental runs (DECISIONS.md, "Incremental nightly") rebuild the interactions chg_interactions lists
-- from their legs, re-window every interaction of the customers chg_customers lists (their
-- other interactions' leg summaries are read back from this table), and re-judge against the
-- new as_of the interactions whose FCR was provisional or is still inside the window (with
-- their stored neighbours). Only rows that differ from the stored ones are written.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='interaction_id',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where interaction_id in (select interaction_id from {{ ref('chg_interactions') }}){% endif %}",
) }}
-- depends_on: {{ ref('chg_interactions') }}, {{ ref('chg_customers') }}
{%- set summary_columns = [
    'interaction_id', 'customer_key', 'started_at', 'report_date', 'channel', 'direction',
    'handling_queue_id', 'handling_agent_id', 'leg_count', 'is_answered', 'has_queued_leg',
    'ivr_entered', 'ivr_contained'] %}
{%- set output_columns = summary_columns + [
    'is_repeat_eligible', 'is_repeat', 'fcr_eligible', 'is_fcr', 'is_fcr_final',
    'previous_inbound_started_at', 'next_inbound_started_at'] %}

with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
    {% if is_incremental() -%}
        where interaction_id in (select changed.interaction_id from {{ ref('chg_interactions') }} as changed)
    {%- endif %}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

ranked_legs as (
    select
        *,
        -- first leg: the one whose id is the interaction id, else the earliest
        row_number() over (
            partition by interaction_id
            order by case when contact_id = interaction_id then 0 else 1 end, initiated_at, contact_id
        ) as first_leg_rank,
        -- last answered leg by answered_at (legs without an agent sort last)
        row_number() over (
            partition by interaction_id
            order by case when answered_at is null then 1 else 0 end, answered_at desc, contact_id desc
        ) as last_answered_rank,
        -- last queued leg by enqueued_at (legs never queued sort last)
        row_number() over (
            partition by interaction_id
            order by case when enqueued_at is null then 1 else 0 end, enqueued_at desc, contact_id desc
        ) as last_queued_rank
    from int_contact_legs
),

leg_summary as (
    select
        interaction_id,
        count(*) as leg_count,
        -- an interaction is answered when an agent was connected on any leg
        coalesce(bool_or(answered_at is not null), false) as is_answered,
        coalesce(bool_or(enqueued_at is not null), false) as has_queued_leg,
        -- fallback when the first leg carries no customer: any identified leg (all legs of
        -- one interaction are the same caller)
        min(customer_key) as any_customer_key,
        max(case when first_leg_rank = 1 then customer_key end) as first_customer_key,
        max(case when first_leg_rank = 1 then initiated_at end) as started_at,
        max(case when first_leg_rank = 1 then channel end) as channel,
        max(case when first_leg_rank = 1 then direction end) as direction,
        max(case when first_leg_rank = 1 then ivr_ended_at end) as first_ivr_ended_at,
        max(case when first_leg_rank = 1 then ivr_outcome end) as first_ivr_outcome,
        max(case when last_answered_rank = 1 and answered_at is not null then queue_id end)
            as answered_queue_id,
        max(case when last_answered_rank = 1 and answered_at is not null then agent_id end)
            as answered_agent_id,
        max(case when last_queued_rank = 1 and enqueued_at is not null then queue_id end)
            as queued_queue_id
    from ranked_legs
    group by interaction_id
),

interactions as (
    select
        interaction_id,
        coalesce(first_customer_key, any_customer_key) as customer_key,
        started_at,
        {{ local_date('started_at') }} as report_date,
        channel,
        direction,
        case when is_answered then answered_queue_id else queued_queue_id end as handling_queue_id,
        case when is_answered then answered_agent_id end as handling_agent_id,
        leg_count,
        is_answered,
        has_queued_leg,
        first_ivr_ended_at is not null as ivr_entered,
        first_ivr_ended_at is not null
        and coalesce(first_ivr_outcome = 'self_service', false)
        and not has_queued_leg as ivr_contained
    from leg_summary
),

{% if is_incremental() -%}
    stored_interactions as (
        select * from {{ this }}
    ),

    context_interactions as (
    -- the affected customers' other interactions: legs unchanged, summary read back
        select
            {{ summary_columns | join(',\n        ') }}
        from stored_interactions
        where
            stored_interactions.customer_key in (
                select affected.customer_key from {{ ref('chg_customers') }} as affected
            )
            and stored_interactions.interaction_id not in (
                select changed.interaction_id from {{ ref('chg_interactions') }} as changed
            )
    ),

    rewindowed as (
        select
            {{ summary_columns | join(',\n        ') }}
        from interactions
        union all
        select
            {{ summary_columns | join(',\n        ') }}
        from context_interactions
    ),

{% endif -%}

eligibility as (
    select
        *,
        coalesce(direction = 'inbound', false) and customer_key is not null as is_repeat_eligible,
        coalesce(direction = 'inbound', false) and customer_key is not null and is_answered as fcr_eligible
    from {{ 'rewindowed' if is_incremental() else 'interactions' }}
),

-- the customer's previous and next inbound start; ties on the same instant are ordered by
-- interaction_id, so of two simultaneous interactions exactly one is the repeat of the other
inbound_neighbours as (
    select
        interaction_id,
        lag(started_at) over (
            partition by customer_key order by started_at, interaction_id
        ) as previous_inbound_started_at,
        lead(started_at) over (
            partition by customer_key order by started_at, interaction_id
        ) as next_inbound_started_at
    from eligibility
    where is_repeat_eligible
),

neighboured as (
    select
        eligibility.*,
        inbound_neighbours.previous_inbound_started_at,
        inbound_neighbours.next_inbound_started_at
    from eligibility
    left join inbound_neighbours
        on eligibility.interaction_id = inbound_neighbours.interaction_id
    {%- if is_incremental() %}
        union all
        -- provisional FCR, or a window still open at the new as_of: only as_of is re-applied,
        -- the neighbours are unchanged (the customer is not affected)
        select
            {%- for column in summary_columns %}
                stored_interactions.{{ column }},
            {%- endfor %}
            stored_interactions.is_repeat_eligible,
            stored_interactions.fcr_eligible,
            stored_interactions.previous_inbound_started_at,
            stored_interactions.next_inbound_started_at
        from stored_interactions
        cross join int_data_watermark
        where
            (
                not stored_interactions.is_fcr_final
                or {{ seconds_between('stored_interactions.started_at', 'int_data_watermark.as_of') }}
                < {{ checked_var('repeat_window_days') }} * 86400
            )
            and (
                stored_interactions.customer_key is null
                or stored_interactions.customer_key not in (
                    select affected.customer_key from {{ ref('chg_customers') }} as affected
                )
            )
            and stored_interactions.interaction_id not in (
                select changed.interaction_id from {{ ref('chg_interactions') }} as changed
            )
    {%- endif %}
),

windowed as (
    select
        neighboured.*,
        int_data_watermark.as_of,
        -- windows are inclusive: exactly repeat_window_days x 24 h away still counts
        coalesce(
            {{ seconds_between('neighboured.previous_inbound_started_at', 'neighboured.started_at') }}
            <= {{ checked_var('repeat_window_days') }} * 86400,
            false
        ) as has_inbound_before,
        coalesce(
            {{ seconds_between('neighboured.started_at', 'neighboured.next_inbound_started_at') }}
            <= {{ checked_var('repeat_window_days') }} * 86400,
            false
        ) as has_inbound_after,
        coalesce(
            {{ seconds_between('neighboured.started_at', 'int_data_watermark.as_of') }}
            >= {{ checked_var('repeat_window_days') }} * 86400,
            false
        ) as is_window_elapsed
    from neighboured
    cross join int_data_watermark
),

flagged as (
    select
        *,
        is_repeat_eligible and has_inbound_before as is_repeat,
        fcr_eligible and not has_inbound_after as is_fcr,
        -- final once the window has elapsed by as_of or a later contact already broke FCR
        is_window_elapsed or has_inbound_after as is_fcr_final
    from windowed
),

final as (
    select
        interaction_id,
        customer_key,
        started_at,
        report_date,
        channel,
        direction,
        handling_queue_id,
        handling_agent_id,
        leg_count,
        is_answered,
        has_queued_leg,
        is_repeat_eligible,
        is_repeat,
        fcr_eligible,
        is_fcr,
        is_fcr_final,
        ivr_entered,
        ivr_contained,
        previous_inbound_started_at,
        next_inbound_started_at,
        -- the dbt invocation that last (re)wrote the row (downstream picks up changes by it)
        '{{ invocation_id }}' as _changed_in
    from flagged
)

{% if is_incremental() -%}
    select final.*
    from final
    left join stored_interactions
        on
            final.interaction_id = stored_interactions.interaction_id
            and {{ null_safe_equal_all('final', 'stored_interactions', output_columns) | indent(8) }}
    -- a row identical to the stored one is not rewritten
    where stored_interactions.interaction_id is null
{%- else -%}
    select * from final
{%- endif %}
