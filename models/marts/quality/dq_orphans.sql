-- One row per reference column checked: how many staged rows point at a key that does not
-- exist (an unknown queue, agent, contact or ticket). Orphans are kept in the facts and
-- mapped to an "unknown" member (landing contract); this counts them, and the gate's
-- orphan_share rule reads it.
{%- set references = [
    {'entity': 'contacts', 'model': 'stg_telephony__contacts', 'column': 'queue_id',
     'parent': 'stg_telephony__queues', 'parent_column': 'queue_id'},
    {'entity': 'contacts', 'model': 'stg_telephony__contacts', 'column': 'agent_id',
     'parent': 'stg_telephony__agents', 'parent_column': 'agent_id'},
    {'entity': 'contacts', 'model': 'stg_telephony__contacts', 'column': 'initial_contact_id',
     'parent': 'stg_telephony__contacts', 'parent_column': 'contact_id'},
    {'entity': 'contacts', 'model': 'stg_telephony__contacts', 'column': 'previous_contact_id',
     'parent': 'stg_telephony__contacts', 'parent_column': 'contact_id'},
    {'entity': 'agent_states', 'model': 'stg_telephony__agent_states', 'column': 'agent_id',
     'parent': 'stg_telephony__agents', 'parent_column': 'agent_id'},
    {'entity': 'tickets', 'model': 'stg_ticketing__tickets', 'column': 'origin_contact_id',
     'parent': 'stg_telephony__contacts', 'parent_column': 'contact_id'},
    {'entity': 'tickets', 'model': 'stg_ticketing__tickets', 'column': 'assignee_agent_id',
     'parent': 'stg_telephony__agents', 'parent_column': 'agent_id'},
    {'entity': 'ticket_events', 'model': 'stg_ticketing__ticket_events', 'column': 'ticket_id',
     'parent': 'stg_ticketing__tickets', 'parent_column': 'ticket_id'},
    {'entity': 'ticket_events', 'model': 'stg_ticketing__ticket_events', 'column': 'actor_agent_id',
     'parent': 'stg_telephony__agents', 'parent_column': 'agent_id'},
    {'entity': 'survey_responses', 'model': 'stg_survey__responses', 'column': 'contact_id',
     'parent': 'stg_telephony__contacts', 'parent_column': 'contact_id'},
    {'entity': 'survey_responses', 'model': 'stg_survey__responses', 'column': 'ticket_id',
     'parent': 'stg_ticketing__tickets', 'parent_column': 'ticket_id'},
] %}
{%- set models = [] %}
{%- for reference in references %}
    {%- if reference.model not in models %}{% do models.append(reference.model) %}{% endif %}
    {%- if reference.parent not in models %}{% do models.append(reference.parent) %}{% endif %}
{%- endfor %}

with

{% for model in models %}
    {{ model }} as (
        select * from {{ ref(model) }}
    ),

{% endfor -%}
{% for reference in references %}
    parent_keys_{{ loop.index }} as (
        select distinct {{ reference.parent_column }} as parent_key
        from {{ reference.parent }}
    ),

    orphans_{{ loop.index }} as (
        select
            '{{ reference.entity }}' as entity,
            '{{ reference.column }}' as column_name,
            '{{ reference.parent }}' as referenced_model,
            count(*) as total_rows,
            count(child.{{ reference.column }}) as referencing_rows,
            sum({{ flag('child.' ~ reference.column ~ ' is not null and parent.parent_key is null') }}) as orphan_rows,
            -- an empty directory (a center that exports none) makes every id unknown
            exists(select 1 from parent_keys_{{ loop.index }}) as is_parent_delivered
        from {{ reference.model }} as child
        left join parent_keys_{{ loop.index }} as parent
            on child.{{ reference.column }} = parent.parent_key
    ),

{% endfor -%}
unioned as (
    {% for reference in references %}
        select * from orphans_{{ loop.index }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        entity,
        column_name,
        referenced_model,
        cast(total_rows as bigint) as total_rows,
        cast(referencing_rows as bigint) as referencing_rows,
        cast(coalesce(orphan_rows, 0) as bigint) as orphan_rows,
        {{ hotline.safe_divide('orphan_rows', 'total_rows') }} as orphan_rate,
        is_parent_delivered
    from unioned
)

select * from final
