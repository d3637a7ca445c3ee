-- Alerts (spec "kpi_alerts"): one row per alert.
--   * rule alerts from seed alert_rules: `observed comparator threshold` on a queue interval,
--     a queue day, an agent day or a contact leg, when the scope had at least min_volume
--     offered (queue) or handled (agent) legs;
--   * the statistical volume alert: a queue interval whose offered volume is more than
--     hotline.checked_var('volume_alert_stddevs') sample standard deviations from the mean of the same
--     weekday and interval over the previous hotline.checked_var('volume_alert_weeks') weeks.
-- The metric a rule names is data, so each source is unpivoted to (metric, observed) for the
-- metrics listed below; seed alert_rules' accepted_values test keeps rules within them.
{%- set queue_interval_metrics = ['offered', 'answered', 'abandoned', 'service_level', 'answer_rate',
                                  'abandon_rate', 'asa_seconds', 'avg_wait_seconds', 'max_wait_seconds',
                                  'aht_seconds', 'transfer_rate'] %}
{%- set queue_daily_metrics = queue_interval_metrics + ['fcr_rate', 'repeat_contact_rate', 'csat_rate', 'nps'] %}
{%- set agent_daily_metrics = ['handled', 'aht_seconds', 'logged_in_seconds', 'occupancy', 'utilization',
                               'shrinkage', 'contacts_per_hour', 'fcr_rate', 'csat_rate', 'nps'] %}
{%- set contact_metrics = ['handle_seconds', 'wait_seconds'] %}
with

alert_rules as (
    select * from {{ ref('alert_rules') }}
),

kpi_queue_interval as (
    select * from {{ ref('kpi_queue_interval') }}
),

kpi_queue_daily as (
    select * from {{ ref('kpi_queue_daily') }}
),

kpi_agent_daily as (
    select * from {{ ref('kpi_agent_daily') }}
),

fct_contacts as (
    select * from {{ ref('fct_contacts') }}
),

dim_queues as (
    select * from {{ ref('dim_queues') }}
),

int_queue_volume_anomalies as (
    select * from {{ ref('int_queue_volume_anomalies') }}
),

int_alert_understaffed_forecast as (
    -- forecast intervals needing more agents than usually scheduled (models/intermediate/planning)
    select * from {{ ref('int_alert_understaffed_forecast') }}
),

observations as (
    -- (scope, date, interval, metric, observed, volume) for every metric a rule may name
    {%- for metric in queue_interval_metrics %}
        select
            'queue' as scope_type,
            'interval' as grain,
            queue_id as scope_id,
            queue_id,
            report_date,
            interval_start,
            '{{ metric }}' as metric,
            cast({{ metric }} as double) as observed,
            offered as volume
        from kpi_queue_interval
        union all
    {%- endfor %}
    {%- for metric in queue_daily_metrics %}
        select
            'queue' as scope_type,
            'daily' as grain,
            queue_id as scope_id,
            queue_id,
            report_date,
            cast(null as timestamp) as interval_start,
            '{{ metric }}' as metric,
            cast({{ metric }} as double) as observed,
            offered as volume
        from kpi_queue_daily
        union all
    {%- endfor %}
    {%- for metric in agent_daily_metrics %}
        select
            'agent' as scope_type,
            'daily' as grain,
            agent_id as scope_id,
            cast(null as {{ dbt.type_string() }}) as queue_id,
            report_date,
            cast(null as timestamp) as interval_start,
            '{{ metric }}' as metric,
            cast({{ metric }} as double) as observed,
            handled as volume
        from kpi_agent_daily
        union all
    {%- endfor %}
    {%- for metric in contact_metrics %}
        select
            'contact' as scope_type,
            'contact' as grain,
            contact_id as scope_id,
            queue_id,
            report_date,
            cast(null as timestamp) as interval_start,
            '{{ metric }}' as metric,
            cast({{ metric }} as double) as observed,
            cast(null as bigint) as volume
        from fct_contacts
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

rules as (
    -- a handle-time rule without its own threshold follows hotline.checked_var('long_contact_seconds')
    select
        rule_id,
        scope_type,
        grain,
        metric,
        comparator,
        severity,
        coalesce(min_volume, 0) as min_volume,
        coalesce(
            threshold,
            case when metric = 'handle_seconds' then {{ hotline.checked_var('long_contact_seconds') }} end
        ) as threshold
    from alert_rules
),

rule_alerts as (
    select
        rules.rule_id,
        rules.severity,
        observations.scope_type,
        observations.grain,
        observations.scope_id,
        observations.queue_id,
        observations.report_date,
        observations.interval_start,
        observations.metric,
        observations.observed,
        rules.comparator,
        cast(rules.threshold as double) as threshold
    from rules
    inner join observations
        on
            rules.scope_type = observations.scope_type
            and rules.grain = observations.grain
            and rules.metric = observations.metric
    where
        coalesce(observations.volume, 0) >= rules.min_volume
        and {{ compare_to_threshold('observations.observed', 'rules.comparator', 'rules.threshold') }}
),

all_alerts as (
    select
        *,
        cast(null as double) as history_mean
    from rule_alerts
    union all
    select
        rule_id,
        severity,
        scope_type,
        grain,
        scope_id,
        queue_id,
        report_date,
        interval_start,
        metric,
        observed,
        comparator,
        threshold,
        history_mean
    from int_queue_volume_anomalies
    union all
    select
        rule_id,
        severity,
        scope_type,
        grain,
        scope_id,
        queue_id,
        report_date,
        interval_start,
        metric,
        observed,
        comparator,
        threshold,
        history_mean
    from int_alert_understaffed_forecast
),

{{ hotline.alert_messages('all_alerts', 'dim_queues') }}

final as (
    {%- set alert_key = "rule_id || '|' || scope_type || '|' || coalesce(scope_id, '') || '|' || "
        ~ "cast(report_date as " ~ dbt.type_string() ~ ") || '|' || "
        ~ "coalesce(cast(interval_start as " ~ dbt.type_string() ~ "), '')" %}
    select
        {{ dbt.hash(alert_key) }} as alert_id,
        report_date,
        rule_id,
        severity,
        scope_type,
        scope_id,
        grain,
        interval_start,
        metric,
        observed,
        threshold,
        comparator,
        message
    from messages
)

select * from final
