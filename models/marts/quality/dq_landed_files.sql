-- Published file-level landing report: every file a landing run loaded, failed or skipped,
-- and whether a loaded file's physical lines are all accounted for in the warehouse:
-- header + blank lines + lines of landed rows + lines of quarantined records = physical lines,
-- and landed rows + quarantined records = the records landing found.
-- Grain: batch_id, source_file.
{%- set entities = hotline.landing_entities() %}

with

stg_landing__files as (
    select * from {{ ref('stg_landing__files') }}
),

int_landed_file_contents as (
    select * from {{ ref('int_landed_file_contents') }}
),

files as (
    select
        stg_landing__files.batch_id,
        stg_landing__files.source_file,
        stg_landing__files.entity,
        case stg_landing__files.entity
            {%- for entity in entities %}
                when '{{ entity.entity }}' then '{{ entity.source }}'
            {%- endfor %}
            {%- for entity, spec in hotline.native_entities().items() %}
                when '{{ entity }}' then '{{ spec.source }}'
            {%- endfor %}
        -- `source` is the published column name (a keyword in some dialects)
        end as source,  -- noqa: RF04
        stg_landing__files.status,
        stg_landing__files.skip_reason,
        {{ hotline.mask_pii_text('stg_landing__files.message') }} as status_detail,
        stg_landing__files.delivery_seq,
        stg_landing__files.loaded_at,
        stg_landing__files.encoding,
        stg_landing__files.size_bytes,
        stg_landing__files.physical_lines,
        stg_landing__files.header_lines,
        stg_landing__files.blank_lines,
        stg_landing__files.records_found,
        stg_landing__files.row_count as rows_landed,
        stg_landing__files.rejected_line_count as records_quarantined,
        coalesce(int_landed_file_contents.raw_rows, 0) as raw_rows,
        coalesce(int_landed_file_contents.raw_row_lines, 0) as raw_row_lines,
        coalesce(int_landed_file_contents.raw_rejected_records, 0) as raw_rejected_records,
        coalesce(int_landed_file_contents.raw_rejected_lines, 0) as raw_rejected_lines
    from stg_landing__files
    left join int_landed_file_contents
        on stg_landing__files.delivery_seq = int_landed_file_contents.delivery_seq
),

accounted as (
    select
        *,
        header_lines + blank_lines + raw_row_lines + raw_rejected_lines as accounted_lines
    from files
),

final as (
    select
        batch_id,
        source_file,
        entity,
        source,
        status,
        skip_reason,
        status_detail,
        delivery_seq,
        loaded_at,
        encoding,
        size_bytes,
        physical_lines,
        header_lines,
        blank_lines,
        records_found,
        rows_landed,
        records_quarantined,
        raw_rows,
        raw_rejected_records,
        raw_row_lines,
        raw_rejected_lines,
        case when status = 'loaded' then physical_lines - accounted_lines end as unaccounted_lines,
        case
            when status <> 'loaded' or records_found is null then null
            else
                raw_rows + raw_rejected_records = records_found
                and rows_landed = raw_rows
                and records_quarantined = raw_rejected_records
                and coalesce(physical_lines = accounted_lines, true)
        end as is_reconciled
    from accounted
)

select * from final
