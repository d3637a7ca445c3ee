{#-
  Native source adapters (../shared/spec/source-adapters.md; DECISIONS.md, "Source adapters").

  The native exports land as text (hotline/adapters/landing.py). Each staging folder
  (models/staging/asterisk, amazon_connect, zendesk) maps them to rows shaped exactly like
  the raw contract tables (contract columns as text + lineage), and the contract base models
  read those rows beside the raw contract rows (native_contract_rows below). Everything
  downstream (validation, de-duplication, incremental change sets, marts) is the contract
  pipeline, unchanged.
-#}

{#-
  The native raw entities, mirroring hotline/adapters/landing.py NATIVE_ENTITIES. `placements`
  is the model that says where each raw row went (mapped / superseded / ignored / pending /
  quarantined), `quarantine` the model of its quarantined rows.
-#}
{% macro native_entities() -%}
    {{ return({
        'asterisk_queue_log': {
            'source': 'asterisk', 'table': 'queue_log',
            'placements': 'stg_asterisk__line_placements',
        },
        'amazon_connect_ctr': {
            'source': 'amazon_connect', 'table': 'ctr',
            'placements': 'stg_amazon_connect__record_placements',
        },
        'zendesk_tickets': {
            'source': 'zendesk', 'table': 'tickets', 'placements': 'stg_zendesk__record_placements',
        },
        'zendesk_ticket_events': {
            'source': 'zendesk', 'table': 'ticket_events', 'placements': 'stg_zendesk__record_placements',
        },
        'zendesk_users': {
            'source': 'zendesk', 'table': 'users', 'placements': 'stg_zendesk__record_placements',
        },
    }) }}
{%- endmacro %}

{#-
  Contract entity -> the native staging models that deliver rows of it (same columns as the
  raw contract table, contract columns as text, then the lineage columns).
-#}
{% macro native_contract_models() -%}
    {{ return({
        'contacts': ['stg_asterisk__contacts', 'stg_amazon_connect__contacts'],
        'agent_states': ['stg_asterisk__agent_states'],
        'queues': ['stg_asterisk__queues'],
        'tickets': ['stg_zendesk__tickets'],
        'ticket_events': ['stg_zendesk__ticket_events'],
    }) }}
{%- endmacro %}

{#-
  The rows a contract base model validates: the raw contract table plus the rows the native
  adapters derived for that entity, as one relation with the contract columns and the lineage.
  A derived row carries the delivery_seq of the native delivery that produced this version
  of it, so the base models' append filter (_delivery_seq above what they hold) picks up new
  and changed derived rows exactly like new contract deliveries.
-#}
{% macro native_contract_rows(entity) -%}
    {%- set contract = hotline.landing_contract_definition()[entity] -%}
    {%- set columns = (contract['columns'] | list) + ['_source_file', '_source_row', '_batch_id', '_delivery_seq', '_loaded_at'] -%}
    select {{ columns | join(', ') }} from {{ source(contract['source'], entity) }}
    {#- a unit test of a contract base model feeds it the contract source only #}
    {%- set derived = [] if model.resource_type == 'unit_test' else hotline.native_contract_models().get(entity, []) %}
    {%- for derived_model in derived %}
    union all
    select {{ columns | join(', ') }} from {{ ref(derived_model) }}
    {%- endfor %}
{%- endmacro %}

{#- Deliveries of one landed entity (contract or native), as a subquery of delivery_seq. -#}
{% macro deliveries_of(entity) -%}
    (select delivery_seq from {{ ref('stg_landing__files') }} where entity = '{{ entity }}')
{%- endmacro %}

{#- Epoch seconds (possibly fractional) -> naive UTC timestamp, microsecond precision. -#}
{% macro epoch_to_timestamp(seconds) -%}
    {{ return(adapter.dispatch('epoch_to_timestamp', 'hotline')(seconds)) }}
{%- endmacro %}
{% macro default__epoch_to_timestamp(seconds) -%}
    timestamp_micros(cast(round({{ seconds }} * 1000000) as bigint))
{%- endmacro %}
{% macro duckdb__epoch_to_timestamp(seconds) -%}
    make_timestamp(cast(round({{ seconds }} * 1000000) as bigint))
{%- endmacro %}

{#- Naive UTC timestamp -> ISO 8601 text with a Z (how derived rows carry timestamps). -#}
{% macro utc_iso_text(ts) -%}
    {{ return(adapter.dispatch('utc_iso_text', 'hotline')(ts)) }}
{%- endmacro %}
{% macro default__utc_iso_text(ts) -%}
    date_format({{ ts }}, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
{%- endmacro %}
{% macro duckdb__utc_iso_text(ts) -%}
    strftime({{ ts }}, '%Y-%m-%dT%H:%M:%S.%fZ')
{%- endmacro %}

{#- A number as text for a derived contract row (null stays null). -#}
{% macro number_text(value) -%}
    cast({{ value }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- last_value(expr) over a window, skipping nulls. -#}
{% macro last_value_ignore_nulls(expression) -%}
    {{ return(adapter.dispatch('last_value_ignore_nulls', 'hotline')(expression)) }}
{%- endmacro %}
{% macro default__last_value_ignore_nulls(expression) -%}
    last({{ expression }}, true)
{%- endmacro %}
{% macro duckdb__last_value_ignore_nulls(expression) -%}
    last_value({{ expression }} ignore nulls)
{%- endmacro %}

{#- Replace every match of a regular expression. -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'hotline')(expression, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}
{% macro duckdb__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- Hash of a text, for line identity. -#}
{% macro text_md5(expression) -%}
    md5({{ expression }})
{%- endmacro %}

{#-
  Asterisk agent field -> agent_id (spec: `Agent/1001`, `PJSIP/1001`, `SIP/1001`,
  `Local/1001@from-queue/n` -> `1001`): drop the channel technology before the first '/',
  then everything from '@'. 'NONE' and empty mean no agent. The seed asterisk_agent_ids
  overrides the rule for listed values (see models/staging/asterisk).
-#}
{% macro asterisk_agent_rule(column) -%}
    case
        when nullif(trim({{ column }}), '') is null or upper(trim({{ column }})) = 'NONE' then null
        else nullif(
            {{ hotline.regex_replace_all(
                hotline.regex_replace_all('trim(' ~ column ~ ')', '^[A-Za-z0-9_]+/', ''),
                '@.*$', '') }},
            ''
        )
    end
{%- endmacro %}

{#- True when the text matches a regular expression. -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'hotline')(expression, pattern)) }}
{%- endmacro %}
{% macro default__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}
{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- Text at a JSON path of a JSON text column (null when absent or not valid JSON). -#}
{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'hotline')(column, path)) }}
{%- endmacro %}
{% macro default__json_text(column, path) -%}
    get_json_object({{ column }}, '{{ path }}')
{%- endmacro %}
{% macro duckdb__json_text(column, path) -%}
    json_extract_string({{ column }}, '{{ path }}')
{%- endmacro %}

{#- A text that parses as a JSON object. -#}
{% macro is_json_object(column) -%}
    {{ return(adapter.dispatch('is_json_object', 'hotline')(column)) }}
{%- endmacro %}
{% macro default__is_json_object(column) -%}
    (get_json_object({{ column }}, '$') is not null and substr(ltrim({{ column }}), 1, 1) = '{')
{%- endmacro %}
{% macro duckdb__is_json_object(column) -%}
    {#- CASE, not AND: json_type raises on text that is not JSON #}
    case when json_valid({{ column }}) then json_type({{ column }}) = 'OBJECT' else false end
{%- endmacro %}

{#-
  Select-list expressions that turn a JSON array (text) into one row per element: the element
  (JSON text) as `element_alias` and its 1-based position as `position_alias`.
-#}
{% macro json_array_rows(expression, element_alias, position_alias) -%}
    {{ return(adapter.dispatch('json_array_rows', 'hotline')(expression, element_alias, position_alias)) }}
{%- endmacro %}
{% macro default__json_array_rows(expression, element_alias, position_alias) -%}
    posexplode(from_json({{ expression }}, 'array<string>')) as ({{ position_alias }}, {{ element_alias }})
{%- endmacro %}
{% macro duckdb__json_array_rows(expression, element_alias, position_alias) -%}
    unnest(json_extract({{ expression }}, '$[*]')) as {{ element_alias }},
    generate_subscripts(json_extract({{ expression }}, '$[*]'), 1) as {{ position_alias }}
{%- endmacro %}


{#- Where a native record went when it maps to at most one contract row (an Amazon Connect
    contact record, a Zendesk ticket): the placement rule of docs/native-adapters.md, written
    once. `records` is the native base model (reject_reason, record), `mapped` the adapter's
    contract-shaped rows, `validated` the contract base model, `kept` the contract staging
    model; `key` names the contract key a later version is kept under. -#}
{% macro one_to_one_record_placement(entity, records, mapped, validated, kept, key) -%}
    select
        '{{ entity }}' as entity,
        records._source_file,
        records._source_row,
        records._batch_id,
        records._delivery_seq,
        records._loaded_at,
        case
            when records.reject_reason is not null then 'quarantined'
            when mapped._source_row is null then 'ignored'
            when validated.reject_reason is not null then 'quarantined'
            when kept._source_row is not null then 'mapped'
            -- a later version of the key was kept; otherwise the record got lost on the way,
            -- which the reconciliation must show (not one of the five places)
            when kept_keys.{{ key }} is not null then 'superseded'
            else 'unaccounted'
        end as placement,
        coalesce(records.reject_reason, validated.reject_reason) as reason,
        case
            when records.reject_reason is not null then records.record
            when validated.reject_reason is not null then validated.raw_record
        end as raw_record
    from {{ records }} as records
    left join {{ mapped }} as mapped
        on records._delivery_seq = mapped._delivery_seq and records._source_row = mapped._source_row
    left join {{ validated }} as validated
        on records._delivery_seq = validated._delivery_seq and records._source_row = validated._source_row
    left join {{ kept }} as kept
        on records._delivery_seq = kept._delivery_seq and records._source_row = kept._source_row
    left join (select distinct {{ key }} from {{ kept }}) as kept_keys
        on mapped.{{ key }} = kept_keys.{{ key }}
{%- endmacro %}


{#- The records of a native JSON export (one JSON document per raw row in `record`) that its
    append-only base model has not read yet (a delivery is immutable), each with is_object
    and json_record (the record when it is a JSON object, else null): the start every native
    JSON base model shares. -#}
{% macro native_json_records(relation) -%}
    select
        delivered.*,
        case when delivered.is_object then delivered.record end as json_record
    from (
        select
            *,
            {{ is_json_object('record') }} as is_object
        from {{ relation }}
        {{ hotline.new_deliveries_only() }}
    ) as delivered
{%- endmacro %}
