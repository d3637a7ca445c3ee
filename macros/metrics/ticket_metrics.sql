{#-
  Ticket KPIs (spec "Tickets"), defined once: the SLA judgement used for both the first
  response and the resolution SLA, and the statuses that count as resolved.
-#}

{#-
  SLA status of one target (spec): `met` when done within target (inclusive), `breached`
  when done late, or not done and as_of is past the target, `pending` otherwise.
  Arguments are seconds since created_at: done_seconds is null while not done;
  as_of_seconds is the watermark's distance from created_at. No target -> null (no policy).
-#}
{% macro ticket_sla_status(done_seconds, as_of_seconds, target_seconds) -%}
    case
        when {{ target_seconds }} is null then null
        when {{ done_seconds }} is not null and {{ done_seconds }} <= {{ target_seconds }} then 'met'
        when {{ done_seconds }} is not null then 'breached'
        when {{ as_of_seconds }} > {{ target_seconds }} then 'breached'
        else 'pending'
    end
{%- endmacro %}

{#- Ticket statuses that count as resolved (everything else is in the backlog). -#}
{% macro ticket_resolved_statuses() -%}
    ('solved', 'closed')
{%- endmacro %}
