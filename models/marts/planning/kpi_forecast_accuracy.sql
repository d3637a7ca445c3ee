-- Rolling-origin backtest of the forecast (spec "kpi_forecast_accuracy"): for each origin day
-- of the last var forecast_backtest_weeks weeks before the as_of date and each horizon of 1-7
-- days, the forecast learnt from data up to the origin only is compared with the actual
-- offered legs per interval, side by side with the seasonal-naive forecast (the same local
-- weekday and wall-clock interval one week before the target). An interval is compared when
-- it had actual legs or either forecast was above zero. WAPE = sum |forecast - actual| /
-- sum actual (null without actual volume).
with

int_forecast_queue_interval as (
    select * from {{ ref('int_forecast_queue_interval') }}
),

int_forecast_interval_history as (
    select * from {{ ref('int_forecast_interval_history') }}
),

backtest as (
    select * from int_forecast_queue_interval
    where is_backtest
),

week_earlier as (
    -- offered per queue and local wall-clock label (the fall-back hour's two intervals add up)
    select
        queue_id,
        interval_start,
        sum(offered) as offered
    from int_forecast_interval_history
    group by queue_id, interval_start
),

compared as (
    select
        backtest.queue_id,
        backtest.horizon_days,
        backtest.forecast_offered,
        cast(coalesce(actual.offered, 0) as double) as actual_offered,
        cast(coalesce(week_earlier.offered, 0) as double) as seasonal_naive_offered
    from backtest
    left join int_forecast_interval_history as actual
        on
            backtest.queue_id = actual.queue_id
            and backtest.interval_start_utc = actual.interval_start_utc
    left join week_earlier
        on
            backtest.queue_id = week_earlier.queue_id
            and {{ dbt.dateadd('day', -7, 'backtest.interval_start') }} = week_earlier.interval_start
),

errors as (
    select
        queue_id,
        horizon_days,
        actual_offered,
        abs(forecast_offered - actual_offered) as abs_error,
        abs(seasonal_naive_offered - actual_offered) as seasonal_naive_abs_error
    from compared
    where actual_offered > 0 or forecast_offered > 0 or seasonal_naive_offered > 0
),

final as (
    select
        queue_id,
        cast(horizon_days as integer) as horizon_days,
        cast(count(*) as bigint) as intervals,
        sum(actual_offered) as actual_offered,
        round(sum(abs_error), 6) as abs_error_sum,
        round({{ hotline.safe_divide('sum(abs_error)', 'sum(actual_offered)') }}, 6) as wape,
        round(sum(seasonal_naive_abs_error), 6) as seasonal_naive_abs_error_sum,
        round({{ hotline.safe_divide('sum(seasonal_naive_abs_error)', 'sum(actual_offered)') }}, 6)
            as seasonal_naive_wape
    from errors
    group by queue_id, horizon_days
)

select * from final
