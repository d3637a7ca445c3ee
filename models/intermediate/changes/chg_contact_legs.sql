-- Contact legs this build rebuilds because a valid version of them was delivered since the
-- last complete build (int_contact_legs also rebuilds, on its own, legs whose queue's
-- service-level threshold changed). Empty on a full build: everything is rebuilt anyway.
with

base_ops__last_build as (
    select * from {{ ref('base_ops__last_build') }}
),

base_telephony__contacts as (
    select * from {{ ref('base_telephony__contacts') }}
),

final as (
    select distinct base_telephony__contacts.contact_id
    from base_telephony__contacts
    cross join base_ops__last_build
    where
        base_ops__last_build.processed_seq >= 0
        and base_telephony__contacts._delivery_seq > base_ops__last_build.processed_seq
        and base_telephony__contacts.reject_reason is null
)

select * from final
