-- Published quarantine: one row per rejected input row (a record that failed a contract
-- rule, or a malformed CSV line), PII masked. Grain: entity, delivery_seq, source_row, reason.
with

int_quarantined_rows as (
    select * from {{ ref('int_quarantined_rows') }}
),

final as (
    select
        source,
        entity,
        source_file,
        source_row,
        reason,
        reason_detail,
        raw_record,
        batch_id,
        delivery_seq,
        loaded_at
    from int_quarantined_rows
)

select * from final
