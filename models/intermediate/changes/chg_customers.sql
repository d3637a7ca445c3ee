-- Customers whose repeat / FCR flags this build re-decides: the customer of every leg of a
-- rebuilt interaction (an interaction's customer is one of its legs' customers) and every
-- customer a rebuilt leg had before. All inbound interactions of these customers are
-- re-windowed. Empty on a full build.
with

chg_interactions as (
    select * from {{ ref('chg_interactions') }}
),

chg_contact_leg_versions_before as (
    select * from {{ ref('chg_contact_leg_versions_before') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

final as (
    select int_contact_legs.customer_key
    from int_contact_legs
    inner join chg_interactions
        on int_contact_legs.interaction_id = chg_interactions.interaction_id
    where int_contact_legs.customer_key is not null
    union
    select customer_key
    from chg_contact_leg_versions_before
    where customer_key is not null
)

select * from final
