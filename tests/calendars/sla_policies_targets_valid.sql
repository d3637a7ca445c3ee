-- Seed sla_policies: targets are whole minutes >= 0 (a negative target would make a due
-- instant before creation, in calendar and in business time alike). Returns offending rows.
select
    priority,
    first_response_target_minutes,
    resolution_target_minutes
from {{ ref('sla_policies') }}
where first_response_target_minutes < 0 or resolution_target_minutes < 0
