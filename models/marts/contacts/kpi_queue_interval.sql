{{ config(**hotline.report_date_incremental()) }}
-- depends_on: {{ ref('chg_report_dates') }}
-- Incremental: the dates chg_report_dates lists are deleted and rebuilt whole.
-- Queue x interval leg KPIs (spec "Contact legs"). Grain: queue_id x interval_start_utc;
-- interval_start is the local wall-clock label (on a fall-back day two intervals share a
-- label but not an instant). A leg belongs to the interval of its enqueued_at, so only
-- offered legs (enqueued, with a queue) make rows. Formulas: macros/contact_metrics.sql.
with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
    {{ hotline.where_changed_report_date('report_date') }}
),

interval_counts as (
    select
        queue_id,
        interval_start_utc,
        interval_start,
        report_date,
        {{ contact_leg_counts() }},
        {{ offered_out_of_hours_count() }} as offered_out_of_hours
    from int_contact_legs
    where is_offered and queue_id is not null
    group by queue_id, interval_start_utc, interval_start, report_date
),

final as (
    select
        queue_id,
        interval_start_utc,
        interval_start,
        report_date,
        {{ hotline.interval_end_utc('interval_start_utc') }} as interval_end_utc,
        offered,
        answered,
        abandoned,
        short_abandoned,
        answered_within_sl,
        abandoned_within_sl,
        transferred_out,
        offered_wait_seconds_sum,
        answered_wait_seconds_sum,
        handle_seconds_sum,
        max_wait_seconds,
        offered_out_of_hours,
        {{ contact_leg_rates() }}
    from interval_counts
)

select * from final
