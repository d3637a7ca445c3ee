-- PLACEHOLDER with the agreed output columns; replaced by the real model.
select
    cast(null as varchar) as agent_id,
    cast(null as varchar) as agent_name,
    cast(null as varchar) as team,
    cast(null as varchar) as site,
    cast(null as date) as hire_date,
    cast(null as date) as termination_date,
    cast(null as timestamp) as updated_at,
    cast(null as timestamp) as snapshot_at,
    cast(null as varchar) as _source_file,
    cast(null as bigint) as _source_row,
    cast(null as varchar) as _batch_id,
    cast(null as bigint) as _delivery_seq,
    cast(null as timestamp) as _loaded_at
where false
