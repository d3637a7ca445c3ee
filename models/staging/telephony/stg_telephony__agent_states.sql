-- PLACEHOLDER with the agreed output columns; replaced by the real model.
select
    cast(null as varchar) as agent_id,
    cast(null as varchar) as state,
    cast(null as timestamp) as started_at,
    cast(null as timestamp) as ended_at,
    cast(null as varchar) as _source_file,
    cast(null as bigint) as _source_row,
    cast(null as varchar) as _batch_id,
    cast(null as bigint) as _delivery_seq,
    cast(null as timestamp) as _loaded_at
where false
