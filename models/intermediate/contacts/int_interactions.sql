-- PLACEHOLDER with the agreed output columns; replaced by the real model.
select
    cast(null as varchar) as interaction_id,
    cast(null as varchar) as customer_key,
    cast(null as timestamp) as started_at,
    cast(null as date) as report_date,
    cast(null as varchar) as channel,
    cast(null as varchar) as direction,
    cast(null as varchar) as handling_queue_id,
    cast(null as varchar) as handling_agent_id,
    cast(null as integer) as leg_count,
    cast(null as boolean) as is_answered,
    cast(null as boolean) as is_repeat,
    cast(null as boolean) as fcr_eligible,
    cast(null as boolean) as is_fcr,
    cast(null as boolean) as is_fcr_final,
    cast(null as boolean) as ivr_entered,
    cast(null as boolean) as ivr_contained
where false
