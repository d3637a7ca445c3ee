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

placements as (
    {{ one_to_one_record_placement(
        'amazon_connect_ctr', 'base_amazon_connect__ctr', 'stg_amazon_connect__contacts',
        'base_telephony__contacts', 'stg_telephony__contacts', 'contact_id'
    ) }}
),

final as (
    select
        'amazon_connect' as source_system,
        entity,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at,
        placement,
        reason,
        raw_record
    from placements
)

select * from final
