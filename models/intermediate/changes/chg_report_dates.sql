-- Local report dates whose KPI rows this run must recompute (kpi_queue_interval,
-- kpi_queue_daily, kpi_channel_daily, kpi_agent_daily delete and rebuild these dates whole):
--   * dates a rebuilt leg counts on (enqueued/initiated and answered date), now and before;
--   * dates of interactions rewritten this run (new, re-chained, repeat/FCR re-decided,
--     FCR finality re-judged at the new as_of), now and before;
--   * dates of re-split agent states, now and before;
--   * dates whose survey aggregates (fct_survey_responses, rebuilt whole: it is small) or
--     whose agent version (dim_agents, rebuilt whole) differ from what the marts hold.
-- Empty on a full build.
-- depends_on: {{ ref('chg_contact_legs') }}, {{ ref('int_contact_legs') }}, {{ ref('chg_interactions') }}
-- depends_on: {{ ref('int_interactions') }}, {{ ref('chg_agent_states') }}, {{ ref('int_agent_state_intervals') }}
-- depends_on: {{ ref('fct_survey_responses') }}, {{ ref('dim_agents') }}
{%- set previous_queue_daily = previous_relation('kpi_queue_daily') -%}
{%- set previous_channel_daily = previous_relation('kpi_channel_daily') -%}
{%- set previous_agent_daily = previous_relation('kpi_agent_daily') -%}
{%- set survey_columns = survey_kpi_count_columns() -%}
{%- set day_end_utc = local_to_utc(
    'cast(' ~ dbt.dateadd('day', 1, 'previous_agent_daily.report_date') ~ ' as timestamp)') %}

with

{% if previous_queue_daily is not none
    and previous_channel_daily is not none
    and previous_agent_daily is not none -%}

    fct_survey_responses as (
        select * from {{ ref('fct_survey_responses') }}
    ),

    dim_agents as (
        select * from {{ ref('dim_agents') }}
    ),

    leg_dates as (
        select previous_report_date as report_date from {{ ref('chg_contact_legs') }}
        union
        select previous_answered_date from {{ ref('chg_contact_legs') }}
        union
        select report_date from {{ ref('int_contact_legs') }}
        where _changed_in = '{{ invocation_id }}'
        union
        select answered_date from {{ ref('int_contact_legs') }}
        where _changed_in = '{{ invocation_id }}'
    ),

    interaction_dates as (
        select previous_report_date as report_date from {{ ref('chg_interactions') }}
        union
        select report_date from {{ ref('int_interactions') }}
        where _changed_in = '{{ invocation_id }}'
    ),

    agent_state_dates as (
        select previous_report_date as report_date from {{ ref('chg_agent_states') }}
        union
        select report_date from {{ ref('int_agent_state_intervals') }}
        where _changed_in = '{{ invocation_id }}'
    ),

{%- for grain, key, previous in [
    ('queue', 'queue_id', previous_queue_daily),
    ('channel', 'channel', previous_channel_daily),
    ('agent', 'agent_id', previous_agent_daily)] %}

        {{ grain }}_surveys_now as (
            select
                {{ key }},
                report_date,
                {{ survey_kpi_counts() }}
            from fct_survey_responses
            where {{ key }} is not null and report_date is not null
            group by {{ key }}, report_date
        ),

        {{ grain }}_surveys_before as (
            select
                {{ key }},
                report_date,
                {{ survey_columns | join(',\n                ') }}
            from {{ previous }}
            where csat_responses + nps_responses + ces_responses > 0
        ),

        {{ grain }}_survey_dates as (
            -- symmetric difference: a group added, removed or changed
            (
                select * from {{ grain }}_surveys_now
                except
                select * from {{ grain }}_surveys_before
            )
            union all
            (
                select * from {{ grain }}_surveys_before
                except
                select * from {{ grain }}_surveys_now
            )
        ),
    {%- endfor %}

    agent_versions_now as (
    -- the version in effect at the close of the local day, as kpi_agent_daily joins it
        select
            previous_agent_daily.agent_id,
            previous_agent_daily.report_date,
            previous_agent_daily.agent_version_key as previous_version_key,
            previous_agent_daily.team as previous_team,
            previous_agent_daily.site as previous_site,
            dim_agents.agent_version_key,
            dim_agents.team,
            dim_agents.site
        from {{ previous_agent_daily }} as previous_agent_daily
        left join dim_agents
            on
                previous_agent_daily.agent_id = dim_agents.agent_id
                and dim_agents.valid_from < {{ day_end_utc }}
                and dim_agents.valid_to >= {{ day_end_utc }}
    ),

    agent_version_dates as (
        select report_date
        from agent_versions_now
        where
            previous_version_key is distinct from agent_version_key
            or previous_team is distinct from team
            or previous_site is distinct from site
    ),

    all_dates as (
        select report_date from leg_dates
        union
        select report_date from interaction_dates
        union
        select report_date from agent_state_dates
        union
        select report_date from queue_survey_dates
        union
        select report_date from channel_survey_dates
        union
        select report_date from agent_survey_dates
        union
        select report_date from agent_version_dates
    ),

    final as (
        select distinct report_date
        from all_dates
        where report_date is not null
    )

{%- else -%}

    final as (
        select cast(null as date) as report_date
        where false
    )

{%- endif %}

select * from final
