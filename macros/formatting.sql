{#-
  Words and numbers for people: how alerts read ("Queue 贵宾专线 VIP service level 0.72 below
  0.80 on 2026-11-20"). Formatting only; which alerts fire is decided in kpi_alerts and
  int_queue_volume_anomalies.
-#}

{#-
  CTEs (each followed by a comma) that add `message` to every row of `alerts` (columns
  rule_id, scope_type, scope_id, queue_id, report_date, interval_start, metric, observed,
  comparator, threshold, history_mean), naming queues from `queues` (queue_id, queue_name).
  The last CTE is `messages`.
-#}
{% macro alert_messages(alerts, queues) -%}
    {%- set rate_metrics = ['service_level', 'answer_rate', 'abandon_rate', 'transfer_rate', 'fcr_rate',
                            'repeat_contact_rate', 'csat_rate', 'occupancy', 'utilization', 'shrinkage',
                            'contacts_per_hour'] %}
    {%- set count_metrics = ['offered', 'answered', 'abandoned', 'handled'] %}
    {%- set metric_labels = {
        'offered': 'offered volume', 'answered': 'answered', 'abandoned': 'abandoned',
        'service_level': 'service level', 'answer_rate': 'answer rate', 'abandon_rate': 'abandon rate',
        'asa_seconds': 'average speed of answer', 'avg_wait_seconds': 'average wait',
        'max_wait_seconds': 'longest wait', 'aht_seconds': 'average handle time',
        'transfer_rate': 'transfer rate', 'fcr_rate': 'first-contact resolution rate',
        'repeat_contact_rate': 'repeat contact rate', 'csat_rate': 'CSAT rate', 'nps': 'NPS',
        'handled': 'handled contacts', 'logged_in_seconds': 'logged-in time', 'occupancy': 'occupancy',
        'utilization': 'utilization', 'shrinkage': 'shrinkage', 'contacts_per_hour': 'contacts per hour',
        'handle_seconds': 'handle time', 'wait_seconds': 'wait',
        'required_scheduled_agents': 'forecast required scheduled agents'} %}
labelled as (
    select
        {{ alerts }}.*,
        case {{ alerts }}.scope_type
            when 'queue' then 'Queue ' || coalesce({{ queues }}.queue_name, {{ alerts }}.scope_id, 'unknown')
            when 'agent' then 'Agent ' || coalesce({{ alerts }}.scope_id, 'unknown')
            when 'center' then 'Center'
            else 'Contact ' || coalesce({{ alerts }}.scope_id, 'unknown')
        end as scope_label,
        case {{ alerts }}.metric
            {%- for metric, label in metric_labels.items() %}
                when '{{ metric }}' then '{{ label }}'
            {%- endfor %}
            else replace({{ alerts }}.metric, '_', ' ')
        end as metric_label,
        -- rates with 2 decimals, seconds and counts whole, anything else 1 decimal
        case
            {%- for metric in rate_metrics %}
                when {{ alerts }}.metric = '{{ metric }}' then 2
            {%- endfor %}
            {%- for metric in count_metrics %}
                when {{ alerts }}.metric = '{{ metric }}' then 0
            {%- endfor %}
            when {{ alerts }}.metric like '%_seconds' then 0
            else 1
        end as decimals,
        case when {{ alerts }}.metric like '%_seconds' then ' s' else '' end as unit,
        case {{ alerts }}.comparator
            when '<' then 'below'
            when '>' then 'above'
            when '<=' then 'at or below'
            when '>=' then 'at or above'
        end as comparator_words
    from {{ alerts }}
    left join {{ queues }}
        on {{ alerts }}.queue_id = {{ queues }}.queue_id
),

shown_precision as (
    -- when rounding would make a firing value look equal to its threshold ("0.10 above
    -- 0.10"), show two more decimals
    select
        *,
        case
            {%- for places in range(0, 3) %}
            when
                decimals = {{ places }} and observed <> threshold
                and {{ hotline.round_half_up('observed', places) }} = {{ hotline.round_half_up('threshold', places) }}
                then decimals + 2
            {%- endfor %}
            else decimals
        end as shown_decimals
    from labelled
),

messages as (
    select
        *,
        scope_label || ' ' || metric_label || ' '
        || case shown_decimals
            {%- for places in range(0, 4) %}
                when {{ places }} then {{ hotline.format_decimal('observed', places) }}
            {%- endfor %}
            else {{ hotline.format_decimal('observed', 4) }}
        end || unit || ' ' || comparator_words || ' '
        || case
            when rule_id = 'queue_interval_volume_anomaly'
                then
                    'the expected range (mean ' || {{ hotline.format_decimal('history_mean', 1) }}
                    || ' ± {{ hotline.checked_var("volume_alert_stddevs") }} standard deviations of the previous '
                    || '{{ hotline.checked_var("volume_alert_weeks") }} weeks, bound '
                    || {{ hotline.format_decimal('threshold', 1) }} || ')'
            when metric = 'required_scheduled_agents'
                then
                    {{ hotline.format_decimal('threshold', 1) }} || ' (mean logged-in agents of the same weekday and '
                    || 'interval over the previous {{ hotline.checked_var("staffing_alert_weeks") }} weeks '
                    || {{ hotline.format_decimal('history_mean', 1) }} || {{ hotline.sql_string(" plus the rule's margin)") }}
            {%- for places in range(0, 4) %}
                when shown_decimals = {{ places }} then {{ hotline.format_decimal('threshold', places) }}
            {%- endfor %}
            else {{ hotline.format_decimal('threshold', 4) }}
        end
        || case when rule_id = 'queue_interval_volume_anomaly' then '' else unit end
        || case
            when interval_start is not null
                then ' in the ' || {{ hotline.format_hhmm('interval_start') }} || ' interval'
            else ''
        end
        || ' on ' || cast(report_date as {{ dbt.type_string() }}) as message
    from shown_precision
),
{%- endmacro %}
