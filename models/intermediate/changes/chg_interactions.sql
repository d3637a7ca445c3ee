-- Interactions this build rebuilds: the one each delivered leg belongs to now, and every one
-- it may have belonged to before (chg_contact_leg_versions_before). An interaction that lost
-- all its legs to another chain is deleted by the models keyed on it. Empty on a full build.
with

chg_contact_legs as (
    select * from {{ ref('chg_contact_legs') }}
),

chg_contact_leg_versions_before as (
    select * from {{ ref('chg_contact_leg_versions_before') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

final as (
    select int_contact_legs.interaction_id
    from int_contact_legs
    inner join chg_contact_legs
        on int_contact_legs.contact_id = chg_contact_legs.contact_id
    union
    select interaction_id
    from chg_contact_leg_versions_before
)

select * from final
