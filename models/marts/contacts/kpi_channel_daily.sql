{{ config(**hotline.report_date_incremental()) }}
-- depends_on: {{ ref('chg_report_dates') }}
-- Incremental: the dates chg_report_dates lists are deleted and rebuilt whole.
-- Channel x local day KPIs. Interactions count on the channel of their first leg and the
-- local date of their start; leg KPIs on the leg's channel and the date of its enqueued_at;
-- surveys on int_survey_responses.channel and the date of responded_at. A row exists for
-- every channel and date with any of the three. Formulas: macros/contact_metrics.sql and
-- macros/survey_metrics.sql.
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

{{ hotline.daily_contact_kpi_scaffold('channel', 'channel', 'channel', 'channel') }}

final as (
    select
        channel,
        report_date,
        {% for column in interaction_kpi_count_columns() -%}
            {{ column }},
        {% endfor -%}
        {{ interaction_kpi_rates() }},
        {% for column in contact_leg_count_columns() -%}
            {{ column }},
        {% endfor -%}
        max_wait_seconds,
        {{ contact_leg_rates() }},
        {% for column in survey_kpi_count_columns() -%}
            {{ column }},
        {% endfor -%}
        {{ survey_kpi_rates() }}
    from joined
)

select * from final
