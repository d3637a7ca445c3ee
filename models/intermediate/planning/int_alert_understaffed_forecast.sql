{%- set weeks = hotline.checked_var('staffing_alert_weeks') -%}
-- Observations of the understaffed-forecast alert (资源动态调配; spec kpi_alerts, issue 11), one
-- row per forecast center interval that fires, for every rule of seed alert_rules with
-- scope_type center and metric required_scheduled_agents. The future schedule is unknown, so
-- the forecast's required scheduled agents are compared with who was scheduled in the same
-- local weekday and wall-clock interval over the last var staffing_alert_weeks weeks of
-- history: the mean logged-in agents (every state but offline). Only weeks whose date has
-- agent-state data at all count (a date without any agent time says nothing about the
-- schedule); in those, an interval without agents counts 0. The rule fires when
-- `required_scheduled_agents comparator mean x (1 + threshold)` holds (threshold = the seeded
-- margin, e.g. 0.10 = 10 % more people than usually scheduled), on intervals with at least
-- min_volume forecast contacts. kpi_alerts unions these rows in and words the message.
with

alert_rules as (
    select * from {{ ref('alert_rules') }}
),

int_staffing_center_interval as (
    select * from {{ ref('int_staffing_center_interval') }}
),

rules as (
    select
        rule_id,
        comparator,
        severity,
        coalesce(threshold, 0) as margin,
        coalesce(min_volume, 0) as min_volume
    from alert_rules
    where scope_type = 'center' and metric = 'required_scheduled_agents'
),

history as (
    select
        interval_start,
        report_date,
        logged_in_agents
    from int_staffing_center_interval
    where not is_forecast
),

history_bounds as (
    select max(report_date) as last_date
    from history
),

scheduled_dates as (
    -- dates with agent-state data
    select distinct report_date
    from history
    where logged_in_agents > 0
),

forecast as (
    select
        interval_start,
        report_date,
        offered,
        required_scheduled_agents
    from int_staffing_center_interval
    where is_forecast
),

weeks_back as (
    select n + 1 as week_number
    from {{ hotline.integer_series(weeks) }} as series
),

forecast_weeks as (
    -- the last {{ weeks }} same-weekday dates on or before the last history date
    select
        forecast.interval_start,
        forecast.report_date,
        {{ dbt.dateadd('day', '-7 * (weeks_back.week_number - 1 + cast(ceil('
            ~ dbt.datediff('history_bounds.last_date', 'forecast.report_date', 'day') ~ ' / 7.0) as integer))',
            'forecast.interval_start') }} as history_interval_start
    from forecast
    cross join history_bounds
    cross join weeks_back
),

baseline as (
    select
        forecast_weeks.interval_start,
        count(*) as history_weeks,
        avg(coalesce(history.logged_in_agents, 0)) as mean_logged_in_agents
    from forecast_weeks
    inner join scheduled_dates
        on cast(forecast_weeks.history_interval_start as date) = scheduled_dates.report_date
    left join history
        on forecast_weeks.history_interval_start = history.interval_start
    group by forecast_weeks.interval_start
),

checks as (
    select
        rules.rule_id,
        rules.severity,
        rules.comparator,
        forecast.report_date,
        forecast.interval_start,
        cast(forecast.required_scheduled_agents as double) as observed,
        baseline.mean_logged_in_agents,
        round(baseline.mean_logged_in_agents * (1 + rules.margin), 6) as threshold
    from forecast
    inner join baseline
        on forecast.interval_start = baseline.interval_start
    cross join rules
    where forecast.offered >= rules.min_volume
),

final as (
    select
        rule_id,
        severity,
        'center' as scope_type,
        'interval' as grain,
        cast(null as {{ dbt.type_string() }}) as scope_id,
        cast(null as {{ dbt.type_string() }}) as queue_id,
        report_date,
        interval_start,
        'required_scheduled_agents' as metric,
        observed,
        comparator,
        threshold,
        round(mean_logged_in_agents, 6) as history_mean
    from checks
    where {{ hotline.compare_to_threshold('observed', 'comparator', 'threshold') }}
)

select * from final
