-- The published forecast (spec "Forecast", 预测服务压力): one row per queue and reporting
-- interval of the var forecast_horizon_days local days after the as_of date, for every queue
-- with offered legs in the training window. Method: int_forecast_profiles.
with

int_forecast_queue_interval as (
    select * from {{ ref('int_forecast_queue_interval') }}
),

final as (
    select
        queue_id,
        interval_start_utc,
        interval_start,
        report_date,
        interval_end_utc,
        cast(horizon_days as integer) as horizon_days,
        -- rounded so a rebuild gives identical rows (sums in another order differ in the last bit)
        round(forecast_offered, 6) as forecast_offered,
        round(forecast_aht_seconds, 6) as forecast_aht_seconds,
        cast('weekday_interval_profile' as {{ dbt.type_string() }}) as forecast_method,
        origin_date as trained_through_date
    from int_forecast_queue_interval
    where not is_backtest
)

select * from final
