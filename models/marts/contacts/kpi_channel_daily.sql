{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ hotline.delete_changed_report_dates() }}",
) }}
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

interaction_counts as (
    select
        channel,
        report_date,
        {{ interaction_kpi_counts() }}
    from int_interactions
    group by channel, report_date
),

leg_counts as (
    select
        channel,
        report_date,
        {{ contact_leg_counts() }}
    from int_contact_legs
    where is_offered
    group by channel, report_date
),

survey_counts as (
    select
        channel,
        report_date,
        {{ survey_kpi_counts() }}
    from int_survey_responses
    where channel is not null and report_date is not null
    group by channel, report_date
),

channel_days as (
    select
        channel,
        report_date
    from interaction_counts
    union
    select
        channel,
        report_date
    from leg_counts
    union
    select
        channel,
        report_date
    from survey_counts
),

joined as (
    select
        channel_days.channel,
        channel_days.report_date,
        {% for column in interaction_kpi_count_columns() -%}
            {{ coalesce_additive('interaction_counts', column) }} as {{ column }},
        {% endfor -%}
        {% for column in contact_leg_count_columns() -%}
            {{ coalesce_additive('leg_counts', column) }} as {{ column }},
        {% endfor -%}
        {% for column in survey_kpi_count_columns() -%}
            {{ coalesce_additive('survey_counts', column) }} as {{ column }},
        {% endfor -%}
        leg_counts.max_wait_seconds
    from channel_days
    left join interaction_counts
        on
            channel_days.channel = interaction_counts.channel
            and channel_days.report_date = interaction_counts.report_date
    left join leg_counts
        on
            channel_days.channel = leg_counts.channel
            and channel_days.report_date = leg_counts.report_date
    left join survey_counts
        on
            channel_days.channel = survey_counts.channel
            and channel_days.report_date = survey_counts.report_date
),

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
