-- PLACEHOLDER with the agreed output columns; replaced by the real model.
select
    cast(null as varchar) as event_id,
    cast(null as varchar) as ticket_id,
    cast(null as timestamp) as occurred_at,
    cast(null as varchar) as event_type,
    cast(null as varchar) as actor_type,
    cast(null as varchar) as actor_agent_id,
    cast(null as varchar) as from_value,
    cast(null as varchar) as to_value,
    cast(null as varchar) as _source_file,
    cast(null as bigint) as _source_row,
    cast(null as varchar) as _batch_id,
    cast(null as bigint) as _delivery_seq,
    cast(null as timestamp) as _loaded_at
where false
