{#-
  Agent KPIs (spec "Agents"), defined once and reused by every model that carries them.
  agent_state_seconds() aggregates rows of int_agent_state_intervals; agent_time_components()
  and agent_kpi_rates() read the columns it produced, so they also work after an outer join.
-#}

{#- The state enumeration of the landing contract (telephony/agent_states). -#}
{% macro agent_states() -%}
    {{ return(['available', 'on_contact', 'after_contact_work', 'break', 'meeting', 'training', 'offline']) }}
{%- endmacro %}

{#- Seconds per state plus logged-in seconds (every state but offline). -#}
{% macro agent_state_seconds() -%}
    {%- for state in hotline.agent_states() %}
    sum(case when state = '{{ state }}' then seconds else 0 end) as {{ state }}_seconds,
    {%- endfor %}
    sum(case when state <> 'offline' then seconds else 0 end) as logged_in_seconds
{%- endmacro %}

{#- Column names produced by agent_state_seconds(), for coalescing after an outer join. -#}
{% macro agent_state_seconds_columns() -%}
    {%- set columns = [] -%}
    {%- for state in hotline.agent_states() -%}
        {%- do columns.append(state ~ '_seconds') -%}
    {%- endfor -%}
    {%- do columns.append('logged_in_seconds') -%}
    {{ return(columns) }}
{%- endmacro %}

{#- Numerators and denominators of the agent ratios (published beside the ratios). -#}
{% macro agent_time_components(prefix='') -%}
    {{ prefix }}on_contact_seconds + {{ prefix }}after_contact_work_seconds as occupied_seconds,
    {{ prefix }}available_seconds + {{ prefix }}on_contact_seconds
    + {{ prefix }}after_contact_work_seconds as occupancy_base_seconds,
    {{ prefix }}break_seconds + {{ prefix }}meeting_seconds + {{ prefix }}training_seconds as shrinkage_seconds
{%- endmacro %}

{#-
  occupancy = (on_contact + acw) / (available + on_contact + acw)
  utilization = (on_contact + acw) / logged_in, shrinkage = (break + meeting + training) / logged_in,
  contacts_per_hour = handled / (logged_in / 3600). A zero denominator gives null.
-#}
{% macro agent_kpi_rates(prefix='') -%}
    {{ hotline.safe_divide(prefix ~ 'occupied_seconds', prefix ~ 'occupancy_base_seconds') }} as occupancy,
    {{ hotline.safe_divide(prefix ~ 'occupied_seconds', prefix ~ 'logged_in_seconds') }} as utilization,
    {{ hotline.safe_divide(prefix ~ 'shrinkage_seconds', prefix ~ 'logged_in_seconds') }} as shrinkage,
    {{ hotline.safe_divide(prefix ~ 'handled', '(' ~ prefix ~ 'logged_in_seconds / 3600.0)') }} as contacts_per_hour
{%- endmacro %}
