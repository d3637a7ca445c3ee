-- What each staffed interval must carry (spec "Staffing"), one row per queue and interval:
--   * history (is_forecast = false): every interval with offered legs, with its actual offered
--     legs and the AHT of its answered legs, or the queue's AHT over the training window when
--     none was answered;
--   * forecast (is_forecast = true): every interval of fct_forecast_queue_interval.
-- traffic A = offered x AHT / T with T = var interval_minutes x 60. The queue's threshold and
-- target come from dim_queues (defaults applied there); Erlang A's mean patience is the
-- queue's total wait of offered legs / abandoned legs over the training window.
with

kpi_queue_interval as (
    select * from {{ ref('kpi_queue_interval') }}
),

fct_forecast_queue_interval as (
    select * from {{ ref('fct_forecast_queue_interval') }}
),

int_forecast_origins as (
    select * from {{ ref('int_forecast_origins') }}
),

dim_queues as (
    select * from {{ ref('dim_queues') }}
),

training as (
    select
        queue_id,
        training_aht_seconds,
        training_patience_seconds
    from int_forecast_origins
    where not is_backtest
),

history as (
    select
        kpi_queue_interval.queue_id,
        kpi_queue_interval.interval_start_utc,
        kpi_queue_interval.interval_start,
        kpi_queue_interval.report_date,
        false as is_forecast,
        cast(kpi_queue_interval.offered as double) as offered,
        coalesce(kpi_queue_interval.aht_seconds, training.training_aht_seconds) as aht_seconds
    from kpi_queue_interval
    left join training
        on kpi_queue_interval.queue_id = training.queue_id
    where kpi_queue_interval.offered > 0
),

forecast as (
    select
        queue_id,
        interval_start_utc,
        interval_start,
        report_date,
        true as is_forecast,
        forecast_offered as offered,
        forecast_aht_seconds as aht_seconds
    from fct_forecast_queue_interval
),

intervals as (
    select * from history
    union all
    select * from forecast
),

final as (
    select
        intervals.queue_id,
        intervals.interval_start_utc,
        intervals.interval_start,
        intervals.report_date,
        intervals.is_forecast,
        intervals.offered,
        -- rounded so the Erlang search cannot flip on the last bit of a re-ordered sum
        round(intervals.aht_seconds, 6) as aht_seconds,
        round(intervals.offered * intervals.aht_seconds / {{ var('interval_minutes') * 60 }}, 9) as traffic_erlangs,
        dim_queues.service_level_seconds,
        dim_queues.service_level_target,
        round(training.training_patience_seconds, 6) as patience_seconds
    from intervals
    left join dim_queues
        on intervals.queue_id = dim_queues.queue_id
    left join training
        on intervals.queue_id = training.queue_id
)

select * from final
