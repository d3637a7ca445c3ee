-- Contact legs this run must rebuild, with the values the previous build gave them
-- (previous_*: null for a new leg). A leg is rebuilt when a valid version of it was
-- delivered since the last build, or when its queue's service-level threshold changed
-- (dim_queues is the latest snapshot, so a new threshold applies to the queue's whole
-- history — exactly what a full rebuild does). The previous values say which interactions,
-- customers and dates the leg used to count in. Empty on a full build.
-- depends_on: {{ ref('chg_batch') }}, {{ ref('base_telephony__contacts') }}, {{ ref('stg_telephony__queues') }}
{%- set previous_legs = previous_relation('int_contact_legs') -%}
{%- set previous_queues = previous_relation('dim_queues') %}

with

{% if previous_legs is not none -%}

    chg_batch as (
        select * from {{ ref('chg_batch') }}
    ),

    base_telephony__contacts as (
        select * from {{ ref('base_telephony__contacts') }}
    ),

    stg_telephony__queues as (
        select * from {{ ref('stg_telephony__queues') }}
    ),

    previous_legs as (
        select * from {{ previous_legs }}
    ),

    delivered_contacts as (
        select distinct base_telephony__contacts.contact_id
        from base_telephony__contacts
        cross join chg_batch
        where
            base_telephony__contacts._delivery_seq > chg_batch.prev_seq
            and base_telephony__contacts.reject_reason is null
    ),

    reconfigured_queues as (
        {% if previous_queues is not none -%}
            -- the threshold the last build used (dim_queues applies the default) vs the new one
            select previous_queues.queue_id
            from {{ previous_queues }} as previous_queues
            inner join stg_telephony__queues
                on previous_queues.queue_id = stg_telephony__queues.queue_id
            where
                cast(
                    coalesce(
                        stg_telephony__queues.service_level_seconds, {{ checked_var('default_service_level_seconds') }}
                    ) as double
                )
                is distinct from previous_queues.service_level_seconds
        {%- else -%}
    select cast(null as varchar) as queue_id
    where false
    {%- endif %}
    ),

    changed_contacts as (
        select contact_id from delivered_contacts
        union
        select previous_legs.contact_id
        from previous_legs
        inner join reconfigured_queues
            on previous_legs.queue_id = reconfigured_queues.queue_id
    ),

    final as (
        select
            changed_contacts.contact_id,
            previous_legs.interaction_id as previous_interaction_id,
            previous_legs.customer_key as previous_customer_key,
            previous_legs.queue_id as previous_queue_id,
            previous_legs.agent_id as previous_agent_id,
            previous_legs.channel as previous_channel,
            previous_legs.report_date as previous_report_date,
            previous_legs.answered_date as previous_answered_date
        from changed_contacts
        left join previous_legs
            on changed_contacts.contact_id = previous_legs.contact_id
    )

{%- else -%}

    final as (
    -- full build: nothing to track
        select
            cast(null as varchar) as contact_id,
            cast(null as varchar) as previous_interaction_id,
            cast(null as varchar) as previous_customer_key,
            cast(null as varchar) as previous_queue_id,
            cast(null as varchar) as previous_agent_id,
            cast(null as varchar) as previous_channel,
            cast(null as date) as previous_report_date,
            cast(null as date) as previous_answered_date
        where false
    )

{%- endif %}

select * from final
