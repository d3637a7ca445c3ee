{#-
  Forecast and staffing helpers (spec planning-and-analysis.md, "Forecast" and "Staffing").
  Portable SQL only: the Erlang arithmetic is done in log space over a numbers table in the
  models (exp, ln, window sums), so a default__ body is all a Spark port needs.
-#}

{#- Local date of the data watermark (as_of): the day the forecast horizon starts after. -#}
{% macro planning_as_of_date(as_of) -%}
    {{ hotline.local_date(as_of) }}
{%- endmacro %}

{#-
  Weekday key of a local date, 0 = Monday ... 6 = Sunday, from the day count since Monday
  1970-01-05 (engines number weekdays differently; a day difference is the same everywhere).
-#}
{% macro planning_weekday(date_expression) -%}
    cast(mod({{ dbt.datediff("cast('1970-01-05' as date)", date_expression, 'day') }}, 7) as integer)
{%- endmacro %}

{#- Minutes after local midnight of a local wall-clock timestamp (the time-of-day slot). -#}
{% macro planning_slot_minute(ts_local) -%}
    cast(extract(hour from {{ ts_local }}) * 60 + extract(minute from {{ ts_local }}) as integer)
{%- endmacro %}

{#-
  Required scheduled agents: ceil(required / (1 - shrinkage)). The quotient is rounded to
  9 decimals first: 14 / (1 - 0.3) is 20.000000000000004 in binary floating point, and a
  plain ceil would schedule 21 people instead of 20.
-#}
{% macro planning_scheduled_agents(required_agents) -%}
    {%- set shrinkage = hotline.checked_var('staffing_shrinkage') -%}
    cast(ceil(round(cast({{ required_agents }} as double) / (1 - {{ shrinkage }}), 9)) as integer)
{%- endmacro %}

{#-
  Every reporting interval of a set of local days, stepped in UTC from each local midnight
  (the rule of int_agent_state_intervals): a day has 46 or 50 half hours on daylight-saving
  days, and the repeated fall-back hour yields two intervals with the same local label.
  `days_cte` must have a column report_date; returns report_date, interval_start_utc,
  interval_end_utc, interval_start (local label) and every other column of days_cte.
-#}
{% macro planning_day_intervals(days_cte, extra_columns=[]) -%}
    {%- set interval_seconds = (hotline.checked_var('interval_minutes') | int) * 60 -%}
    {%- set max_intervals_per_day = (26 * 3600) // interval_seconds + 1 -%}
    select
        {%- for column in extra_columns %}
        day_bounds.{{ column }},
        {%- endfor %}
        day_bounds.report_date,
        {{ hotline.add_seconds('day_bounds.day_start_utc', 'interval_numbers.n * ' ~ interval_seconds) }}
            as interval_start_utc,
        least(
            {{ hotline.add_seconds('day_bounds.day_start_utc', '(interval_numbers.n + 1) * ' ~ interval_seconds) }},
            day_bounds.day_end_utc
        ) as interval_end_utc,
        {{ hotline.interval_start_local(hotline.to_local(
            hotline.add_seconds('day_bounds.day_start_utc', 'interval_numbers.n * ' ~ interval_seconds))) }}
            as interval_start
    from (
        select
            {%- for column in extra_columns %}
            {{ column }},
            {%- endfor %}
            report_date,
            {{ hotline.local_to_utc('cast(report_date as timestamp)') }} as day_start_utc,
            {{ hotline.planning_day_end_utc('report_date') }} as day_end_utc
        from {{ days_cte }}
    ) as day_bounds
    inner join {{ hotline.integer_series(max_intervals_per_day) }} as interval_numbers
        on {{ hotline.add_seconds('day_bounds.day_start_utc', 'interval_numbers.n * ' ~ interval_seconds) }}
        < day_bounds.day_end_utc
{%- endmacro %}

{#- The UTC instant a local date ends (the next local midnight): a day is complete once as_of reaches it. -#}
{% macro planning_day_end_utc(date_expression) -%}
    {{ hotline.local_to_utc('cast(' ~ dbt.dateadd('day', 1, date_expression) ~ ' as timestamp)') }}
{%- endmacro %}
