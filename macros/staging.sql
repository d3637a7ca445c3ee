{#-
  Staging helpers: the landing contract's entities as dbt sees them, and the small
  parsing/validation helpers every base_<source>__<entity> model uses.
-#}

{#-
  The raw entities, mirroring hotline/contract.py (the Python side's source of truth;
  keep both in step). `columns` are the contract columns in contract order, `masked` are
  PII columns replaced by '***' in quarantined raw records (dialed_number too: on outbound
  legs it is the customer's phone), `free_text` are passed through
  mask_pii_text, `keys` are the natural key of the staging model.
-#}
{% macro staging_entities() -%}
    {{ return({
        'contacts': {
            'source': 'telephony', 'base': 'base_telephony__contacts', 'staging': 'stg_telephony__contacts',
            'keys': ['contact_id'],
            'columns': ['contact_id', 'initial_contact_id', 'previous_contact_id', 'channel', 'direction',
                        'customer_number', 'customer_account_id', 'dialed_number', 'initiated_at',
                        'ivr_ended_at', 'ivr_outcome', 'queue_id', 'enqueued_at', 'answered_at', 'agent_id',
                        'talk_seconds', 'hold_seconds', 'acw_seconds', 'ended_at', 'disconnect_reason',
                        'wrap_code', 'last_updated_at'],
            'masked': ['customer_number', 'customer_account_id', 'dialed_number'], 'free_text': [],
        },
        'agent_states': {
            'source': 'telephony', 'base': 'base_telephony__agent_states',
            'staging': 'stg_telephony__agent_states',
            'keys': ['agent_id', 'started_at'],
            'columns': ['agent_id', 'state', 'started_at', 'ended_at'],
            'masked': [], 'free_text': [],
        },
        'agents': {
            'source': 'telephony', 'base': 'base_telephony__agents', 'staging': 'stg_telephony__agents',
            'keys': ['agent_id', '_delivery_seq'],
            'columns': ['agent_id', 'agent_name', 'team', 'site', 'hire_date', 'termination_date', 'updated_at'],
            'masked': ['agent_name'], 'free_text': [],
        },
        'queues': {
            'source': 'telephony', 'base': 'base_telephony__queues', 'staging': 'stg_telephony__queues',
            'keys': ['queue_id'],
            'columns': ['queue_id', 'queue_name', 'channel', 'service_level_seconds', 'service_level_target',
                        'business_unit', 'updated_at'],
            'masked': [], 'free_text': [],
        },
        'tickets': {
            'source': 'ticketing', 'base': 'base_ticketing__tickets', 'staging': 'stg_ticketing__tickets',
            'keys': ['ticket_id'],
            'columns': ['ticket_id', 'created_at', 'updated_at', 'source_channel', 'origin_contact_id',
                        'customer_account_id', 'requester_email', 'priority', 'category', 'status',
                        'assigned_group', 'assignee_agent_id', 'subject'],
            'masked': ['customer_account_id', 'requester_email'], 'free_text': ['subject'],
        },
        'ticket_events': {
            'source': 'ticketing', 'base': 'base_ticketing__ticket_events',
            'staging': 'stg_ticketing__ticket_events',
            'keys': ['event_id'],
            'columns': ['event_id', 'ticket_id', 'occurred_at', 'event_type', 'actor_type', 'actor_agent_id',
                        'from_value', 'to_value'],
            'masked': [], 'free_text': [],
        },
        'survey_responses': {
            'source': 'survey', 'base': 'base_survey__responses', 'staging': 'stg_survey__responses',
            'keys': ['response_id'],
            'columns': ['response_id', 'survey_type', 'contact_id', 'ticket_id', 'channel', 'sent_at',
                        'responded_at', 'score', 'issue_resolved', 'comment'],
            'masked': [], 'free_text': ['comment'],
        },
    }) }}
{%- endmacro %}

{#- Number from text; null when unparseable or not finite ('nan', 'inf' are not numbers here). -#}
{% macro parse_number(column) -%}
    {{ return(adapter.dispatch('parse_number', 'hotline')(column)) }}
{%- endmacro %}
{% macro default__parse_number(column) -%}
    case
        when isfinite({{ hotline.try_cast(column, 'double') }})
            then {{ hotline.try_cast(column, 'double') }}
    end
{%- endmacro %}

{#- Calendar date from text; also accepts a timestamp-shaped value (its date part). -#}
{% macro parse_date(column) -%}
    coalesce(
        {{ hotline.try_cast(column, 'date') }},
        cast({{ hotline.try_cast(column, 'timestamp') }} as date)
    )
{%- endmacro %}

{#- A value that is present (not null after cleaning) but did not parse. -#}
{% macro is_unparseable(text_column, parsed_column) -%}
    ({{ text_column }} is not null and {{ parsed_column }} is null)
{%- endmacro %}

{#-
  JSON text of a raw record for quarantine: every contract column of `entity` read from
  `relation_alias`, PII columns replaced by '***' (null stays null), free text masked.
-#}
{% macro quarantine_raw_record(entity, relation_alias) -%}
    {{ return(adapter.dispatch('quarantine_raw_record', 'hotline')(entity, relation_alias)) }}
{%- endmacro %}
{% macro default__quarantine_raw_record(entity, relation_alias) -%}
    {%- set spec = hotline.staging_entities()[entity] -%}
    cast(json_object(
        {%- for column in spec['columns'] %}
        '{{ column }}',
        {% if column in spec['masked'] -%}
            case when {{ relation_alias }}.{{ column }} is not null then '***' end
        {%- elif column in spec['free_text'] -%}
            {{ hotline.mask_pii_text(relation_alias ~ '.' ~ column) }}
        {%- else -%}
            {{ relation_alias }}.{{ column }}
        {%- endif %}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{%- endmacro %}

{#-
  Keeps the first row per key by the given order: row_number() in a CTE then a filter
  (portable; no QUALIFY). Used for "the latest delivery wins".
-#}
{% macro latest_row_number(partition_by, order_by) -%}
    row_number() over (partition by {{ partition_by }} order by {{ order_by }})
{%- endmacro %}

{#- An enum value (already normalised) that is present but not in the contract's list. -#}
{% macro is_unknown_enum(column, values) -%}
    ({{ column }} is not null and {{ column }} not in ({% for value in values %}'{{ value }}'{{ ', ' if not loop.last }}{% endfor %}))
{%- endmacro %}

{#-
  Row-level reconciliation of one source (used by tests/reconciliation/*): every raw row
  of each entity must end in exactly one place — kept in staging, quarantined, or
  superseded (valid, not kept, and its key was kept from another row) — no staged or
  quarantined row may lack a raw row, and every malformed line must be quarantined.
  Returns the failing rows (empty = reconciled).
-#}
{% macro reconciliation_failures(source_name) -%}
    {%- set entities = hotline.staging_entities() %}
    {%- set selected = [] %}
    {%- for entity, spec in entities.items() if spec.source == source_name %}
        {%- do selected.append(entity) %}
    {%- endfor %}
    with

    quarantine as (
        select * from {{ ref('stg_quality__quarantined_rows') }}
    ),

    rejected_lines as (
        select * from {{ source('landing', '_rejected_lines') }}
    ),

    {% for entity in selected %}
    {%- set spec = entities[entity] %}
    placements_{{ entity }} as (
        select _delivery_seq as delivery_seq, _source_row as source_row, 'kept' as place
        from {{ ref(spec.staging) }}
        -- rows a native adapter derived are reconciled under their native entity
        where _delivery_seq in {{ hotline.deliveries_of(entity) }}
        union all
        select delivery_seq, source_row, 'quarantined' as place
        from quarantine
        where entity = '{{ entity }}' and reason <> 'malformed_line'
        union all
        select base._delivery_seq, base._source_row, 'superseded' as place
        from {{ ref(spec.base) }} as base
        where
            base.reject_reason is null
            and base._delivery_seq in {{ hotline.deliveries_of(entity) }}
            and not exists (
                select 1 from {{ ref(spec.staging) }} as kept
                where kept._delivery_seq = base._delivery_seq and kept._source_row = base._source_row
            )
            and exists (
                select 1 from {{ ref(spec.staging) }} as kept
                where {% for key in spec['keys'] %}kept.{{ key }} = base.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
            )
    ),

    failures_{{ entity }} as (
        select
            '{{ entity }}' as entity,
            coalesce(landed._delivery_seq, placements.delivery_seq) as delivery_seq,
            coalesce(landed._source_row, placements.source_row) as source_row,
            count(placements.place) as placement_count,
            count(landed._source_row) as landed_count
        from {{ source(spec.source, entity) }} as landed
        full outer join placements_{{ entity }} as placements
            on landed._delivery_seq = placements.delivery_seq and landed._source_row = placements.source_row
        group by 1, 2, 3
        having count(placements.place) <> 1 or count(landed._source_row) <> 1
    ),

    malformed_{{ entity }} as (
        select
            '{{ entity }}' as entity,
            cast(null as bigint) as delivery_seq,
            cast(null as bigint) as source_row,
            (select count(*) from quarantine where entity = '{{ entity }}' and reason = 'malformed_line')
                as placement_count,
            (select count(*) from rejected_lines where entity = '{{ entity }}') as landed_count
    ),

    {% endfor %}
    failures as (
        {% for entity in selected %}
        select * from failures_{{ entity }}
        union all
        select * from malformed_{{ entity }} where placement_count <> landed_count
        {{ 'union all' if not loop.last }}
        {% endfor %}
    )

    select * from failures
{%- endmacro %}
