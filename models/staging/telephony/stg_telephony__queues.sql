-- PLACEHOLDER with the agreed output columns; replaced by the real model.
select
    cast(null as varchar) as queue_id,
    cast(null as varchar) as queue_name,
    cast(null as varchar) as channel,
    cast(null as double) as service_level_seconds,
    cast(null as double) as service_level_target,
    cast(null as varchar) as business_unit,
    cast(null as timestamp) as updated_at,
    cast(null as varchar) as _source_file,
    cast(null as bigint) as _source_row,
    cast(null as varchar) as _batch_id,
    cast(null as bigint) as _delivery_seq,
    cast(null as timestamp) as _loaded_at
where false
