-- One row per file a landing run looked at (raw._manifest): loaded, failed or skipped, with
-- the control totals landing recorded (what the file physically holds) beside what the
-- warehouse holds of it (rows in raw, records in raw._rejected_lines and the lines they span).
{%- set entities = staging_entities() %}

with

manifest as (
    select * from {{ source('landing', '_manifest') }}
),

rejected_lines as (
    select * from {{ source('landing', '_rejected_lines') }}
),

{% for entity, spec in entities.items() %}
    raw_{{ entity }} as (
        select * from {{ source(spec.source, entity) }}
    ),

{% endfor -%}
raw_rows as (
    -- a row spans one line plus the line breaks of its multi-line free-text fields (the only
    -- fields landing lets a line break into)
    {% for entity, spec in entities.items() %}
        select
            _delivery_seq as delivery_seq,
            count(*) as raw_rows,
            cast(
                count(*)
                {%- for column in spec.free_text %}
                    + coalesce(sum({{ line_breaks(column) }}), 0)
                {%- endfor %} as bigint
            ) as raw_row_lines
        from raw_{{ entity }}
        group by _delivery_seq
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rejected as (
    select
        _delivery_seq as delivery_seq,
        count(*) as rejected_records,
        cast(sum(1 + {{ line_breaks('raw_line') }}) as bigint) as rejected_lines
    from rejected_lines
    group by _delivery_seq
),

final as (
    select
        manifest.batch_id,
        manifest.source_file,
        manifest.entity,
        case manifest.entity
            {%- for entity, spec in entities.items() %}
                when '{{ entity }}' then '{{ spec.source }}'
            {%- endfor %}
        -- `source` is the published column name (a keyword in some dialects)
        end as source,  -- noqa: RF04
        manifest.status,
        case
            when manifest.status = 'skipped' then split_part(manifest.message, ':', 1)
        end as skip_reason,
        {{ mask_pii_text('manifest.message') }} as status_detail,
        manifest.delivery_seq,
        manifest.loaded_at,
        manifest.encoding,
        manifest.size_bytes,
        manifest.physical_lines,
        manifest.header_lines,
        manifest.blank_lines,
        manifest.records_found,
        manifest.row_count as rows_landed,
        manifest.rejected_line_count as records_quarantined,
        coalesce(raw_rows.raw_rows, 0) as raw_rows,
        coalesce(raw_rows.raw_row_lines, 0) as raw_row_lines,
        coalesce(rejected.rejected_records, 0) as raw_rejected_records,
        coalesce(rejected.rejected_lines, 0) as raw_rejected_lines
    from manifest
    left join raw_rows on manifest.delivery_seq = raw_rows.delivery_seq
    left join rejected on manifest.delivery_seq = rejected.delivery_seq
)

select * from final
