-- Alerts (spec "kpi_alerts"): one row per alert.
--   * rule alerts from seed alert_rules: `observed comparator threshold` on a queue interval,
--     a queue day, an agent day or a contact leg, when the scope had at least min_volume
--     offered (queue) or handled (agent) legs;
--   * the statistical volume alert: a queue interval whose offered volume is more than
--     var('volume_alert_stddevs') sample standard deviations from the mean of the same
--     weekday and interval over the previous var('volume_alert_weeks') weeks.
-- The metric a rule names is data, so each source is unpivoted to (metric, observed) for the
-- metrics listed below; seed alert_rules' accepted_values test keeps rules within them.
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
    'handle_seconds': 'handle time', 'wait_seconds': 'wait'} %}
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

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
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
            cast(null as varchar) as queue_id,
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
    -- a handle-time rule without its own threshold follows var('long_contact_seconds')
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
            case when metric = 'handle_seconds' then {{ checked_var('long_contact_seconds') }} end
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

queue_first_dates as (
    -- history only counts from a queue's first day with offered legs
    select
        queue_id,
        min(report_date) as first_date
    from kpi_queue_interval
    where offered > 0
    group by queue_id
),

interval_volumes as (
    select
        queue_id,
        interval_start,
        report_date,
        offered
    from kpi_queue_interval
),

candidate_slots as (
    -- every slot that has volume itself or had volume at the same weekday and interval in
    -- the look-back weeks (so a drop to zero is seen too); local wall-clock shifts of 7 days
    -- keep "same weekday and interval" right across daylight-saving changes
    {%- for week in range(0, checked_var('volume_alert_weeks') + 1) %}
        select distinct
            queue_id,
            {{ dbt.dateadd('day', 7 * week, 'interval_start') }} as interval_start
        from interval_volumes
        {%- if not loop.last %}
            union
        {%- endif %}
    {%- endfor %}
),

complete_slots as (
    -- judge only intervals that have ended by the data watermark
    select
        candidate_slots.queue_id,
        candidate_slots.interval_start,
        cast(candidate_slots.interval_start as date) as report_date
    from candidate_slots
    cross join int_data_watermark
    where
        {{ dbt.dateadd('minute', checked_var('interval_minutes'), 'candidate_slots.interval_start') }}
        <= {{ to_local('int_data_watermark.as_of') }}
),

slot_history as (
    -- one row per slot and look-back week; a week without a row had no offered legs (0)
    {%- for week in range(1, checked_var('volume_alert_weeks') + 1) %}
        select
            complete_slots.queue_id,
            complete_slots.interval_start,
            {{ week }} as weeks_back,
            cast({{ dbt.dateadd('day', -7 * week, 'complete_slots.interval_start') }} as date) as history_date,
            coalesce(interval_volumes.offered, 0) as offered
        from complete_slots
        left join interval_volumes
            on
                complete_slots.queue_id = interval_volumes.queue_id
                and {{ dbt.dateadd('day', -7 * week, 'complete_slots.interval_start') }}
                = interval_volumes.interval_start
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

slot_stats as (
    -- every look-back week must lie within the queue's history, else no baseline
    select
        slot_history.queue_id,
        slot_history.interval_start,
        count(*) as history_weeks,
        avg(cast(slot_history.offered as double)) as history_mean,
        stddev_samp(cast(slot_history.offered as double)) as history_stddev
    from slot_history
    inner join queue_first_dates
        on slot_history.queue_id = queue_first_dates.queue_id
    where slot_history.history_date >= queue_first_dates.first_date
    group by slot_history.queue_id, slot_history.interval_start
),

volume_checks as (
    select
        complete_slots.queue_id,
        complete_slots.interval_start,
        complete_slots.report_date,
        cast(coalesce(interval_volumes.offered, 0) as double) as observed,
        slot_stats.history_mean,
        slot_stats.history_stddev,
        slot_stats.history_mean
        + {{ checked_var('volume_alert_stddevs') }} * slot_stats.history_stddev as upper_bound,
        slot_stats.history_mean
        - {{ checked_var('volume_alert_stddevs') }} * slot_stats.history_stddev as lower_bound
    from complete_slots
    inner join slot_stats
        on
            complete_slots.queue_id = slot_stats.queue_id
            and complete_slots.interval_start = slot_stats.interval_start
    left join interval_volumes
        on
            complete_slots.queue_id = interval_volumes.queue_id
            and complete_slots.interval_start = interval_volumes.interval_start
    -- a constant history (zero spread) is kept: then any change is more than k deviations
    -- away, exactly as the rule reads
    where slot_stats.history_weeks = {{ checked_var('volume_alert_weeks') }}
),

volume_alerts as (
    select
        'queue_interval_volume_anomaly' as rule_id,
        'warning' as severity,
        'queue' as scope_type,
        'interval' as grain,
        queue_id as scope_id,
        queue_id,
        report_date,
        interval_start,
        'offered' as metric,
        observed,
        history_mean,
        case when observed > upper_bound then '>' else '<' end as comparator,
        -- rounded: a sum of squares aggregated in parallel can differ in the last bit
        -- between runs, and an alert's threshold should not
        round(case when observed > upper_bound then upper_bound else lower_bound end, 6) as threshold
    from volume_checks
    where observed > upper_bound or observed < lower_bound
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
    from volume_alerts
),

labelled as (
    select
        all_alerts.*,
        case all_alerts.scope_type
            when 'queue' then 'Queue ' || coalesce(dim_queues.queue_name, all_alerts.scope_id, 'unknown')
            when 'agent' then 'Agent ' || coalesce(all_alerts.scope_id, 'unknown')
            else 'Contact ' || coalesce(all_alerts.scope_id, 'unknown')
        end as scope_label,
        case all_alerts.metric
            {%- for metric, label in metric_labels.items() %}
                when '{{ metric }}' then '{{ label }}'
            {%- endfor %}
            else replace(all_alerts.metric, '_', ' ')
        end as metric_label,
        -- rates with 2 decimals, seconds and counts whole, anything else 1 decimal
        case
            {%- for metric in rate_metrics %}
                when all_alerts.metric = '{{ metric }}' then 2
            {%- endfor %}
            {%- for metric in count_metrics %}
                when all_alerts.metric = '{{ metric }}' then 0
            {%- endfor %}
            when all_alerts.metric like '%_seconds' then 0
            else 1
        end as decimals,
        case when all_alerts.metric like '%_seconds' then ' s' else '' end as unit,
        case all_alerts.comparator
            when '<' then 'below'
            when '>' then 'above'
            when '<=' then 'at or below'
            when '>=' then 'at or above'
        end as comparator_words
    from all_alerts
    left join dim_queues
        on all_alerts.queue_id = dim_queues.queue_id
),

shown_precision as (
    -- when rounding would make a firing value look equal to its threshold ("0.10 above
    -- 0.10"), show two more decimals
    select
        *,
        case
            when observed <> threshold and round(observed, decimals) = round(threshold, decimals)
                then decimals + 2
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
                when {{ places }} then {{ format_decimal('observed', places) }}
            {%- endfor %}
            else {{ format_decimal('observed', 4) }}
        end || unit || ' ' || comparator_words || ' '
        || case
            when rule_id = 'queue_interval_volume_anomaly'
                then
                    'the expected range (mean ' || {{ format_decimal('history_mean', 1) }}
                    || ' ± {{ checked_var("volume_alert_stddevs") }} standard deviations of the previous '
                    || '{{ checked_var("volume_alert_weeks") }} weeks, bound '
                    || {{ format_decimal('threshold', 1) }} || ')'
            {%- for places in range(0, 4) %}
                when shown_decimals = {{ places }} then {{ format_decimal('threshold', places) }}
            {%- endfor %}
            else {{ format_decimal('threshold', 4) }}
        end
        || case when rule_id = 'queue_interval_volume_anomaly' then '' else unit end
        || case
            when interval_start is not null
                then ' in the ' || {{ format_hhmm('interval_start') }} || ' interval'
            else ''
        end
        || ' on ' || cast(report_date as varchar) as message
    from shown_precision
),

final as (
    {%- set alert_key = "rule_id || '|' || scope_type || '|' || coalesce(scope_id, '') || '|' || "
        ~ "cast(report_date as varchar) || '|' || coalesce(cast(interval_start as varchar), '')" %}
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
