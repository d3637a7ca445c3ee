-- The interactions this build rewrote or deleted: rebuilt from their legs (chg_interactions,
-- including those that lost every leg and are gone) and re-windowed or re-judged
-- (int_interactions rows written in this build). The publish step replaces these keys in the
-- serving copy of fct_customer_contacts.
with

chg_interactions as (
    select * from {{ ref('chg_interactions') }}
),

int_interactions as (
    select * from {{ ref('int_interactions') }}
),

final as (
    select interaction_id from chg_interactions
    union
    select interaction_id from int_interactions
    where _changed_in = '{{ invocation_id }}'
)

select * from final
