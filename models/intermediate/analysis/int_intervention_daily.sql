-- Daily series of every intervention KPI for its treated and control groups over the pre and
-- post windows (grain: intervention_id x group_name x kpi_name x report_date), as numerator
-- and denominator so the windows can be pooled exactly and the regressions weight each day
-- by its volume. A day appears when the group had rows of the KPI's source that day.
--   * legs (service_level, answer_rate, abandon_rate, avg_wait_seconds, aht_seconds): offered
--     legs by the leg's queue and channel, dated by enqueued_at (as kpi_queue_daily);
--   * interactions (fcr_rate, repeat_contact_rate): by handling queue and the interaction's
--     channel, dated by its start (as kpi_queue_daily / kpi_channel_daily);
--   * surveys (csat_rate): responses by attributed queue and channel, dated by responded_at.
-- Group membership: macros/analysis_metrics.sql intervention_group(); KPI definitions:
-- contact_leg_counts/rates, interaction_kpi_counts, survey_kpi_counts.
with

int_interventions as (
    select * from {{ ref('int_interventions') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

int_interactions as (
    select * from {{ ref('int_interactions') }}
),

-- survey attribution is defined once, in int_survey_responses
int_survey_responses as (
    select * from {{ ref('int_survey_responses') }}
),

legs_in_windows as (
    select
        int_interventions.intervention_id,
        {{ hotline.intervention_group('int_contact_legs.queue_id', 'int_contact_legs.channel') }}
            as group_name,
        int_contact_legs.report_date,
        int_contact_legs.is_offered,
        int_contact_legs.is_answered,
        int_contact_legs.is_abandoned,
        int_contact_legs.is_short_abandoned,
        int_contact_legs.is_answered_within_sl,
        int_contact_legs.is_abandoned_within_sl,
        int_contact_legs.is_transferred_out,
        int_contact_legs.wait_seconds,
        int_contact_legs.handle_seconds
    from int_contact_legs
    inner join int_interventions
        on
            int_contact_legs.report_date >= int_interventions.pre_start_date
            and int_contact_legs.report_date <= int_interventions.post_end_date
    where int_contact_legs.is_offered
),

leg_counts as (
    select
        intervention_id,
        group_name,
        report_date,
        {{ hotline.contact_leg_counts() }}
    from legs_in_windows
    where group_name is not null
    group by intervention_id, group_name, report_date
),

leg_rates as (
    select
        *,
        {{ hotline.contact_leg_rates() }}
    from leg_counts
),

interactions_in_windows as (
    select
        int_interventions.intervention_id,
        {{ hotline.intervention_group('int_interactions.handling_queue_id', 'int_interactions.channel') }}
            as group_name,
        int_interactions.report_date,
        int_interactions.ivr_entered,
        int_interactions.ivr_contained,
        int_interactions.is_repeat_eligible,
        int_interactions.is_repeat,
        int_interactions.fcr_eligible,
        int_interactions.is_fcr,
        int_interactions.is_fcr_final
    from int_interactions
    inner join int_interventions
        on
            int_interactions.report_date >= int_interventions.pre_start_date
            and int_interactions.report_date <= int_interventions.post_end_date
),

interaction_counts as (
    select
        intervention_id,
        group_name,
        report_date,
        {{ hotline.interaction_kpi_counts() }}
    from interactions_in_windows
    where group_name is not null
    group by intervention_id, group_name, report_date
),

responses_in_windows as (
    select
        int_interventions.intervention_id,
        {{ hotline.intervention_group('int_survey_responses.queue_id', 'int_survey_responses.channel') }}
            as group_name,
        int_survey_responses.report_date,
        int_survey_responses.survey_type,
        int_survey_responses.score,
        int_survey_responses.issue_resolved
    from int_survey_responses
    inner join int_interventions
        on
            int_survey_responses.report_date >= int_interventions.pre_start_date
            and int_survey_responses.report_date <= int_interventions.post_end_date
    where int_survey_responses.survey_type = 'csat'
),

survey_counts as (
    select
        intervention_id,
        group_name,
        report_date,
        {{ hotline.survey_kpi_counts() }}
    from responses_in_windows
    where group_name is not null
    group by intervention_id, group_name, report_date
),

kpi_rows as (
    {%- set sources = {'legs': 'leg_rates', 'interactions': 'interaction_counts', 'surveys': 'survey_counts'} %}
    {%- for kpi in hotline.intervention_kpis() %}
        select
            intervention_id,
            group_name,
            '{{ kpi.name }}' as kpi_name,
            report_date,
            cast({{ kpi.numerator }} as double) as numerator,
            cast({{ kpi.denominator }} as double) as denominator
        from {{ sources[kpi.source] }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        kpi_rows.intervention_id,
        kpi_rows.group_name,
        kpi_rows.kpi_name,
        kpi_rows.report_date,
        case when kpi_rows.report_date < int_interventions.start_date then 'pre' else 'post' end as period,
        {{ dbt.datediff('int_interventions.start_date', 'kpi_rows.report_date', 'day') }}
            as day_index,
        kpi_rows.numerator,
        kpi_rows.denominator,
        {{ hotline.safe_divide('kpi_rows.numerator', 'kpi_rows.denominator') }} as kpi_value
    from kpi_rows
    inner join int_interventions
        on kpi_rows.intervention_id = int_interventions.intervention_id
)

select * from final
