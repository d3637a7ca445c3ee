-- Required agents per queue and interval (spec "kpi_staffing_interval", 人员配置): history
-- intervals with offered legs (actual volume and AHT) and forecast intervals, staffed with
-- var staffing_model (Erlang C by default) to each queue's service-level threshold and target,
-- var staffing_max_occupancy and var staffing_shrinkage. The search: int_staffing_candidates
-- and int_staffing_required.
with

int_staffing_required as (
    select * from {{ ref('int_staffing_required') }}
),

final as (
    select
        queue_id,
        interval_start_utc,
        interval_start,
        report_date,
        is_forecast,
        round(offered, 6) as offered,
        aht_seconds,
        round(traffic_erlangs, 6) as traffic_erlangs,
        service_level_seconds,
        service_level_target,
        cast(required_agents as integer) as required_agents,
        {{ hotline.planning_scheduled_agents('required_agents') }} as required_scheduled_agents,
        round(predicted_service_level, 6) as predicted_service_level,
        round(predicted_wait_probability, 6) as predicted_wait_probability,
        round(predicted_asa_seconds, 6) as predicted_asa_seconds,
        round(predicted_occupancy, 6) as predicted_occupancy,
        round(predicted_abandon_probability, 6) as predicted_abandon_probability,
        patience_seconds,
        cast('{{ hotline.checked_var('staffing_model') }}' as {{ dbt.type_string() }}) as staffing_model,
        is_erlang_a,
        meets_targets
    from int_staffing_required
)

select * from final
