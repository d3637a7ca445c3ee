-- Required against staffed agents for the whole center per interval (spec
-- "kpi_staffing_center_interval"), published from int_staffing_center_interval.
with

int_staffing_center_interval as (
    select * from {{ ref('int_staffing_center_interval') }}
),

final as (
    select
        interval_start_utc,
        interval_start,
        report_date,
        is_forecast,
        offered,
        required_agents,
        required_scheduled_agents,
        staffed_agents,
        logged_in_agents,
        staffing_gap,
        understaffed
    from int_staffing_center_interval
)

select * from final
