{{ config(materialized='view') }}
-- Contact records mapped to the shape of raw.contacts (contract columns as text, then the
-- record's own lineage: one mapped row per record), read by base_telephony__contacts beside
-- the delivered contact rows. The contract then types and validates them and keeps, per
-- ContactId, the record with the latest LastUpdateTimestamp (last_updated_at). Spec mapping:
--   channel      VOICE -> voice, CHAT -> chat; other channels are skipped (not mapped)
--   direction    INBOUND / OUTBOUND / CALLBACK as such; TRANSFER / QUEUE_TRANSFER the
--                direction of the interaction's first leg (inbound when it is not delivered);
--                MONITOR skipped. API is what the Connect APIs write: StartChatContact
--                (chat: inbound), StartOutboundVoiceContact (voice: outbound); WEBRTC_API
--                inbound; EXTERNAL_OUTBOUND / CAMPAIGN_PREVIEW outbound; DISCONNECT (a
--                disconnect flow, no customer leg) skipped. Any other value is passed on, so
--                the contract quarantines it (unknown_enum:direction).
--   disconnect   transfer when NextContactId or TransferCompletedTimestamp is set, else
--                CUSTOMER_DISCONNECT / AGENT_DISCONNECT as such, else system
-- A view: base_telephony__contacts reads only the records of new deliveries.
{%- set queue_field = hotline.checked_var('amazon_connect_queue_id') %}

with

base_amazon_connect__ctr as (
    select * from {{ ref('base_amazon_connect__ctr') }}
),

records as (
    select
        *,
        case channel_code when 'VOICE' then 'voice' when 'CHAT' then 'chat' end as channel,
        case
            when initiation_method in ('INBOUND', 'OUTBOUND', 'CALLBACK') then lower(initiation_method)
            when initiation_method = 'API' and channel_code = 'CHAT' then 'inbound'
            when initiation_method = 'API' then 'outbound'
            when initiation_method = 'WEBRTC_API' then 'inbound'
            when initiation_method in ('EXTERNAL_OUTBOUND', 'CAMPAIGN_PREVIEW') then 'outbound'
            when initiation_method in ('TRANSFER', 'QUEUE_TRANSFER') then 'transfer'
            else lower(initiation_method)
        end as own_direction
    from base_amazon_connect__ctr
    where reject_reason is null
),

first_legs as (
    -- the direction of each interaction's first leg, from its latest record
    select
        contact_id,
        own_direction,
        row_number() over (
            partition by contact_id
            order by
                {{ parse_timestamp_utc('last_update_timestamp') }} desc nulls last,
                _delivery_seq desc,
                _source_row desc
        ) as record_rank
    from records
    where initial_contact_id is null or initial_contact_id = contact_id
),

mapped as (
    select
        records.*,
        case
            when records.own_direction = 'transfer'
                then coalesce(nullif(first_legs.own_direction, 'transfer'), 'inbound')
            else records.own_direction
        end as direction
    from records
    left join first_legs
        on
            records.initial_contact_id = first_legs.contact_id
            and first_legs.record_rank = 1
    where
        records.channel is not null
        and coalesce(records.initiation_method, '') not in ('MONITOR', 'DISCONNECT')
),

final as (
    select
        contact_id,
        initial_contact_id,
        previous_contact_id,
        channel,
        direction,
        customer_address as customer_number,
        cast(null as {{ dbt.type_string() }}) as customer_account_id,
        system_address as dialed_number,
        initiation_timestamp as initiated_at,
        cast(null as {{ dbt.type_string() }}) as ivr_ended_at,
        cast(null as {{ dbt.type_string() }}) as ivr_outcome,
        {{ 'queue_arn' if queue_field == 'arn' else 'queue_name' }} as queue_id,
        enqueue_timestamp as enqueued_at,
        connected_timestamp as answered_at,
        agent_username as agent_id,
        interaction_duration as talk_seconds,
        hold_duration as hold_seconds,
        acw_duration as acw_seconds,
        disconnect_timestamp as ended_at,
        case
            when next_contact_id is not null or transfer_completed_timestamp is not null then 'transfer'
            when disconnect_reason_code = 'CUSTOMER_DISCONNECT' then 'customer_disconnect'
            when disconnect_reason_code = 'AGENT_DISCONNECT' then 'agent_disconnect'
            else 'system'
        end as disconnect_reason,
        wrap_code,
        last_update_timestamp as last_updated_at,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from mapped
)

select * from final
