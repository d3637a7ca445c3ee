{{ config(**hotline.keyed_incremental('contact_id')) }}
-- One row per contact leg: the leg flags of int_contact_legs, published. No raw PII:
-- customer_key is a salted hash. Orphan queue/agent ids are kept as delivered (dim_queues
-- carries an inferred member for each unknown queue id).
with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

final as (
    select
        -- keys
        contact_id,
        interaction_id,
        previous_contact_id,
        customer_key,
        queue_id,
        agent_id,
        -- dimensions
        channel,
        direction,
        disconnect_reason,
        wrap_code,
        ivr_outcome,
        -- timestamps (UTC) and local reporting periods
        initiated_at,
        ivr_ended_at,
        enqueued_at,
        answered_at,
        ended_at,
        interval_start,
        interval_start_utc,
        report_date,
        answered_date,
        -- flags
        is_offered,
        is_answered,
        is_abandoned,
        is_short_abandoned,
        is_answered_within_sl,
        is_abandoned_within_sl,
        is_transferred_out,
        is_handled,
        is_offered_in_hours,
        -- measures
        service_level_seconds,
        wait_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        handle_seconds
    from int_contact_legs
    {% if is_incremental() -%}
    -- the legs int_contact_legs rebuilt in this run (legs are never deleted)
        where _changed_in = '{{ invocation_id }}'
    {%- endif %}
)

select * from final
