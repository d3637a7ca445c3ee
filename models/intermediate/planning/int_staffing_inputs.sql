-- What each staffed interval must carry (spec "Staffing"), one row per queue and interval:
--   * history (is_forecast = false): every interval with offered legs, with its actual offered
--     legs and the AHT of its answered legs, or the queue's AHT over the training window when
--     none was answered;
--   * forecast (is_forecast = true): every interval fct_forecast_queue_interval publishes.
-- traffic A = offered x AHT / T with T = var interval_minutes x 60. The queue's threshold and
-- target come from its latest snapshot with the defaults (macros/metrics/contact_metrics.sql,
-- as dim_queues); Erlang A's mean patience is the queue's total wait of offered legs /
-- abandoned legs over the training window.
with

int_queue_interval_volumes as (
    select * from {{ ref('int_queue_interval_volumes') }}
),

int_forecast_queue_interval as (
    select * from {{ ref('int_forecast_queue_interval') }}
    where not is_backtest
),

int_forecast_origins as (
    select * from {{ ref('int_forecast_origins') }}
),

stg_telephony__queues as (
    select * from {{ ref('stg_telephony__queues') }}
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
        int_queue_interval_volumes.queue_id,
        int_queue_interval_volumes.interval_start_utc,
        int_queue_interval_volumes.interval_start,
        int_queue_interval_volumes.report_date,
        false as is_forecast,
        cast(int_queue_interval_volumes.offered as double) as offered,
        coalesce(
            {{ hotline.safe_divide(
                'int_queue_interval_volumes.handle_seconds_sum', 'int_queue_interval_volumes.answered'
            ) }},
            training.training_aht_seconds
        ) as aht_seconds
    from int_queue_interval_volumes
    left join training
        on int_queue_interval_volumes.queue_id = training.queue_id
    where int_queue_interval_volumes.offered > 0
),

forecast as (
    select
        queue_id,
        interval_start_utc,
        interval_start,
        report_date,
        true as is_forecast,
        -- at the published precision (fct_forecast_queue_interval)
        round(forecast_offered, 6) as offered,
        round(forecast_aht_seconds, 6) as aht_seconds
    from int_forecast_queue_interval
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
        round(intervals.offered * intervals.aht_seconds / {{ hotline.interval_minutes() * 60 }}, 9)
            as traffic_erlangs,
        {{ hotline.queue_service_level_seconds('stg_telephony__queues.service_level_seconds') }}
            as service_level_seconds,
        {{ hotline.queue_service_level_target('stg_telephony__queues.service_level_target') }}
            as service_level_target,
        round(training.training_patience_seconds, 6) as patience_seconds
    from intervals
    left join stg_telephony__queues
        on intervals.queue_id = stg_telephony__queues.queue_id
    left join training
        on intervals.queue_id = training.queue_id
)

select * from final
