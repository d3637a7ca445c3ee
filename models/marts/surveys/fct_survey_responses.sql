-- PLACEHOLDER with the agreed output columns; replaced by the real model.
select
    cast(null as varchar) as response_id,
    cast(null as varchar) as survey_type,
    cast(null as date) as report_date,
    cast(null as timestamp) as responded_at,
    cast(null as double) as score,
    cast(null as boolean) as issue_resolved,
    cast(null as varchar) as contact_id,
    cast(null as varchar) as interaction_id,
    cast(null as varchar) as ticket_id,
    cast(null as varchar) as queue_id,
    cast(null as varchar) as agent_id,
    cast(null as varchar) as channel
where false
