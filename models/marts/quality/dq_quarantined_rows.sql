-- Published quarantine: one row per rejected input row (a record that failed a contract
-- rule, or a malformed CSV line), PII masked. Grain: entity, source_file, source_row, reason.
with

stg_quality__quarantined_rows as (
    select * from {{ ref('stg_quality__quarantined_rows') }}
),

stg_quality__native_placements as (
    select * from {{ ref('stg_quality__native_placements') }}
),

unioned as (
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
    from stg_quality__quarantined_rows
    union all
    -- quarantined lines and records of the native exports (asterisk/, amazon_connect/, zendesk/)
    select
        source_system,
        entity,
        source_file,
        source_row,
        reason,
        cast(null as {{ dbt.type_string() }}),
        raw_record,
        batch_id,
        delivery_seq,
        loaded_at
    from stg_quality__native_placements
    where placement = 'quarantined'
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
    from unioned
)

select * from final
