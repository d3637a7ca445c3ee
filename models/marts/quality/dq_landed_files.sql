-- Published file-level landing report: every file a landing run loaded, failed or skipped,
-- and whether a loaded file's physical lines are all accounted for in the warehouse:
-- header + blank lines + lines of landed rows + lines of quarantined records = physical lines,
-- and landed rows + quarantined records = the records landing found.
-- Grain: batch_id, source_file.
with

stg_quality__landed_files as (
    select * from {{ ref('stg_quality__landed_files') }}
),

accounted as (
    select
        *,
        header_lines + blank_lines + raw_row_lines + raw_rejected_lines as accounted_lines
    from stg_quality__landed_files
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
