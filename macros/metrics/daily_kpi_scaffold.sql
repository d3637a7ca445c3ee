{#-
  The one scaffold of the daily contact KPI marts (kpi_queue_daily, kpi_channel_daily): leg,
  interaction and survey counts per `key` and local report date, the union of every key and
  date with any of them, and the counts joined back (0 where a side had no rows). Renders
  CTEs (each followed by a comma) that read the import CTEs int_contact_legs,
  int_interactions and int_survey_responses; the mart selects its columns from `joined`.

    key               the output key column (e.g. queue_id, channel)
    leg_key           its expression on int_contact_legs (offered legs count there)
    interaction_key   its expression on int_interactions (interactions count there)
    survey_key        its expression on int_survey_responses
    extra_leg_counts  {column: aggregate expression} counted with the legs (e.g. a mart's own
                      additive column), 0 where the key had no offered legs that day
-#}
{% macro daily_contact_kpi_scaffold(key, leg_key, interaction_key, survey_key, extra_leg_counts={}) -%}
leg_counts as (
    select
        {{ leg_key }} as {{ key }},
        report_date,
        {{ hotline.contact_leg_counts() }}
        {%- for column, expression in extra_leg_counts.items() %},
        {{ expression }} as {{ column }}
        {%- endfor %}
    from int_contact_legs
    where is_offered and {{ leg_key }} is not null
    group by {{ leg_key }}, report_date
),

interaction_counts as (
    select
        {{ interaction_key }} as {{ key }},
        report_date,
        {{ hotline.interaction_kpi_counts() }}
    from int_interactions
    where {{ interaction_key }} is not null
    group by {{ interaction_key }}, report_date
),

survey_counts as (
    select
        {{ survey_key }} as {{ key }},
        report_date,
        {{ hotline.survey_kpi_counts() }}
    from int_survey_responses
    where {{ survey_key }} is not null and report_date is not null
    group by {{ survey_key }}, report_date
),

key_days as (
    select {{ key }}, report_date from leg_counts
    union
    select {{ key }}, report_date from interaction_counts
    union
    select {{ key }}, report_date from survey_counts
),

joined as (
    select
        key_days.{{ key }},
        key_days.report_date,
        {% for column in hotline.contact_leg_count_columns() -%}
            {{ hotline.coalesce_additive('leg_counts', column) }} as {{ column }},
        {% endfor -%}
        {% for column in hotline.interaction_kpi_count_columns() -%}
            {{ hotline.coalesce_additive('interaction_counts', column) }} as {{ column }},
        {% endfor -%}
        {% for column in hotline.survey_kpi_count_columns() -%}
            {{ hotline.coalesce_additive('survey_counts', column) }} as {{ column }},
        {% endfor -%}
        {% for column in extra_leg_counts -%}
            {{ hotline.coalesce_additive('leg_counts', column) }} as {{ column }},
        {% endfor -%}
        leg_counts.max_wait_seconds
    from key_days
    left join leg_counts
        on
            key_days.{{ key }} = leg_counts.{{ key }}
            and key_days.report_date = leg_counts.report_date
    left join interaction_counts
        on
            key_days.{{ key }} = interaction_counts.{{ key }}
            and key_days.report_date = interaction_counts.report_date
    left join survey_counts
        on
            key_days.{{ key }} = survey_counts.{{ key }}
            and key_days.report_date = survey_counts.report_date
),
{%- endmacro %}
