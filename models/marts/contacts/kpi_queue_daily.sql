{{ config(**hotline.report_date_incremental()) }}
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

int_survey_responses as (
    select * from {{ ref('int_survey_responses') }}
    {{ hotline.where_changed_report_date('report_date') }}
),

{{ hotline.daily_contact_kpi_scaffold(
    'queue_id', 'queue_id', 'handling_queue_id', 'queue_id',
    extra_leg_counts={'offered_out_of_hours': hotline.offered_out_of_hours_count()},
) }}

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
