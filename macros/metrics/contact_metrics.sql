{#-
  Contact KPIs (spec "Contact legs" and "Customer interactions"), defined once and reused by
  kpi_queue_interval, kpi_queue_daily, kpi_channel_daily and any scorecard.

  The leg flags themselves live only in int_contact_legs; these macros only aggregate them.
  *_counts() aggregate rows of int_contact_legs / fct_contacts (or int_interactions /
  fct_customer_contacts); *_rates() turn those additive columns into rates, reading the
  columns the *_counts() macro produced, so the rates can be computed after an outer join
  (coalesce the additive columns listed by *_count_columns() first).
  Every rate ships with its numerator and denominator; a zero denominator gives null.
-#}

{#- Additive leg aggregates (safe to sum again across intervals, queues, days). -#}
{% macro contact_leg_counts() -%}
    cast(sum({{ hotline.flag('is_offered') }}) as bigint) as offered,
    cast(sum({{ hotline.flag('is_answered') }}) as bigint) as answered,
    cast(sum({{ hotline.flag('is_abandoned') }}) as bigint) as abandoned,
    cast(sum({{ hotline.flag('is_short_abandoned') }}) as bigint) as short_abandoned,
    cast(sum({{ hotline.flag('is_answered_within_sl') }}) as bigint) as answered_within_sl,
    cast(sum({{ hotline.flag('is_abandoned_within_sl') }}) as bigint) as abandoned_within_sl,
    cast(sum({{ hotline.flag('is_transferred_out') }}) as bigint) as transferred_out,
    sum(case when is_offered then wait_seconds else 0.0 end) as offered_wait_seconds_sum,
    sum(case when is_answered then wait_seconds else 0.0 end) as answered_wait_seconds_sum,
    sum(case when is_answered then handle_seconds else 0.0 end) as handle_seconds_sum,
    {#- not additive (a max): never coalesce it to 0 after an outer join #}
    max(case when is_offered then wait_seconds end) as max_wait_seconds
{%- endmacro %}

{#- Additive column names produced by contact_leg_counts(), for coalescing after an outer join. -#}
{% macro contact_leg_count_columns() -%}
    {{ return(['offered', 'answered', 'abandoned', 'short_abandoned', 'answered_within_sl',
               'abandoned_within_sl', 'transferred_out', 'offered_wait_seconds_sum',
               'answered_wait_seconds_sum', 'handle_seconds_sum']) }}
{%- endmacro %}

{#-
  Service level numerator / denominator for hotline.checked_var('service_level_formula'):
    exclude_short_abandons (default): answered_within_sl / (offered - short_abandoned)
    all_offered:                      answered_within_sl / offered
    abandons_count_for:               (answered_within_sl + abandoned_within_sl) / offered
-#}
{% macro service_level_numerator(prefix='') -%}
    {%- set formula = hotline.checked_var('service_level_formula') -%}
    {%- if formula in ('exclude_short_abandons', 'all_offered') -%}
        {{ prefix }}answered_within_sl
    {%- elif formula == 'abandons_count_for' -%}
        ({{ prefix }}answered_within_sl + {{ prefix }}abandoned_within_sl)
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown service_level_formula '" ~ formula ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro service_level_denominator(prefix='') -%}
    {%- set formula = hotline.checked_var('service_level_formula') -%}
    {%- if formula == 'exclude_short_abandons' -%}
        ({{ prefix }}offered - {{ prefix }}short_abandoned)
    {%- elif formula in ('all_offered', 'abandons_count_for') -%}
        {{ prefix }}offered
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown service_level_formula '" ~ formula ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{#- Leg KPIs with their numerators and denominators, from the columns of contact_leg_counts(). -#}
{% macro contact_leg_rates(prefix='') -%}
    {{ hotline.service_level_numerator(prefix) }} as service_level_numerator,
    {{ hotline.service_level_denominator(prefix) }} as service_level_denominator,
    {{ hotline.safe_divide(hotline.service_level_numerator(prefix), hotline.service_level_denominator(prefix)) }}
        as service_level,
    {{ hotline.safe_divide(prefix ~ 'answered', prefix ~ 'offered') }} as answer_rate,
    ({{ prefix }}abandoned - {{ prefix }}short_abandoned) as abandon_rate_numerator,
    ({{ prefix }}offered - {{ prefix }}short_abandoned) as abandon_rate_denominator,
    {{ hotline.safe_divide(
        '(' ~ prefix ~ 'abandoned - ' ~ prefix ~ 'short_abandoned)',
        '(' ~ prefix ~ 'offered - ' ~ prefix ~ 'short_abandoned)') }} as abandon_rate,
    {{ hotline.safe_divide(prefix ~ 'answered_wait_seconds_sum', prefix ~ 'answered') }} as asa_seconds,
    {{ hotline.safe_divide(prefix ~ 'offered_wait_seconds_sum', prefix ~ 'offered') }} as avg_wait_seconds,
    {{ hotline.safe_divide(prefix ~ 'handle_seconds_sum', prefix ~ 'answered') }} as aht_seconds,
    {{ hotline.safe_divide(prefix ~ 'transferred_out', prefix ~ 'answered') }} as transfer_rate
{%- endmacro %}

{#- Additive interaction aggregates over int_interactions / fct_customer_contacts rows. -#}
{% macro interaction_kpi_counts() -%}
    cast(count(*) as bigint) as interactions,
    cast(sum({{ hotline.flag('ivr_entered') }}) as bigint) as ivr_entered,
    cast(sum({{ hotline.flag('ivr_contained') }}) as bigint) as ivr_contained,
    cast(sum({{ hotline.flag('is_repeat_eligible') }}) as bigint) as repeat_eligible,
    cast(sum({{ hotline.flag('is_repeat') }}) as bigint) as repeat_contacts,
    cast(sum({{ hotline.flag('fcr_eligible') }}) as bigint) as fcr_eligible,
    cast(sum({{ hotline.flag('is_fcr') }}) as bigint) as fcr_resolved,
    cast(sum({{ hotline.flag('is_fcr and is_fcr_final') }}) as bigint) as fcr_resolved_final
{%- endmacro %}

{% macro interaction_kpi_count_columns() -%}
    {{ return(['interactions', 'ivr_entered', 'ivr_contained', 'repeat_eligible', 'repeat_contacts',
               'fcr_eligible', 'fcr_resolved', 'fcr_resolved_final']) }}
{%- endmacro %}

{#- fcr_resolved counts is_fcr whether provisional or final (spec). -#}
{#- include_ivr=false where IVR containment means nothing (e.g. per handling queue). -#}
{% macro interaction_kpi_rates(prefix='', include_ivr=true) -%}
    {{ hotline.safe_divide(prefix ~ 'repeat_contacts', prefix ~ 'repeat_eligible') }} as repeat_contact_rate,
    {{ hotline.safe_divide(prefix ~ 'fcr_resolved', prefix ~ 'fcr_eligible') }} as fcr_rate
    {%- if include_ivr %},
    {{ hotline.safe_divide(prefix ~ 'ivr_contained', prefix ~ 'ivr_entered') }} as ivr_containment_rate
    {%- endif %}
{%- endmacro %}

{#-
  An additive column after an outer join: 0 where the side had no rows, typed for the
  contracts (sums of seconds/scores are double, counts bigint).
-#}
{% macro coalesce_additive(relation, column) -%}
    cast(coalesce({{ relation }}.{{ column }}, 0) as {{ 'double' if column.endswith('_sum') else 'bigint' }})
{%- endmacro %}

{#-
  The interaction a leg belongs to (spec "Customer interactions"): all legs sharing
  initial_contact_id; a leg with no initial id is its own first leg.
-#}
{% macro leg_interaction_id(initial_contact_id, contact_id) -%}
    coalesce({{ initial_contact_id }}, {{ contact_id }})
{%- endmacro %}

{#- A queue's answer threshold: its own, else var default_service_level_seconds (unknown
    queues and queues without one). -#}
{% macro queue_service_level_seconds(queue_threshold) -%}
    cast(coalesce({{ queue_threshold }}, {{ hotline.checked_var('default_service_level_seconds') | float }}) as double)
{%- endmacro %}

{#- The UTC end of the reporting interval that starts at interval_start_utc. -#}
{% macro interval_end_utc(interval_start_utc) -%}
    {{ hotline.add_seconds(interval_start_utc, hotline.interval_minutes() * 60) }}
{%- endmacro %}

{#- A queue's service-level target: its own, else var default_service_level_target. -#}
{% macro queue_service_level_target(queue_target) -%}
    cast(coalesce({{ queue_target }}, {{ hotline.checked_var('default_service_level_target') | float }}) as double)
{%- endmacro %}
