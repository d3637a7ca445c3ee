-- Required agents per queue interval (spec "Staffing"): the smallest N among the candidates
-- with predicted service level >= the queue's target and occupancy A / N <= var
-- staffing_max_occupancy; 0 when nothing is offered. A target no candidate meets (a target of
-- 1: the service level only approaches 1) takes the largest candidate and is flagged.
-- An interval with offered contacts but zero handle time needs one agent to answer them.
-- required_scheduled_agents adds var staffing_shrinkage (macros/planning.sql).
with

int_staffing_inputs as (
    select * from {{ ref('int_staffing_inputs') }}
),

int_staffing_candidates as (
    select * from {{ ref('int_staffing_candidates') }}
),

choices as (
    select
        queue_id,
        interval_start_utc,
        min(case when meets_targets then agents end) as first_meeting_agents,
        max(agents) as max_candidate_agents
    from int_staffing_candidates
    group by queue_id, interval_start_utc
),

chosen as (
    select
        int_staffing_candidates.*,
        choices.first_meeting_agents is not null as meets_targets_at_required
    from int_staffing_candidates
    inner join choices
        on
            int_staffing_candidates.queue_id = choices.queue_id
            and int_staffing_candidates.interval_start_utc = choices.interval_start_utc
            and int_staffing_candidates.agents = coalesce(choices.first_meeting_agents, choices.max_candidate_agents)
),

final as (
    select
        int_staffing_inputs.queue_id,
        int_staffing_inputs.interval_start_utc,
        int_staffing_inputs.interval_start,
        int_staffing_inputs.report_date,
        int_staffing_inputs.is_forecast,
        int_staffing_inputs.offered,
        int_staffing_inputs.aht_seconds,
        int_staffing_inputs.traffic_erlangs,
        int_staffing_inputs.service_level_seconds,
        int_staffing_inputs.service_level_target,
        int_staffing_inputs.patience_seconds,
        case
            when int_staffing_inputs.offered <= 0 then 0
            when int_staffing_inputs.traffic_erlangs = 0 then 1
            else chosen.agents
        end as required_agents,
        case
            when int_staffing_inputs.offered <= 0 then null
            when int_staffing_inputs.traffic_erlangs = 0 then 1.0
            else chosen.service_level
        end as predicted_service_level,
        case
            when int_staffing_inputs.offered <= 0 then null
            when int_staffing_inputs.traffic_erlangs = 0 then 0.0
            else chosen.wait_probability
        end as predicted_wait_probability,
        case
            when int_staffing_inputs.offered <= 0 then null
            when int_staffing_inputs.traffic_erlangs = 0 then 0.0
            else chosen.asa_seconds
        end as predicted_asa_seconds,
        case
            when int_staffing_inputs.offered <= 0 then null
            when int_staffing_inputs.traffic_erlangs = 0 then 0.0
            else chosen.occupancy
        end as predicted_occupancy,
        chosen.abandon_probability as predicted_abandon_probability,
        coalesce(chosen.is_erlang_a, false) as is_erlang_a,
        case
            when int_staffing_inputs.offered <= 0 or int_staffing_inputs.traffic_erlangs = 0 then true
            else chosen.meets_targets_at_required
        end as meets_targets
    from int_staffing_inputs
    left join chosen
        on
            int_staffing_inputs.queue_id = chosen.queue_id
            and int_staffing_inputs.interval_start_utc = chosen.interval_start_utc
)

select * from final
