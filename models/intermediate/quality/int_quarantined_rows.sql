-- One row per rejected input: every delivered record that failed a landing-contract rule
-- (reason = the first failing rule, raw_record = the masked record the base model kept)
-- every malformed CSV line (reason malformed_line, source_row = the line number) and every
-- quarantined line or record of a native export (int_native_placements).
-- Feeds dq_quarantined_rows, the reconciliation and the gate's quarantine share.
{%- set entities = hotline.landing_entities() %}

with

{% for entity in entities %}
    {{ entity.base }} as (
        select * from {{ ref(entity.base) }}
    ),

{% endfor -%}
stg_landing__rejected_lines as (
    select * from {{ ref('stg_landing__rejected_lines') }}
),

int_native_placements as (
    select * from {{ ref('int_native_placements') }}
),

rejected_records as (
    {%- for entity in entities %}
        select
            -- `source` is the published column name (a keyword in some dialects)
            '{{ entity.source }}' as source,  -- noqa: RF04
            '{{ entity.entity }}' as entity,
            _source_file as source_file,
            _source_row as source_row,
            _batch_id as batch_id,
            _delivery_seq as delivery_seq,
            _loaded_at as loaded_at,
            reject_reason as reason,
            reason_detail,
            raw_record
        from {{ entity.base }}
        where
            reject_reason is not null
            -- a row a native adapter derived is quarantined under its native record below
            and _delivery_seq not in (select placements.delivery_seq from int_native_placements as placements)
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

malformed_lines as (
    select
        case entity
            {%- for entity in entities %}
                when '{{ entity.entity }}' then '{{ entity.source }}'
            {%- endfor %}
        -- `source` is the published column name (a keyword in some dialects)
        end as source,  -- noqa: RF04
        entity,
        source_file,
        -- a line that could not be parsed has no record number: its line number stands in
        line_number as source_row,
        batch_id,
        delivery_seq,
        loaded_at,
        'malformed_line' as reason,
        {{ hotline.mask_pii_text('error') }} as reason_detail,
        {{ hotline.mask_pii_text('raw_line') }} as raw_record
    from stg_landing__rejected_lines
),

native_records as (
    -- quarantined lines and records of the native exports (asterisk/, amazon_connect/, zendesk/)
    select
        source_system as source,  -- noqa: RF04
        entity,
        source_file,
        source_row,
        batch_id,
        delivery_seq,
        loaded_at,
        reason,
        cast(null as {{ dbt.type_string() }}) as reason_detail,
        raw_record
    from int_native_placements
    where placement = 'quarantined'
),

final as (
    select * from rejected_records
    union all
    select * from malformed_lines
    union all
    select * from native_records
)

select * from final
