-- Contact legs from the queue_log in the shape of raw.contacts (contract columns as text,
-- then lineage), read by base_telephony__contacts beside the delivered contact rows: the
-- contract's validation, de-duplication and everything downstream apply unchanged. Only
-- complete legs (outcome delivered); a pending pass is held back until a later delivery
-- completes it. Each leg carries the delivery of its latest line (version_seq): when a later
-- delivery changes a leg (its wrap-up, a late line), the leg is delivered again and, like any
-- re-delivered contact, the later delivery wins. channel voice, direction inbound, no IVR
-- fields, no hold, no dialed number, no account id (queue_log has none of them).
with

stg_asterisk__contact_legs as (
    select * from {{ ref('stg_asterisk__contact_legs') }}
),

stg_landing__files as (
    select * from {{ ref('stg_landing__files') }}
),

legs as (
    select
        *,
        row_number() over (partition by version_seq order by contact_id) as version_row
    from stg_asterisk__contact_legs
    where is_complete
),

final as (
    select
        legs.contact_id,
        legs.initial_contact_id,
        legs.previous_contact_id,
        'voice' as channel,
        'inbound' as direction,
        legs.customer_number,
        cast(null as {{ dbt.type_string() }}) as customer_account_id,
        cast(null as {{ dbt.type_string() }}) as dialed_number,
        {{ utc_iso_text('legs.initiated_at') }} as initiated_at,
        cast(null as {{ dbt.type_string() }}) as ivr_ended_at,
        cast(null as {{ dbt.type_string() }}) as ivr_outcome,
        legs.queue_id,
        {{ utc_iso_text('legs.enqueued_at') }} as enqueued_at,
        {{ utc_iso_text('legs.answered_at') }} as answered_at,
        legs.agent_id,
        {{ number_text('legs.talk_seconds') }} as talk_seconds,
        cast(null as {{ dbt.type_string() }}) as hold_seconds,
        {{ number_text('legs.acw_seconds') }} as acw_seconds,
        {{ utc_iso_text('legs.ended_at') }} as ended_at,
        legs.disconnect_reason,
        cast(null as {{ dbt.type_string() }}) as wrap_code,
        cast(null as {{ dbt.type_string() }}) as last_updated_at,
        stg_landing__files.source_file as _source_file,
        legs.version_row as _source_row,
        stg_landing__files.batch_id as _batch_id,
        legs.version_seq as _delivery_seq,
        stg_landing__files.loaded_at as _loaded_at
    from legs
    inner join stg_landing__files
        on legs.version_seq = stg_landing__files.delivery_seq
)

select * from final
