-- The versions of the rebuilt legs that earlier builds may have used: every valid version
-- delivered up to the processed mark. The earlier builds used one of them (the winner at
-- the time), so the interactions, customers and dates listed here are a superset of what the
-- previous build counted the leg in; rebuilding a superset is exact (a key or date that did
-- not change is recomputed to the same rows). Empty on a full build.
with

base_ops__last_build as (
    select * from {{ ref('base_ops__last_build') }}
),

base_telephony__contacts as (
    select * from {{ ref('base_telephony__contacts') }}
),

chg_contact_legs as (
    select * from {{ ref('chg_contact_legs') }}
),

final as (
    select
        base_telephony__contacts.contact_id,
        base_telephony__contacts._delivery_seq,
        base_telephony__contacts._source_row,
        {{ hotline.leg_interaction_id(
            'base_telephony__contacts.initial_contact_id', 'base_telephony__contacts.contact_id'
        ) }} as interaction_id,
        base_telephony__contacts.customer_key,
        -- every local date one of its timestamps falls on: the leg's report date, answer date
        -- and its interaction's start date were among them
        {{ hotline.local_date('base_telephony__contacts.initiated_at') }} as initiated_date,
        {{ hotline.local_date('base_telephony__contacts.enqueued_at') }} as enqueued_date,
        {{ hotline.local_date('base_telephony__contacts.answered_at') }} as answered_date
    from base_telephony__contacts
    cross join base_ops__last_build
    inner join chg_contact_legs
        on base_telephony__contacts.contact_id = chg_contact_legs.contact_id
    where
        base_telephony__contacts._delivery_seq <= base_ops__last_build.processed_seq
        and base_telephony__contacts.reject_reason is null
)

select * from final
