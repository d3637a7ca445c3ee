{{ config(**hotline.keyed_incremental(
    'interaction_id',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where interaction_id in (select interaction_id from {{ ref('chg_interactions') }}){% endif %}",
)) }}
-- depends_on: {{ ref('chg_interactions') }}
-- One row per customer interaction (spec "Customer interactions"): the chain of legs sharing
-- initial_contact_id summarised — its start, date, channel and direction (first leg's), its
-- handling queue and agent (last answered leg; else the last queued leg's queue), its
-- customer and IVR flags. Repeat and FCR are int_interactions' job.
-- Incremental: the interactions chg_interactions lists are rebuilt from their legs (one that
-- lost every leg to another chain is deleted by the pre_hook and not re-inserted).
with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
    {% if is_incremental() -%}
        where interaction_id in (select changed.interaction_id from {{ ref('chg_interactions') }} as changed)
    {%- endif %}
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

final as (
    select
        interaction_id,
        coalesce(first_customer_key, any_customer_key) as customer_key,
        started_at,
        {{ hotline.local_date('started_at') }} as report_date,
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
        and not has_queued_leg as ivr_contained,
        -- the dbt invocation that (re)built the row
        '{{ invocation_id }}' as _changed_in
    from leg_summary
)

select * from final
