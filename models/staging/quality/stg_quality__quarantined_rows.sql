-- One row per rejected input: every raw record that failed a contract rule (reason = the
-- first failing rule) and every malformed CSV line (reason 'malformed_line'). raw_record
-- is the delivered record as JSON text with PII masked, so the mart can be published.
{%- set entities = staging_entities() %}

with

{% for entity, spec in entities.items() %}
    {{ spec.base }} as (
        select * from {{ ref(spec.base) }}
    ),

    raw_{{ entity }} as (
        select * from {{ source(spec.source, entity) }}
    ),

{% endfor -%}
rejected_lines as (
    select * from {{ source('landing', '_rejected_lines') }}
),

{% for entity, spec in entities.items() %}
    quarantined_{{ entity }} as (
        -- the raw record is read back from raw (rejected rows only) so it shows what was sent
        select
            -- `source` is the published column name (a keyword in some dialects)
            '{{ spec.source }}' as source,  -- noqa: RF04
            '{{ entity }}' as entity,
            {{ spec.base }}._source_file as source_file,
            {{ spec.base }}._source_row as source_row,
            {{ spec.base }}._batch_id as batch_id,
            {{ spec.base }}._delivery_seq as delivery_seq,
            {{ spec.base }}._loaded_at as loaded_at,
            {{ spec.base }}.reject_reason as reason,
            {{ quarantine_reason_detail(entity, 'raw_' ~ entity, spec.base ~ '.reject_reason') }}
                as reason_detail,
            {{ quarantine_raw_record(entity, 'raw_' ~ entity) }} as raw_record
        from {{ spec.base }}
        inner join raw_{{ entity }}
            on
                {{ spec.base }}._delivery_seq = raw_{{ entity }}._delivery_seq
                and {{ spec.base }}._source_row = raw_{{ entity }}._source_row
        where {{ spec.base }}.reject_reason is not null
    ),

{% endfor -%}
malformed_lines as (
    select
        case rejected_lines.entity
            {%- for entity, spec in entities.items() %}
                when '{{ entity }}' then '{{ spec.source }}'
            {%- endfor %}
        -- `source` is the published column name (a keyword in some dialects)
        end as source,  -- noqa: RF04
        rejected_lines.entity,
        rejected_lines._source_file as source_file,
        -- a line that could not be parsed has no record number: its line number stands in
        rejected_lines._source_line as source_row,
        rejected_lines._batch_id as batch_id,
        rejected_lines._delivery_seq as delivery_seq,
        rejected_lines._loaded_at as loaded_at,
        'malformed_line' as reason,
        {{ mask_pii_text('rejected_lines.error') }} as reason_detail,
        {{ mask_pii_text('rejected_lines.raw_line') }} as raw_record
    from rejected_lines
),

unioned as (
    {% for entity in entities %}
        select * from quarantined_{{ entity }}
        union all
    {% endfor %}
    select * from malformed_lines
),

final as (
    select
        source,
        entity,
        source_file,
        source_row,
        batch_id,
        delivery_seq,
        loaded_at,
        reason,
        reason_detail,
        raw_record
    from unioned
)

select * from final
