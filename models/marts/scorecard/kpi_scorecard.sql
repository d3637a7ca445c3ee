-- The day's overall figures against the seed kpi_targets (spec "kpi_scorecard").
-- "Overall" pools every queue, channel and survey of the date: each KPI is one pooled
-- numerator over one pooled denominator, never an average of per-queue rates. The leg,
-- interaction and survey formulas come from the shared macros so the scorecard agrees with
-- kpi_queue_daily / kpi_channel_daily by construction. Dense: every KPI for every date from
-- the first date with any activity through the as_of date.
with

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

int_interactions as (
    select * from {{ ref('int_interactions') }}
),

int_survey_responses as (
    select * from {{ ref('int_survey_responses') }}
),

fct_tickets as (
    select * from {{ ref('fct_tickets') }}
),

kpi_targets as (
    select * from {{ ref('kpi_targets') }}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

legs_daily as (
    select
        report_date,
        {{ contact_leg_counts() }}
    from int_contact_legs
    where is_offered
    group by report_date
),

interactions_daily as (
    select
        report_date,
        {{ interaction_kpi_counts() }}
    from int_interactions
    group by report_date
),

surveys_daily as (
    select
        report_date,
        {{ survey_kpi_counts() }}
    from int_survey_responses
    group by report_date
),

tickets_daily as (
    select
        report_date,
        count(case when sla_first_response_status = 'met' then 1 end) as sla_first_response_met,
        count(case when sla_first_response_status in ('met', 'breached') then 1 end) as sla_first_response_judged
    from fct_tickets
    group by report_date
),

kpi_fractions as (
    -- one pooled numerator and denominator per date and KPI
    select
        report_date,
        'avg_wait_seconds' as kpi_name,
        offered_wait_seconds_sum as numerator,
        offered as denominator
    from legs_daily
    union all
    select
        report_date,
        'service_level' as kpi_name,
        {{ service_level_numerator() }} as numerator,
        {{ service_level_denominator() }} as denominator
    from legs_daily
    union all
    select
        report_date,
        'abandon_rate' as kpi_name,
        abandoned - short_abandoned as numerator,
        offered - short_abandoned as denominator
    from legs_daily
    union all
    select
        report_date,
        'fcr_rate' as kpi_name,
        fcr_resolved as numerator,
        fcr_eligible as denominator
    from interactions_daily
    union all
    select
        report_date,
        'repeat_contact_rate' as kpi_name,
        repeat_contacts as numerator,
        repeat_eligible as denominator
    from interactions_daily
    union all
    select
        report_date,
        'csat_rate' as kpi_name,
        csat_satisfied as numerator,
        csat_responses as denominator
    from surveys_daily
    union all
    select
        report_date,
        'first_response_sla_rate' as kpi_name,
        sla_first_response_met as numerator,
        sla_first_response_judged as denominator
    from tickets_daily
),

bounds as (
    select
        min(kpi_fractions.report_date) as first_date,
        max({{ local_date('int_data_watermark.as_of') }}) as last_date
    from kpi_fractions
    cross join int_data_watermark
),

date_spine as (
    select date_day as report_date
    from {{ date_spine('bounds', 'first_date', 'last_date') }} as spine
),

kpi_names as (
    select kpi_list.kpi_name
    from (
        values
        ('avg_wait_seconds'),
        ('service_level'),
        ('abandon_rate'),
        ('fcr_rate'),
        ('repeat_contact_rate'),
        ('csat_rate'),
        ('first_response_sla_rate')
    ) as kpi_list (kpi_name)
),

grid as (
    select
        date_spine.report_date,
        kpi_names.kpi_name
    from date_spine
    cross join kpi_names
),

joined as (
    select
        grid.report_date,
        grid.kpi_name,
        kpi_targets.target,
        kpi_targets.comparator,
        cast(kpi_fractions.numerator as double) as numerator,
        cast(kpi_fractions.denominator as double) as denominator,
        {{ safe_divide('kpi_fractions.numerator', 'kpi_fractions.denominator') }} as actual
    from grid
    left join kpi_fractions
        on
            grid.report_date = kpi_fractions.report_date
            and grid.kpi_name = kpi_fractions.kpi_name
    left join kpi_targets
        on grid.kpi_name = kpi_targets.kpi_name
),

final as (
    select
        report_date,
        kpi_name,
        actual,
        numerator,
        denominator,
        -- the spec names this column `target` (a keyword in some dialects)
        cast(target as double) as target,  -- noqa: RF04
        comparator,
        {{ compare_to_threshold('actual', 'comparator', 'target') }} as is_met
    from joined
)

select * from final
