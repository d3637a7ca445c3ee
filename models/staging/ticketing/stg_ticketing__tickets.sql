-- PLACEHOLDER with the agreed output columns; replaced by the real model.
select
    cast(null as varchar) as ticket_id,
    cast(null as timestamp) as created_at,
    cast(null as timestamp) as updated_at,
    cast(null as varchar) as source_channel,
    cast(null as varchar) as origin_contact_id,
    cast(null as varchar) as customer_key,
    cast(null as varchar) as priority,
    cast(null as varchar) as category,
    cast(null as varchar) as status,
    cast(null as varchar) as assigned_group,
    cast(null as varchar) as assignee_agent_id,
    cast(null as varchar) as subject_masked,
    cast(null as varchar) as _source_file,
    cast(null as bigint) as _source_row,
    cast(null as varchar) as _batch_id,
    cast(null as bigint) as _delivery_seq,
    cast(null as timestamp) as _loaded_at
where false
