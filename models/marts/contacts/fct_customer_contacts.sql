-- One row per customer interaction (chain of legs): repeat, FCR and IVR flags of
-- int_interactions, published. customer_key is a salted hash (no raw PII).
with

int_interactions as (
    select * from {{ ref('int_interactions') }}
),

final as (
    select
        -- keys
        interaction_id,
        customer_key,
        handling_queue_id,
        handling_agent_id,
        -- dimensions
        channel,
        direction,
        started_at,
        report_date,
        -- measures and flags
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
        as_of
    from int_interactions
)

select * from final
