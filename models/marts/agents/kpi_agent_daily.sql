{{ config(**hotline.report_date_incremental()) }}
-- depends_on: {{ ref('chg_report_dates') }}
-- Incremental: the dates chg_report_dates lists are deleted and rebuilt whole.
{#
  Agent KPIs per agent and local report date (spec "Agents").
  Handled legs and AHT use the local date of answered_at, state time the date it falls in,
  FCR the interactions dated that day handled by the agent, surveys the responses dated that
  day attributed to the agent. A row exists for every agent and date with any of these.
-#}

with

int_agent_state_intervals as (
    select * from {{ ref('int_agent_state_intervals') }}
    {{ hotline.where_changed_report_date('report_date') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
    {{ hotline.where_changed_report_date('answered_date') }}
),

int_interactions as (
    select * from {{ ref('int_interactions') }}
    {{ hotline.where_changed_report_date('report_date') }}
),

int_survey_responses as (
    select * from {{ ref('int_survey_responses') }}
    {{ hotline.where_changed_report_date('report_date') }}
),

dim_agents as (
    select * from {{ ref('dim_agents') }}
),

state_time as (
    select
        agent_id,
        report_date,
        {{ hotline.agent_state_seconds() }}
    from int_agent_state_intervals
    group by agent_id, report_date
),

handled as (
    -- is_handled: an agent was connected (answered_at set), queued or not, so outbound legs
    -- count too ("legs the agent answered, any direction"); answered_date is its local date
    select
        agent_id,
        answered_date as report_date,
        count(*) as handled,
        sum(handle_seconds) as handle_seconds_total
    from int_contact_legs
    where
        agent_id is not null
        and is_handled
    group by agent_id, answered_date
),

fcr as (
    select
        handling_agent_id as agent_id,
        report_date,
        sum({{ hotline.flag('fcr_eligible') }}) as fcr_eligible,
        sum({{ hotline.flag('fcr_eligible and is_fcr') }}) as fcr_resolved
    from int_interactions
    where handling_agent_id is not null
    group by handling_agent_id, report_date
),

surveys as (
    select
        agent_id,
        report_date,
        {{ hotline.survey_kpi_counts() }}
    from int_survey_responses
    where agent_id is not null
    group by agent_id, report_date
),

agent_days as (
    select
        agent_id,
        report_date
    from state_time
    union
    select
        agent_id,
        report_date
    from handled
    union
    select
        agent_id,
        report_date
    from fcr
    union
    select
        agent_id,
        report_date
    from surveys
),

joined as (
    select
        agent_days.agent_id,
        agent_days.report_date,
        coalesce(handled.handled, 0) as handled,
        coalesce(handled.handle_seconds_total, 0) as handle_seconds_total,
        {% for column in hotline.agent_state_seconds_columns() %}
            coalesce(state_time.{{ column }}, 0) as {{ column }},
        {% endfor %}
        {% for column in hotline.survey_kpi_count_columns() %}
            coalesce(surveys.{{ column }}, 0) as {{ column }},
        {% endfor %}
        coalesce(fcr.fcr_eligible, 0) as fcr_eligible,
        coalesce(fcr.fcr_resolved, 0) as fcr_resolved
    from agent_days
    left join state_time
        on agent_days.agent_id = state_time.agent_id and agent_days.report_date = state_time.report_date
    left join handled
        on agent_days.agent_id = handled.agent_id and agent_days.report_date = handled.report_date
    left join fcr
        on agent_days.agent_id = fcr.agent_id and agent_days.report_date = fcr.report_date
    left join surveys
        on agent_days.agent_id = surveys.agent_id and agent_days.report_date = surveys.report_date
),

with_components as (
    select
        *,
        {{ hotline.agent_time_components() }}
    from joined
),

with_rates as (
    select
        *,
        {{ hotline.safe_divide('handle_seconds_total', 'handled') }} as aht_seconds,
        {{ hotline.agent_kpi_rates() }},
        {{ hotline.safe_divide('fcr_resolved', 'fcr_eligible') }} as fcr_rate,
        {{ hotline.survey_kpi_rates() }}
    from with_components
),

agent_versions as (
    -- the version in effect at the close of the local day (its last instant)
    select
        with_rates.agent_id,
        with_rates.report_date,
        dim_agents.agent_version_key,
        dim_agents.team,
        dim_agents.site
    from with_rates
    inner join dim_agents
        on
            with_rates.agent_id = dim_agents.agent_id
            and dim_agents.valid_from
            < {{ hotline.local_to_utc('cast(' ~ dbt.dateadd('day', 1, 'with_rates.report_date') ~ ' as timestamp)') }}
            and dim_agents.valid_to
            >= {{ hotline.local_to_utc('cast(' ~ dbt.dateadd('day', 1, 'with_rates.report_date') ~ ' as timestamp)') }}
),

final as (
    select
        with_rates.agent_id,
        with_rates.report_date,
        agent_versions.agent_version_key,
        agent_versions.team,
        agent_versions.site,
        cast(with_rates.handled as bigint) as handled,
        cast(with_rates.handle_seconds_total as double) as handle_seconds_total,
        with_rates.aht_seconds,
        cast(with_rates.logged_in_seconds as double) as logged_in_seconds,
        {% for state in hotline.agent_states() %}
            cast(with_rates.{{ state }}_seconds as double) as {{ state }}_seconds,
        {% endfor %}
        cast(with_rates.occupied_seconds as double) as occupied_seconds,
        cast(with_rates.occupancy_base_seconds as double) as occupancy_base_seconds,
        cast(with_rates.shrinkage_seconds as double) as shrinkage_seconds,
        with_rates.occupancy,
        with_rates.utilization,
        with_rates.shrinkage,
        with_rates.contacts_per_hour,
        cast(with_rates.fcr_eligible as bigint) as fcr_eligible,
        cast(with_rates.fcr_resolved as bigint) as fcr_resolved,
        with_rates.fcr_rate,
        cast(with_rates.csat_responses as bigint) as csat_responses,
        cast(with_rates.csat_satisfied as bigint) as csat_satisfied,
        cast(with_rates.csat_score_sum as double) as csat_score_sum,
        with_rates.csat_rate,
        with_rates.csat_avg_score,
        cast(with_rates.nps_responses as bigint) as nps_responses,
        cast(with_rates.nps_promoters as bigint) as nps_promoters,
        cast(with_rates.nps_detractors as bigint) as nps_detractors,
        with_rates.nps,
        cast(with_rates.ces_responses as bigint) as ces_responses,
        cast(with_rates.ces_score_sum as double) as ces_score_sum,
        with_rates.ces_avg_score,
        cast(with_rates.survey_fcr_responses as bigint) as survey_fcr_responses,
        cast(with_rates.survey_fcr_resolved as bigint) as survey_fcr_resolved,
        with_rates.survey_fcr_rate
    from with_rates
    left join agent_versions
        on with_rates.agent_id = agent_versions.agent_id and with_rates.report_date = agent_versions.report_date
)

select * from final
