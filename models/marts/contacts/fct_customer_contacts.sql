{{ config(**hotline.keyed_incremental(
    'interaction_id',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where interaction_id in (select interaction_id from {{ ref('chg_interactions') }}){% endif %}",
)) }}
-- depends_on: {{ ref('chg_interactions') }}
-- One row per customer interaction (chain of legs): repeat, FCR and IVR flags of
-- int_interactions, published. customer_key is a salted hash (no raw PII).
-- Incremental: the rows int_interactions rewrote in this run; interactions that lost their
-- legs to another chain are deleted (DECISIONS.md, "Incremental nightly").
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
        ivr_contained
    from int_interactions
    {% if is_incremental() -%}
        where _changed_in = '{{ invocation_id }}'
    {%- endif %}
)

select * from final
