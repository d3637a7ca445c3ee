-- The statistical volume alert (spec "kpi_alerts"): a queue interval whose offered volume is
-- more than hotline.checked_var('volume_alert_stddevs') sample standard deviations from the mean of the same
-- weekday and interval over the previous hotline.checked_var('volume_alert_weeks') weeks. One row per
-- anomalous interval, with the bound it crossed; kpi_alerts words it.
{%- set weeks = hotline.checked_var('volume_alert_weeks') | int %}
{%- set stddevs = hotline.checked_var('volume_alert_stddevs') | float %}

with

int_queue_interval_volumes as (
    select * from {{ ref('int_queue_interval_volumes') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

queue_first_dates as (
    -- history only counts from a queue's first day with offered legs
    select
        queue_id,
        min(report_date) as first_date
    from int_queue_interval_volumes
    where offered > 0
    group by queue_id
),

interval_volumes as (
    select
        queue_id,
        interval_start,
        report_date,
        offered
    from int_queue_interval_volumes
),

candidate_slots as (
    -- every slot that has volume itself or had volume at the same weekday and interval in
    -- the look-back weeks (so a drop to zero is seen too); local wall-clock shifts of 7 days
    -- keep "same weekday and interval" right across daylight-saving changes
    {%- for week in range(0, weeks + 1) %}
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
        {{ dbt.dateadd('minute', hotline.interval_minutes(), 'candidate_slots.interval_start') }}
        <= {{ hotline.to_local('int_data_watermark.as_of') }}
),

slot_history as (
    -- one row per slot and look-back week; a week without a row had no offered legs (0)
    {%- for week in range(1, weeks + 1) %}
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
        + {{ stddevs }} * slot_stats.history_stddev as upper_bound,
        slot_stats.history_mean
        - {{ stddevs }} * slot_stats.history_stddev as lower_bound
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
    where slot_stats.history_weeks = {{ weeks }}
),

final as (
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
)

select * from final
