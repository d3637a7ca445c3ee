-- Where every delivered contact record went (one row per raw record), for the reconciliation
-- and the quarantine:
--   quarantined  not JSON, not an object, no ContactId; or its mapped row broke a contract rule
--                in base_telephony__contacts (that rule's reason, e.g. end_before_start)
--   ignored      a channel other than VOICE / CHAT, or a MONITOR / DISCONNECT contact (spec)
--   mapped       the record is the version of its ContactId in stg_telephony__contacts
--   superseded   an older version of a ContactId (a record re-delivered with a later
--                LastUpdateTimestamp won)
-- A valid record neither kept nor superseded is 'unaccounted', which breaks the reconciliation.
with

base_amazon_connect__ctr as (
    select * from {{ ref('base_amazon_connect__ctr') }}
),

stg_amazon_connect__contacts as (
    select * from {{ ref('stg_amazon_connect__contacts') }}
),

base_telephony__contacts as (
    select * from {{ ref('base_telephony__contacts') }}
),

stg_telephony__contacts as (
    select * from {{ ref('stg_telephony__contacts') }}
),

kept_contact_ids as (
    select distinct contact_id from stg_telephony__contacts
),

final as (
    select
        'amazon_connect' as source_system,
        'amazon_connect_ctr' as entity,
        records._source_file,
        records._source_row,
        records._batch_id,
        records._delivery_seq,
        records._loaded_at,
        case
            when records.reject_reason is not null then 'quarantined'
            when mapped._source_row is null then 'ignored'
            when validated.reject_reason is not null then 'quarantined'
            when kept._source_row is not null then 'mapped'
            -- a later version of the ContactId was kept; otherwise the record got lost on the
            -- way, which the reconciliation must show (not one of the five places)
            when kept_contact_ids.contact_id is not null then 'superseded'
            else 'unaccounted'
        end as placement,
        coalesce(records.reject_reason, validated.reject_reason) as reason,
        case
            when records.reject_reason is not null then records.record
            when validated.reject_reason is not null then validated.raw_record
        end as raw_record
    from base_amazon_connect__ctr as records
    left join stg_amazon_connect__contacts as mapped
        on records._delivery_seq = mapped._delivery_seq and records._source_row = mapped._source_row
    left join base_telephony__contacts as validated
        on records._delivery_seq = validated._delivery_seq and records._source_row = validated._source_row
    left join stg_telephony__contacts as kept
        on records._delivery_seq = kept._delivery_seq and records._source_row = kept._source_row
    left join kept_contact_ids
        on mapped.contact_id = kept_contact_ids.contact_id
)

select * from final
