-- The contact legs this build rewrote (delivered, or re-judged against a changed queue
-- threshold): the keys the publish step replaces in the serving copy of fct_contacts. Legs
-- are never deleted, so every listed key has a row.
with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

final as (
    select contact_id
    from int_contact_legs
    where _changed_in = '{{ invocation_id }}'
)

select * from final
