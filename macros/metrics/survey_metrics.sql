{#-
  Survey KPIs (spec "Surveys"), defined once and reused by every mart that carries them.
  survey_kpi_counts() aggregates rows of fct_survey_responses; survey_kpi_rates() turns
  those counts into rates, reading the columns survey_kpi_counts() produced.
-#}
{% macro survey_kpi_counts() -%}
    sum({{ hotline.flag("survey_type = 'csat'") }}) as csat_responses,
    sum({{ hotline.flag("survey_type = 'csat' and score >= 4") }}) as csat_satisfied,
    sum(case when survey_type = 'csat' then score else 0 end) as csat_score_sum,
    sum({{ hotline.flag("survey_type = 'nps'") }}) as nps_responses,
    sum({{ hotline.flag("survey_type = 'nps' and score >= 9") }}) as nps_promoters,
    sum({{ hotline.flag("survey_type = 'nps' and score <= 6") }}) as nps_detractors,
    sum({{ hotline.flag("survey_type = 'ces'") }}) as ces_responses,
    sum(case when survey_type = 'ces' then score else 0 end) as ces_score_sum,
    sum({{ hotline.flag("issue_resolved is not null") }}) as survey_fcr_responses,
    sum({{ hotline.flag("issue_resolved") }}) as survey_fcr_resolved
{%- endmacro %}

{#- Column names produced by survey_kpi_counts(), for coalescing after an outer join. -#}
{% macro survey_kpi_count_columns() -%}
    {{ return(['csat_responses', 'csat_satisfied', 'csat_score_sum', 'nps_responses',
               'nps_promoters', 'nps_detractors', 'ces_responses', 'ces_score_sum',
               'survey_fcr_responses', 'survey_fcr_resolved']) }}
{%- endmacro %}

{% macro survey_kpi_rates(prefix='') -%}
    {{ hotline.safe_divide(prefix ~ 'csat_satisfied', prefix ~ 'csat_responses') }} as csat_rate,
    {{ hotline.safe_divide(prefix ~ 'csat_score_sum', prefix ~ 'csat_responses') }} as csat_avg_score,
    100 * {{ hotline.safe_divide(prefix ~ 'nps_promoters - ' ~ prefix ~ 'nps_detractors', prefix ~ 'nps_responses') }} as nps,
    {{ hotline.safe_divide(prefix ~ 'ces_score_sum', prefix ~ 'ces_responses') }} as ces_avg_score,
    {{ hotline.safe_divide(prefix ~ 'survey_fcr_resolved', prefix ~ 'survey_fcr_responses') }} as survey_fcr_rate
{%- endmacro %}
