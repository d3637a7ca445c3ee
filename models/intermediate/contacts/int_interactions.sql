-- One row per customer interaction (spec "Customer interactions"): all legs sharing
-- initial_contact_id. Repeat and FCR use window functions over each customer's inbound
-- interactions ordered by start (the nearest previous / next start decides), never a
-- self-join, so the cost stays one sort per customer however long the history.
with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
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

eligibility as (
    select
        *,
        coalesce(direction = 'inbound', false) and customer_key is not null as is_repeat_eligible,
        coalesce(direction = 'inbound', false) and customer_key is not null and is_answered as fcr_eligible
    from interactions
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

windowed as (
    select
        eligibility.*,
        inbound_neighbours.previous_inbound_started_at,
        inbound_neighbours.next_inbound_started_at,
        int_data_watermark.as_of,
        -- windows are inclusive: exactly repeat_window_days x 24 h away still counts
        coalesce(
            {{ seconds_between('inbound_neighbours.previous_inbound_started_at', 'eligibility.started_at') }}
            <= {{ var('repeat_window_days') }} * 86400,
            false
        ) as has_inbound_before,
        coalesce(
            {{ seconds_between('eligibility.started_at', 'inbound_neighbours.next_inbound_started_at') }}
            <= {{ var('repeat_window_days') }} * 86400,
            false
        ) as has_inbound_after,
        coalesce(
            {{ seconds_between('eligibility.started_at', 'int_data_watermark.as_of') }}
            >= {{ var('repeat_window_days') }} * 86400,
            false
        ) as is_window_elapsed
    from eligibility
    left join inbound_neighbours
        on eligibility.interaction_id = inbound_neighbours.interaction_id
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
        as_of
    from flagged
)

select * from final
