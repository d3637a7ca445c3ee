{#-
  Ticket KPIs (spec "Tickets"), defined once, plus two engine-specific helpers (a date spine
  and a median) behind adapter.dispatch so the ticket marts stay portable. The SLA judgement
  (met / breached / pending against a due instant, calendar or business time) is
  ticket_sla_status_at_due in macros/calendars.sql.
-#}

{#- Ticket statuses that count as resolved (everything else is in the backlog). -#}
{% macro ticket_resolved_statuses() -%}
    ('solved', 'closed')
{%- endmacro %}

{#-
  Dense list of dates from start_date to end_date (both inclusive), one column `date_day`.
  Both arguments are expressions over `from_relation` (a CTE with one row), e.g.
  ticket_date_spine('bounds', 'first_date', 'last_date'). Null bounds give no rows.
-#}
{% macro ticket_date_spine(from_relation, start_date, end_date) -%}
    {{ return(adapter.dispatch('ticket_date_spine', 'hotline')(from_relation, start_date, end_date)) }}
{%- endmacro %}

{% macro default__ticket_date_spine(from_relation, start_date, end_date) -%}
    {#- portable fallback: a recursive CTE, one row per day -#}
    (
        with recursive spine as (
            select cast({{ start_date }} as date) as date_day, cast({{ end_date }} as date) as last_day
            from {{ from_relation }}
            where {{ start_date }} is not null and {{ end_date }} is not null
            union all
            select cast({{ dbt.dateadd('day', 1, 'date_day') }} as date), last_day
            from spine
            where date_day < last_day
        )
        select date_day from spine
    )
{%- endmacro %}

{% macro duckdb__ticket_date_spine(from_relation, start_date, end_date) -%}
    (
        select cast(unnest(generate_series(
            cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day
        )) as date) as date_day
        from {{ from_relation }}
        where {{ start_date }} is not null and {{ end_date }} is not null
    )
{%- endmacro %}

{#- Median (the mean of the two middle values for an even count). -#}
{% macro ticket_median(expression) -%}
    {{ return(adapter.dispatch('ticket_median', 'hotline')(expression)) }}
{%- endmacro %}

{% macro default__ticket_median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{#-
  `value comparator threshold` for a comparator held as data (seeds kpi_targets and
  alert_rules): <=, >=, <, >. Null value, threshold or comparator -> null.
-#}
{% macro compare_to_threshold(value, comparator, threshold) -%}
    case
        when {{ value }} is null or {{ threshold }} is null then null
        when {{ comparator }} = '<=' then {{ value }} <= {{ threshold }}
        when {{ comparator }} = '>=' then {{ value }} >= {{ threshold }}
        when {{ comparator }} = '<' then {{ value }} < {{ threshold }}
        when {{ comparator }} = '>' then {{ value }} > {{ threshold }}
    end
{%- endmacro %}

{#- A number as text with a fixed number of decimals, for alert messages. -#}
{% macro format_decimal(expression, places) -%}
    {{ return(adapter.dispatch('format_decimal', 'hotline')(expression, places)) }}
{%- endmacro %}

{% macro default__format_decimal(expression, places) -%}
    cast(cast(round({{ expression }}, {{ places }}) as decimal(38, {{ places }})) as varchar)
{%- endmacro %}

{#- A timestamp's wall-clock time as HH:MM, for alert messages. -#}
{% macro format_hhmm(ts) -%}
    {{ return(adapter.dispatch('format_hhmm', 'hotline')(ts)) }}
{%- endmacro %}

{% macro default__format_hhmm(ts) -%}
    strftime({{ ts }}, '%H:%M')
{%- endmacro %}
