{#-
  Ticket KPIs (spec "Tickets"), defined once. The SLA judgement (met / breached / pending
  against a due instant, calendar or business time) is ticket_sla_status_at_due in
  macros/calendars.sql.
-#}

{#- Ticket statuses that count as resolved (everything else is in the backlog). -#}
{% macro ticket_resolved_statuses() -%}
    ('solved', 'closed')
{%- endmacro %}
