-- Did the change work? One row per intervention x KPI (spec "Interventions and their effect").
-- Pre/post values are pooled over each window from numerators and denominators (never an
-- average of daily rates); the difference-in-differences point estimate is computed from
-- those pooled values here, exactly. Standard errors, p-values and the interrupted-time-series
-- level and slope changes come from the regressions of int_intervention_regressions on the
-- daily series. Every intervention has a row for every KPI; a KPI with no data in a window
-- gives nulls (and days 0), never an error.
with

int_interventions as (
    select * from {{ ref('int_interventions') }}
),

int_intervention_daily as (
    select * from {{ ref('int_intervention_daily') }}
),

int_intervention_regressions as (
    select * from {{ ref('int_intervention_regressions') }}
),

kpi_names as (
    {%- for kpi in hotline.intervention_kpis() %}
        select
            '{{ kpi.name }}' as kpi_name,
            {{ loop.index }} as kpi_order
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

intervention_kpis as (
    select
        int_interventions.*,
        kpi_names.kpi_name,
        kpi_names.kpi_order
    from int_interventions
    cross join kpi_names
),

pooled as (
    select
        intervention_id,
        kpi_name,
        {%- for group_name in ['treated', 'control'] %}
            {%- for period in ['pre', 'post'] %}
                sum(case when group_name = '{{ group_name }}' and period = '{{ period }}' then numerator end)
                    as {{ group_name }}_{{ period }}_numerator,
                sum(case when group_name = '{{ group_name }}' and period = '{{ period }}' then denominator end)
                    as {{ group_name }}_{{ period }}_denominator,
            {%- endfor %}
        {%- endfor %}
        count(distinct case when group_name = 'treated' and period = 'pre' and denominator > 0 then report_date end)
            as days_pre,
        count(distinct case when group_name = 'treated' and period = 'post' and denominator > 0 then report_date end)
            as days_post
    from int_intervention_daily
    group by intervention_id, kpi_name
),

pooled_values as (
    select
        {%- for group_name in ['treated', 'control'] %}
            {%- for period in ['pre', 'post'] %}
                {%- set prefix = group_name ~ '_' ~ period %}
                {{ hotline.safe_divide(prefix ~ '_numerator', prefix ~ '_denominator') }}
                    as {{ prefix }},
            {%- endfor %}
        {%- endfor %}
        pooled.*
    from pooled
),

joined as (
    select
        intervention_kpis.intervention_id,
        intervention_kpis.kpi_name,
        intervention_kpis.kpi_order,
        intervention_kpis.intervention_name,
        intervention_kpis.start_date,
        intervention_kpis.scope_type,
        intervention_kpis.scope_id,
        intervention_kpis.control_queue_list,
        intervention_kpis.has_control_group,
        intervention_kpis.pre_start_date,
        intervention_kpis.post_end_date,
        pooled_values.treated_pre,
        pooled_values.treated_post,
        pooled_values.control_pre,
        pooled_values.control_post,
        {%- for group_name in ['treated', 'control'] %}
            {%- for period in ['pre', 'post'] %}
                pooled_values.{{ group_name }}_{{ period }}_numerator,
                pooled_values.{{ group_name }}_{{ period }}_denominator,
            {%- endfor %}
        {%- endfor %}
        coalesce(pooled_values.days_pre, 0) as days_pre,
        coalesce(pooled_values.days_post, 0) as days_post,
        int_intervention_regressions.did_std_error,
        int_intervention_regressions.did_p_value,
        int_intervention_regressions.did_ci_low,
        int_intervention_regressions.did_ci_high,
        int_intervention_regressions.did_reason,
        int_intervention_regressions.its_level_change,
        int_intervention_regressions.its_level_std_error,
        int_intervention_regressions.its_level_p_value,
        int_intervention_regressions.its_slope_change,
        int_intervention_regressions.its_slope_std_error,
        int_intervention_regressions.its_slope_p_value,
        int_intervention_regressions.its_reason
    from intervention_kpis
    left join pooled_values
        on
            intervention_kpis.intervention_id = pooled_values.intervention_id
            and intervention_kpis.kpi_name = pooled_values.kpi_name
    left join int_intervention_regressions
        on
            intervention_kpis.intervention_id = int_intervention_regressions.intervention_id
            and intervention_kpis.kpi_name = int_intervention_regressions.kpi_name
),

final as (
    select
        intervention_id,
        kpi_name,
        intervention_name,
        start_date,
        scope_type,
        scope_id,
        cast(treated_pre as double) as treated_pre,
        cast(treated_post as double) as treated_post,
        -- the spec names this column "change" (a keyword)
        cast(treated_post - treated_pre as double) as change,  -- noqa: RF04
        cast({{ hotline.safe_divide('treated_post - treated_pre', 'treated_pre') }} as double) as relative_change,
        cast(control_pre as double) as control_pre,
        cast(control_post as double) as control_post,
        cast(
            case
                when has_control_group
                    then (treated_post - treated_pre) - (control_post - control_pre)
            end as double
        ) as did_estimate,
        cast(case when has_control_group then did_std_error end as double) as did_std_error,
        cast(case when has_control_group then did_p_value end as double) as did_p_value,
        cast(its_level_change as double) as its_level_change,
        cast(its_slope_change as double) as its_slope_change,
        cast(its_level_std_error as double) as its_level_std_error,
        cast(days_pre as bigint) as days_pre,
        cast(days_post as bigint) as days_post,
        cast(case when has_control_group then did_ci_low end as double) as did_ci_low,
        cast(case when has_control_group then did_ci_high end as double) as did_ci_high,
        cast(its_slope_std_error as double) as its_slope_std_error,
        cast(its_level_p_value as double) as its_level_p_value,
        cast(its_slope_p_value as double) as its_slope_p_value,
        {%- for group_name in ['treated', 'control'] %}
            {%- for period in ['pre', 'post'] %}
                cast({{ group_name }}_{{ period }}_numerator as double) as {{ group_name }}_{{ period }}_numerator,
                cast({{ group_name }}_{{ period }}_denominator as double) as {{ group_name }}_{{ period }}_denominator,
            {%- endfor %}
        {%- endfor %}
        cast(
            case
                when not has_control_group then 'no_control_group'
                else coalesce(did_reason, case when did_std_error is null then 'empty_window' end)
            end as {{ dbt.type_string() }}
        ) as did_reason,
        cast(
            coalesce(its_reason, case when its_level_change is null then 'empty_window' end)
            as {{ dbt.type_string() }}
        ) as its_reason,
        cast(
            case
                when control_queue_list is not null
                    then replace(trim(replace(control_queue_list, ';', ' ')), ' ', ';')
            end as {{ dbt.type_string() }}
        ) as control_queue_ids,
        pre_start_date,
        post_end_date,
        cast(kpi_order as integer) as kpi_order
    from joined
)

select * from final
