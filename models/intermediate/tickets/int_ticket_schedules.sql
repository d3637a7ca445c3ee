-- The clock each ticket's SLA runs on (spec calendars.md, "sla_policies + schedule_id"): the
-- schedule_id of its priority's policy, null = calendar time, and the policy's targets. A
-- ticket whose priority has no policy has no targets and runs on calendar time.
with

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

sla_policies as (
    select * from {{ ref('sla_policies') }}
),

final as (
    select
        stg_ticketing__tickets.ticket_id,
        stg_ticketing__tickets.created_at,
        sla_policies.schedule_id,
        sla_policies.first_response_target_minutes,
        sla_policies.resolution_target_minutes
    from stg_ticketing__tickets
    left join sla_policies
        on stg_ticketing__tickets.priority = sla_policies.priority
)

select * from final
