-- PLACEHOLDER with the agreed output columns; replaced by the real model.
select
    cast(null as varchar) as response_id,
    cast(null as varchar) as survey_type,
    cast(null as varchar) as contact_id,
    cast(null as varchar) as ticket_id,
    cast(null as varchar) as channel,
    cast(null as timestamp) as sent_at,
    cast(null as timestamp) as responded_at,
    cast(null as double) as score,
    cast(null as boolean) as issue_resolved,
    cast(null as varchar) as comment_masked,
    cast(null as varchar) as _source_file,
    cast(null as bigint) as _source_row,
    cast(null as varchar) as _batch_id,
    cast(null as bigint) as _delivery_seq,
    cast(null as timestamp) as _loaded_at
where false
