{#-
  Intervention effects and satisfaction drivers (spec planning-and-analysis.md, "Interventions
  and their effect" and "Drivers of satisfaction and resolution"). Each rule is defined here
  once and reused by models/intermediate/analysis and models/marts/analysis.
-#}

{#-
  The KPIs an intervention is judged on: name -> (source, numerator column, denominator
  column). The columns are those produced by contact_leg_counts()/contact_leg_rates(),
  interaction_kpi_counts() and survey_kpi_counts(), so each KPI keeps the definition of
  kpi-definitions.md (service_level follows var service_level_formula).
-#}
{% macro intervention_kpis() -%}
    {{ return([
        {'name': 'service_level', 'source': 'legs',
         'numerator': 'service_level_numerator', 'denominator': 'service_level_denominator'},
        {'name': 'answer_rate', 'source': 'legs', 'numerator': 'answered', 'denominator': 'offered'},
        {'name': 'abandon_rate', 'source': 'legs',
         'numerator': 'abandon_rate_numerator', 'denominator': 'abandon_rate_denominator'},
        {'name': 'avg_wait_seconds', 'source': 'legs',
         'numerator': 'offered_wait_seconds_sum', 'denominator': 'offered'},
        {'name': 'aht_seconds', 'source': 'legs',
         'numerator': 'handle_seconds_sum', 'denominator': 'answered'},
        {'name': 'fcr_rate', 'source': 'interactions',
         'numerator': 'fcr_resolved', 'denominator': 'fcr_eligible'},
        {'name': 'repeat_contact_rate', 'source': 'interactions',
         'numerator': 'repeat_contacts', 'denominator': 'repeat_eligible'},
        {'name': 'csat_rate', 'source': 'surveys',
         'numerator': 'csat_satisfied', 'denominator': 'csat_responses'},
    ]) }}
{%- endmacro %}

{#-
  Which group a row belongs to for an intervention (joined in as `int_interventions`):
  'treated' when it is in the scope, 'control' when its queue is one of the control queues,
  else null. `queue_column` is the row's queue (a leg's queue, an interaction's handling queue,
  a response's attributed queue), `channel_column` its channel. Treated wins when a row is
  both (a listed control queue inside a treated channel).
-#}
{% macro intervention_group(queue_column, channel_column) -%}
    case
        when
            int_interventions.scope_type = 'center'
            or (int_interventions.scope_type = 'queue' and {{ queue_column }} = int_interventions.scope_id)
            or (int_interventions.scope_type = 'channel' and {{ channel_column }} = int_interventions.scope_id)
            then 'treated'
        when
            {{ queue_column }} is not null
            and int_interventions.control_queue_list is not null
            and {{ dbt.position(dbt.concat(["';'", queue_column, "';'"]), 'int_interventions.control_queue_list') }} > 0
            then 'control'
    end
{%- endmacro %}

{#- Bucket of a number of seconds; lower edges inclusive (spec): 19.9 s is 0-19, 20 s is 20-59. -#}
{% macro wait_bucket(seconds) -%}
    case
        when {{ seconds }} < 20 then '0-19'
        when {{ seconds }} < 60 then '20-59'
        when {{ seconds }} < 180 then '60-179'
        else '180+'
    end
{%- endmacro %}

{% macro handle_bucket(seconds) -%}
    case
        when {{ seconds }} < 180 then '0-179'
        when {{ seconds }} < 600 then '180-599'
        else '600+'
    end
{%- endmacro %}

{#- The fixed levels of each bucketed / yes-no factor, in display order. -#}
{% macro factor_fixed_levels() -%}
    {{ return({
        'wait_bucket': ['0-19', '20-59', '60-179', '180+'],
        'transferred': ['no', 'yes'],
        'repeat': ['no', 'yes'],
        'handle_bucket': ['0-179', '180-599', '600+'],
    }) }}
{%- endmacro %}

{#- yes / no label of a boolean (null counts as no). -#}
{% macro yes_no(condition) -%}
    case when coalesce({{ condition }}, false) then 'yes' else 'no' end
{%- endmacro %}

{#-
  Rows (factor, level, level_order) for the factors given: the fixed levels of
  factor_fixed_levels(), and for 'channel' every channel in `channel_relation`, so a level
  nobody fell into still has a row (with zero counts).
-#}
{% macro factor_levels(factors, channel_relation) -%}
    {%- set fixed = hotline.factor_fixed_levels() -%}
    {%- set selects = [] -%}
    {%- for factor in factors -%}
        {%- if factor == 'channel' -%}
            {%- do selects.append(
                "select distinct 'channel' as factor, channel as level, 0 as level_order from "
                ~ channel_relation ~ " where channel is not null") -%}
        {%- else -%}
            {%- for level in fixed[factor] -%}
                {%- do selects.append(
                    "select '" ~ factor ~ "' as factor, '" ~ level ~ "' as level, "
                    ~ loop.index ~ " as level_order") -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ selects | join('\n    union all\n    ') }}
{%- endmacro %}

{#-
  One row per (input row, factor) with the row's level of that factor; `columns` are carried
  along (the measures to count). The input must have wait_bucket, transferred, is_repeat,
  channel and handle_bucket (int_interaction_factors).
-#}
{% macro factor_rows(relation, factors, columns) -%}
    {%- set level_expression = {
        'wait_bucket': 'wait_bucket',
        'transferred': hotline.yes_no('is_transferred'),
        'repeat': hotline.yes_no('is_repeat'),
        'channel': 'channel',
        'handle_bucket': 'handle_bucket',
    } -%}
    {%- set selects = [] -%}
    {%- for factor in factors -%}
        {%- do selects.append(
            "select '" ~ factor ~ "' as factor, " ~ level_expression[factor] ~ " as level, "
            ~ columns | join(', ') ~ " from " ~ relation) -%}
    {%- endfor -%}
    {{ selects | join('\n    union all\n    ') }}
{%- endmacro %}

{#- Interaction flags interaction_kpi_counts() reads, carried through factor_rows(). -#}
{% macro fcr_factor_columns() -%}
    {{ return(['ivr_entered', 'ivr_contained', 'is_repeat_eligible', 'is_repeat', 'fcr_eligible',
               'is_fcr', 'is_fcr_final']) }}
{%- endmacro %}
