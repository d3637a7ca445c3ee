-- Interactions this run must rebuild: those a rebuilt leg belongs to now or belonged to
-- before, with the values the previous build gave them (previous_*: null for a new one).
-- An interaction that lost all its legs (they moved to another chain) is deleted by the
-- models that key on it. Empty on a full build.
-- depends_on: {{ ref('chg_contact_legs') }}, {{ ref('int_contact_legs') }}
{%- set previous_interactions = previous_relation('int_interactions') %}

with

{% if previous_interactions is not none -%}

    chg_contact_legs as (
        select * from {{ ref('chg_contact_legs') }}
    ),

    int_contact_legs as (
        select * from {{ ref('int_contact_legs') }}
    ),

    previous_interactions as (
        select * from {{ previous_interactions }}
    ),

    changed_interactions as (
        select int_contact_legs.interaction_id
        from int_contact_legs
        inner join chg_contact_legs
            on int_contact_legs.contact_id = chg_contact_legs.contact_id
        union
        select previous_interaction_id
        from chg_contact_legs
        where previous_interaction_id is not null
    ),

    final as (
        select
            changed_interactions.interaction_id,
            previous_interactions.customer_key as previous_customer_key,
            previous_interactions.report_date as previous_report_date,
            previous_interactions.channel as previous_channel,
            previous_interactions.handling_queue_id as previous_handling_queue_id,
            previous_interactions.handling_agent_id as previous_handling_agent_id
        from changed_interactions
        left join previous_interactions
            on changed_interactions.interaction_id = previous_interactions.interaction_id
    )

{%- else -%}

    final as (
        select
            cast(null as varchar) as interaction_id,
            cast(null as varchar) as previous_customer_key,
            cast(null as date) as previous_report_date,
            cast(null as varchar) as previous_channel,
            cast(null as varchar) as previous_handling_queue_id,
            cast(null as varchar) as previous_handling_agent_id
        where false
    )

{%- endif %}

select * from final
