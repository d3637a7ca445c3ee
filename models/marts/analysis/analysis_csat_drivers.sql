-- What drives satisfaction (spec "Drivers of satisfaction and resolution"), grain: term. The
-- logistic regression of satisfied (CSAT score >= 4) on wait minutes, handle minutes,
-- transferred, is_repeat and channel over the responses of the training window, fitted by
-- int_csat_driver_fit (statsmodels). Too few responses (under 50) or a model that cannot be
-- fitted give one row per term with null estimates and the reason.
with

int_csat_driver_fit as (
    select * from {{ ref('int_csat_driver_fit') }}
),

final as (
    select
        cast(term as {{ dbt.type_string() }}) as term,
        cast(coefficient as double) as coefficient,
        cast(odds_ratio as double) as odds_ratio,
        cast(ci_low as double) as ci_low,
        cast(ci_high as double) as ci_high,
        cast(p_value as double) as p_value,
        cast(n_responses as bigint) as n_responses,
        cast(std_error as double) as std_error,
        cast(n_satisfied as bigint) as n_satisfied,
        cast(reference_channel as {{ dbt.type_string() }}) as reference_channel,
        cast(reason as {{ dbt.type_string() }}) as reason,
        cast(term_order as integer) as term_order
    from int_csat_driver_fit
)

select * from final
