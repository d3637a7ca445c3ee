-- Customers whose repeat / FCR flags this run must re-decide: every customer a rebuilt
-- interaction belonged to before or may belong to now (the customer of an interaction is one
-- of its legs' customers). All inbound interactions of these customers are re-windowed.
-- depends_on: {{ ref('chg_interactions') }}, {{ ref('int_contact_legs') }}
with

chg_interactions as (
    select * from {{ ref('chg_interactions') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

final as (
    select previous_customer_key as customer_key
    from chg_interactions
    where previous_customer_key is not null
    union
    select int_contact_legs.customer_key
    from int_contact_legs
    inner join chg_interactions
        on int_contact_legs.interaction_id = chg_interactions.interaction_id
    where int_contact_legs.customer_key is not null
)

select * from final
