{{ config(**hotline.keyed_incremental('contact_id')) }}
-- depends_on: {{ ref('base_ops__last_build') }}
-- One row per contact leg (contact_id): valid records only, the latest version wins —
-- the larger last_updated_at when the source sent one, then the later delivery, then the
-- later row of that delivery.
with

base_telephony__contacts as (
    select * from {{ ref('base_telephony__contacts') }}
),

ranked as (
    select
        *,
        {{ latest_row_number('contact_id', 'last_updated_at desc nulls last, _delivery_seq desc, _source_row desc') }}
            as row_rank
    from base_telephony__contacts
    where
        base_telephony__contacts.reject_reason is null  -- noqa: RF03
        -- incremental runs re-decide only keys delivered since the last build
        and {{ redelivered_keys_only('base_telephony__contacts', ['contact_id']) }}
),

final as (
    select
        contact_id,
        initial_contact_id,
        previous_contact_id,
        channel,
        direction,
        customer_key,
        dialed_number,
        initiated_at,
        ivr_ended_at,
        ivr_outcome,
        queue_id,
        enqueued_at,
        answered_at,
        agent_id,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        ended_at,
        disconnect_reason,
        wrap_code,
        last_updated_at,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ranked
    where row_rank = 1
)

select * from final
