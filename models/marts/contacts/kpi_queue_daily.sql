{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ hotline.delete_changed_report_dates() }}",
) }}
-- depends_on: {{ ref('chg_report_dates') }}
-- Incremental: the dates chg_report_dates lists are deleted and rebuilt whole.
-- Queue x local day KPIs. A queue has a row for every date with any activity: offered legs
-- (dated by enqueued_at), interactions it handled (dated by the interaction's start) or survey
-- responses attributed to it (dated by responded_at). Leg and interaction formulas live in
-- macros/contact_metrics.sql, survey formulas in macros/survey_metrics.sql.
with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
    {{ hotline.where_changed_report_date('report_date') }}
),

int_interactions as (
    select * from {{ ref('int_interactions') }}
    {{ hotline.where_changed_report_date('report_date') }}
),

fct_survey_responses as (
    select * from {{ ref('fct_survey_responses') }}
    {{ hotline.where_changed_report_date('report_date') }}
),

leg_counts as (
    select
        queue_id,
        report_date,
        {{ contact_leg_counts() }},
        {{ offered_out_of_hours_count() }} as offered_out_of_hours
    from int_contact_legs
    where is_offered and queue_id is not null
    group by queue_id, report_date
),

interaction_counts as (
    select
        handling_queue_id as queue_id,
        report_date,
        {{ interaction_kpi_counts() }}
    from int_interactions
    where handling_queue_id is not null
    group by handling_queue_id, report_date
),

survey_counts as (
    select
        queue_id,
        report_date,
        {{ survey_kpi_counts() }}
    from fct_survey_responses
    where queue_id is not null and report_date is not null
    group by queue_id, report_date
),

queue_days as (
    select
        queue_id,
        report_date
    from leg_counts
    union
    select
        queue_id,
        report_date
    from interaction_counts
    union
    select
        queue_id,
        report_date
    from survey_counts
),

joined as (
    select
        queue_days.queue_id,
        queue_days.report_date,
        {% for column in contact_leg_count_columns() -%}
            {{ coalesce_additive('leg_counts', column) }} as {{ column }},
        {% endfor -%}
        {% for column in interaction_kpi_count_columns() -%}
            {{ coalesce_additive('interaction_counts', column) }} as {{ column }},
        {% endfor -%}
        {% for column in survey_kpi_count_columns() -%}
            {{ coalesce_additive('survey_counts', column) }} as {{ column }},
        {% endfor -%}
        leg_counts.max_wait_seconds,
        {{ coalesce_additive('leg_counts', 'offered_out_of_hours') }} as offered_out_of_hours
    from queue_days
    left join leg_counts
        on
            queue_days.queue_id = leg_counts.queue_id
            and queue_days.report_date = leg_counts.report_date
    left join interaction_counts
        on
            queue_days.queue_id = interaction_counts.queue_id
            and queue_days.report_date = interaction_counts.report_date
    left join survey_counts
        on
            queue_days.queue_id = survey_counts.queue_id
            and queue_days.report_date = survey_counts.report_date
),

final as (
    select
        queue_id,
        report_date,
        offered,
        answered,
        abandoned,
        short_abandoned,
        answered_within_sl,
        abandoned_within_sl,
        transferred_out,
        offered_wait_seconds_sum,
        answered_wait_seconds_sum,
        handle_seconds_sum,
        max_wait_seconds,
        offered_out_of_hours,
        {{ contact_leg_rates() }},
        interactions as interactions_handled,
        repeat_eligible,
        repeat_contacts,
        fcr_eligible,
        fcr_resolved,
        fcr_resolved_final,
        {{ interaction_kpi_rates(include_ivr=false) }},
        {% for column in survey_kpi_count_columns() -%}
            {{ column }},
        {% endfor -%}
        {{ survey_kpi_rates() }}
    from joined
)

select * from final
