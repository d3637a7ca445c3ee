-- MetricFlow's day time spine (models/semantic/): every local date of the data
-- (int_calendar_days) and of the forecast horizon after it (var forecast_horizon_days), so
-- metric_time reaches every report_date a mart publishes, forecast days included.
with

int_calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

bounds as (
    select
        min(report_date) as first_date,
        {{ dbt.dateadd('day', hotline.checked_var('forecast_horizon_days'), 'max(report_date)') }} as last_date
    from int_calendar_days
),

spine as (
    select date_day
    from {{ hotline.date_spine('bounds', 'first_date', 'last_date') }} as spine_days
),

final as (
    select cast(date_day as date) as date_day
    from spine
)

select * from final
