{#-
  The landing contract as dbt applies it. The contract itself is declared once, in
  macros/staging/landing_contract.sql; these macros turn it into the base models' typing and
  validation and the quarantined raw record, so a rule changed there changes every consumer.
-#}

{#- Every contract entity with its source and models, in contract order. -#}
{% macro landing_entities() -%}
    {%- set entities = [] -%}
    {%- for name, spec in hotline.landing_contract_definition().items() -%}
        {%- do entities.append({'source': spec.source, 'entity': name,
                                'base': spec.base_model, 'staging': spec.staging_model}) -%}
    {%- endfor -%}
    {{ return(entities) }}
{%- endmacro %}

{#- The contract of one raw table: {'source', 'key', 'snapshot', 'columns': [{name, ...}]}. -#}
{% macro landing_contract(entity) -%}
    {%- set spec = hotline.landing_contract_definition().get(entity) -%}
    {%- if spec is none -%}
        {{ exceptions.raise_compiler_error("no landing contract for raw table '" ~ entity ~ "'") }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name, column in spec['columns'].items() -%}
        {%- do columns.append({
            'name': name,
            'required': column.get('required', false),
            'type': column.get('type', 'text'),
            'values': column.get('values', []),
            'min': column.get('min'),
            'max': column.get('max'),
            'pii': column.get('pii'),
            'normalize': column.get('normalize'),
        }) -%}
    {%- endfor -%}
    {{ return({
        'source': spec.source,
        'key': spec.key,
        'snapshot': spec.get('snapshot', false),
        'columns': columns,
    }) }}
{%- endmacro %}

{#- The grain of an entity's staging model: staging_key when declared, else the key. -#}
{% macro staging_grain(entity) -%}
    {%- set spec = hotline.landing_contract_definition()[entity] -%}
    {{ return(spec.get('staging_key', spec['key'])) }}
{%- endmacro %}

{#- Enum values of one contract column (used by the accepted_contract_values test). -#}
{% macro contract_values(entity, column_name) -%}
    {%- for column in hotline.landing_contract(entity)['columns'] if column.name == column_name -%}
        {{ return(column['values']) }}
    {%- endfor -%}
    {{ return([]) }}
{%- endmacro %}

{#-
  Select list of the `cleaned` step (comma-separated, no trailing comma): every contract
  column trimmed (empty = null) as `<column>_text`; enums (and text with `normalize: lower`)
  also lower-cased under their own name, other text under its own name.
-#}
{% macro contract_cleaned_columns(entity) -%}
    {%- set items = [] -%}
    {%- for column in hotline.landing_contract(entity)['columns'] -%}
        {%- do items.append(hotline.clean_text(column.name) ~ ' as ' ~ column.name ~ '_text') -%}
        {%- if column.type == 'enum' or column.normalize == 'lower' -%}
            {%- do items.append(hotline.normalize_enum(column.name) ~ ' as ' ~ column.name) -%}
        {%- elif column.type == 'text' -%}
            {%- do items.append(hotline.clean_text(column.name) ~ ' as ' ~ column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ items | join(',\n') }}
{%- endmacro %}

{#- Select list of the `typed` step: timestamps, dates and numbers parsed from their text. -#}
{% macro contract_parsed_columns(entity) -%}
    {%- set items = [] -%}
    {%- for column in hotline.landing_contract(entity)['columns'] if column.type in ('timestamp', 'date', 'number') -%}
        {%- set parser = {'timestamp': hotline.parse_timestamp_utc, 'date': hotline.parse_date,
                          'number': hotline.parse_number}[column.type] -%}
        {%- do items.append(parser(column.name ~ '_text') ~ ' as ' ~ column.name) -%}
    {%- endfor -%}
    {{ items | join(',\n') }}
{%- endmacro %}

{#-
  The first contract rule a row fails, in this order: missing_required:<column>,
  unparseable:<column>, unknown_enum:<column>, negative:<column> / out_of_range:<column>,
  then the model's own `extra_rules` ([(condition, code), ...]); null when the row is valid.
-#}
{% macro contract_reject_reason(entity, extra_rules=[]) -%}
    {%- set columns = hotline.landing_contract(entity)['columns'] -%}
    case
    {%- for column in columns if column.required %}
        when {{ column.name }}_text is null then 'missing_required:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.type in ('timestamp', 'date', 'number') %}
        when {{ hotline.is_unparseable(column.name ~ '_text', column.name) }} then 'unparseable:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.type == 'enum' %}
        when {{ hotline.is_unknown_enum(column.name, column['values']) }} then 'unknown_enum:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.type == 'number' %}
        {%- if column.min is not none %}
        when {{ column.name }} < {{ column.min }}
            then '{{ "negative" if column.min == 0 else "out_of_range" }}:{{ column.name }}'
        {%- endif %}
        {%- if column.max is not none %}
        when {{ column.name }} > {{ column.max }} then 'out_of_range:{{ column.name }}'
        {%- endif %}
    {%- endfor %}
    {%- for condition, code in extra_rules %}
        when {{ condition }} then '{{ code }}'
    {%- endfor %}
    end
{%- endmacro %}

{#-
  The delivered record as JSON text for quarantine: every contract column as delivered
  (trimmed), PII columns as '***' (null stays null), free text with e-mails and digit runs
  masked. Reads the `<column>_text` columns of the cleaned step.
-#}
{% macro contract_quarantine_record(entity) -%}
    {{ return(adapter.dispatch('contract_quarantine_record', 'hotline')(entity)) }}
{%- endmacro %}

{% macro default__contract_quarantine_record(entity) -%}
    {%- set columns = hotline.landing_contract(entity)['columns'] -%}
    {{ hotline.json_object_text(columns | map(attribute='name') | list, hotline._quarantine_values(columns)) }}
{%- endmacro %}

{% macro _quarantine_values(columns) -%}
    {%- set values = [] -%}
    {%- for column in columns -%}
        {%- if column.pii == 'mask' -%}
            {%- do values.append("case when " ~ column.name ~ "_text is not null then '***' end") -%}
        {%- elif column.pii == 'free_text' -%}
            {%- do values.append(hotline.mask_pii_text(column.name ~ '_text')) -%}
        {%- else -%}
            {%- do values.append(column.name ~ '_text') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(values) }}
{%- endmacro %}

{#- Appends only deliveries not yet validated (a delivery is immutable). -#}
{% macro new_deliveries_only() -%}
    {%- if is_incremental() -%}
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})
    {%- endif -%}
{%- endmacro %}

{#-
  Physical lines a delivered record spans: 1 plus the line breaks inside its multi-line text
  fields (the only fields landing lets a record break into). Read in the `cleaned` step from
  the raw columns; dq_landed_files reconciles these against each file's physical lines.
-#}
{% macro contract_physical_lines(entity) -%}
    {%- set multiline = hotline.landing_contract_definition()[entity]['columns'] -%}
    (1
    {%- for name, column in multiline.items() if column.get('multiline') %}
        + coalesce({{ hotline.line_breaks(name) }}, 0)
    {%- endfor %})
{%- endmacro %}

{#- Line breaks (LF) in a text value: a value with n of them spans n + 1 physical lines. -#}
{% macro line_breaks(column) -%}
    (length({{ column }}) - length(replace({{ column }}, chr(10), '')))
{%- endmacro %}

{#-
  The shape of a value, without the value (it may be PII): digits become 9, letters A / a,
  anything outside printable ASCII ?, punctuation stays; 40 characters at most.
  '2026/03/03 21:34' -> '9999/99/99 99:99', '1709369702' -> '9999999999'.
-#}
{% macro value_shape(column) -%}
    substr(
        {{ hotline.regexp_replace_all(hotline.regexp_replace_all(hotline.regexp_replace_all(
            hotline.regexp_replace_all(column, '[^ -~]', '?'), '[0-9]', '9'), '[A-Z]', 'A'), '[a-z]', 'a') }},
        1, 40
    )
{%- endmacro %}

{#-
  reason_detail of a rejected record: for unparseable:<column>, the shape of the delivered
  value and what the contract expects there; null for the other reasons (the code says it).
  Reads the `<column>_text` columns of the cleaned step.
-#}
{% macro contract_reason_detail(entity, reason_column='reject_reason') -%}
    {%- set expected = {
        'timestamp': 'an ISO 8601 timestamp (YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|+HH:MM|+HHMM|+HH])',
        'date': 'a date (YYYY-MM-DD)',
        'number': 'a number'} -%}
    case {{ reason_column }}
    {%- for column in hotline.landing_contract(entity)['columns'] if column.type in expected %}
        when 'unparseable:{{ column.name }}'
            then 'value shaped ' || {{ hotline.value_shape(column.name ~ '_text') }}
            || ' is not {{ expected[column.type] }}'
    {%- endfor %}
    end
{%- endmacro %}
