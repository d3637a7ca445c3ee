-- One row per file a landing run looked at (the landing manifest): loaded, failed (not
-- landed; attempted again on the next run) or skipped (never loaded: listed on every run),
-- with the control totals landing recorded of what the file physically holds. A path that
-- failed can land later, so it may have several rows; skipped files have no delivery_seq.
with

manifest as (
    select * from {{ source('landing', '_manifest') }}
),

final as (
    select
        batch_id,
        source_file,
        delivery_seq,
        entity,
        status,
        message,
        sha256,
        size_bytes,
        encoding,
        physical_lines,
        header_lines,
        blank_lines,
        records_found,
        row_count,
        rejected_line_count,
        extra_columns,
        loaded_at,
        case when status = 'skipped' then split_part(message, ':', 1) end as skip_reason
    from manifest
)

select * from final
