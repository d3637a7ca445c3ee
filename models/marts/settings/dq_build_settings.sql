-- What every published figure was computed with: the data watermark as_of (UTC and in the
-- reporting zone) and the KPI settings (dbt vars) of this build. One row. Published so a
-- report or a BI tool can label times with their zone and say which formula a rate used
-- without access to the dbt project. Every var is rendered validated (macros/vars.sql).
with

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

final as (
    select
        as_of,
        {{ hotline.to_local('as_of') }} as as_of_local,
        {{ hotline.local_date('as_of') }} as as_of_date,
        data_starts_at,
        cast({{ hotline.timezone_literal('reporting_timezone') }} as {{ dbt.type_string() }}) as reporting_timezone,
        cast(
            round({{ hotline.seconds_between('as_of', hotline.to_local('as_of')) }} / 60.0) as integer
        ) as reporting_utc_offset_minutes,
        cast({{ hotline.timezone_literal('source_timezone') }} as {{ dbt.type_string() }}) as source_timezone,
        cast({{ hotline.checked_var('interval_minutes') }} as integer) as interval_minutes,
        cast('{{ hotline.checked_var("service_level_formula") }}' as {{ dbt.type_string() }})
            as service_level_formula,
        cast({{ hotline.checked_var('default_service_level_seconds') | float }} as double)
            as default_service_level_seconds,
        cast({{ hotline.checked_var('default_service_level_target') | float }} as double)
            as default_service_level_target,
        cast({{ hotline.checked_var('short_abandon_seconds') | float }} as double) as short_abandon_seconds,
        cast({{ hotline.checked_var('repeat_window_days') }} as integer) as repeat_window_days,
        cast({{ hotline.checked_var('long_contact_seconds') | float }} as double) as long_contact_seconds
    from int_data_watermark
)

select * from final
