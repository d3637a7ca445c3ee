{%- set interval_seconds = hotline.checked_var('interval_minutes') * 60 -%}
-- Required against staffed agents for the whole center per interval (spec
-- "kpi_staffing_center_interval"; agents are not tied to queues in the landing contract).
-- required_agents sums the queues' required agents; history intervals carry staffed_agents =
-- seconds agents spent available, on contact or in after-contact work during the interval / T
-- (T = var interval_minutes x 60), staffing_gap = staffed - required and understaffed =
-- gap < 0. logged_in_agents (every state but offline / T) is the scheduled headcount beside
-- it. Forecast intervals have no staffed figures (the future schedule is unknown).
with

int_staffing_required as (
    select * from {{ ref('int_staffing_required') }}
),

int_agent_state_intervals as (
    select * from {{ ref('int_agent_state_intervals') }}
),

required as (
    select
        interval_start_utc,
        max(interval_start) as interval_start,
        max(report_date) as report_date,
        bool_or(is_forecast) as is_forecast,
        sum(offered) as offered,
        sum(required_agents) as required_agents
    from int_staffing_required
    group by interval_start_utc
),

staffed as (
    select
        interval_start_utc,
        max(interval_start) as interval_start,
        max(report_date) as report_date,
        sum(
            case when state in ('available', 'on_contact', 'after_contact_work') then seconds else 0 end
        ) / {{ interval_seconds }} as staffed_agents,
        sum(case when is_logged_in then seconds else 0 end) / {{ interval_seconds }} as logged_in_agents
    from int_agent_state_intervals
    group by interval_start_utc
),

combined as (
    select
        staffed.staffed_agents,
        staffed.logged_in_agents,
        coalesce(required.interval_start_utc, staffed.interval_start_utc) as interval_start_utc,
        coalesce(required.interval_start, staffed.interval_start) as interval_start,
        coalesce(required.report_date, staffed.report_date) as report_date,
        coalesce(required.is_forecast, false) as is_forecast,
        coalesce(required.offered, 0) as offered,
        coalesce(required.required_agents, 0) as required_agents
    from required
    full outer join staffed
        on required.interval_start_utc = staffed.interval_start_utc
),

final as (
    select
        interval_start_utc,
        interval_start,
        report_date,
        is_forecast,
        round(offered, 6) as offered,
        cast(required_agents as bigint) as required_agents,
        {{ hotline.planning_scheduled_agents('required_agents') }} as required_scheduled_agents,
        case when not is_forecast then round(coalesce(staffed_agents, 0), 6) end as staffed_agents,
        case when not is_forecast then round(coalesce(logged_in_agents, 0), 6) end as logged_in_agents,
        case when not is_forecast then round(coalesce(staffed_agents, 0) - required_agents, 6) end
            as staffing_gap,
        case when not is_forecast then round(coalesce(staffed_agents, 0) - required_agents, 6) < 0 end
            as understaffed
    from combined
)

select * from final
