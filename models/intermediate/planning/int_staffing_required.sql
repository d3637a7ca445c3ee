{%- set staffing_model = hotline.checked_var('staffing_model') -%}
{%- set max_occupancy = hotline.checked_var('staffing_max_occupancy') -%}
{%- set interval_seconds = hotline.checked_var('interval_minutes') * 60 -%}
{#- agents per queue interval the search can reach (about 9,000 Erlangs) -#}
{%- set max_agents = 10000 -%}
-- Required agents per queue interval (spec "Staffing"): the smallest N among the candidates
-- with predicted service level >= the queue's target and occupancy A / N <= var
-- staffing_max_occupancy; 0 when nothing is offered. A target no candidate meets (a target of
-- 1: the service level only approaches 1) takes the largest candidate and is flagged.
-- An interval with offered contacts but zero handle time needs one agent to answer them.
-- required_scheduled_agents adds var staffing_shrinkage (macros/planning.sql).
--
-- The search: every agent count N with the predicted service level, wait probability and ASA
-- at N (rounded to 6 decimals on output). Candidates run from the smallest integer above the
-- traffic A to A / var staffing_max_occupancy + 6 sqrt(A) + 20, far past where any target
-- below 1 is met (square-root staffing: the target is met within a few
-- sqrt(A) of A).
--
-- Erlang C in log space, stable for hundreds of agents: with Poisson terms
-- p_k = exp(k ln A - ln k! - A) (ln k! a running sum of ln i), multiplying numerator and
-- denominator of the spec's P_w(N) by exp(-A) gives
--   P_w(N) = p_N N/(N-A) / (sum_{k<N} p_k + p_N N/(N-A)),
-- where every term lies in [0, 1] and sum_{k<N} p_k is a running sum: nothing overflows.
{%- if staffing_model == 'erlang_a' %}
--
-- Erlang A (Palm, M/M/N+M; Mandelbaum & Zeltyn, see DECISIONS.md) with exponential patience of
-- mean p = the queue's measured patience, theta = 1/p, x = N p/h, y = lambda p, u = exp(-t/p):
--   a_j = y^j / prod_{i=1..j} (x+i),   A(x,y) = sum_j a_j,   B = A - 1,   E_B = p_N / sum_{k<=N} p_k
--   P(wait > 0)            = A E_B / (1 + B E_B)
--   P(answered within t)   = 1 - P_w + P_w (x/y) (B(y) - F B(yu)) / A(y),  F = exp(-N t/h + y(1-u))
--   P(abandon)             = P_w (1 - (x/y) B(y) / A(y))
--   ASA (virtual wait)     = P_w p sum_j a_j H_j / A(y),  H_j = sum_{k=0..j} 1/(x+k)
-- Candidates have N > A, so x > y and the a_j fall from the first term on: the series are cut
-- after 8 sqrt(y) + 30 terms (the rest is below 1e-12 of the sum). A queue without any abandoned
-- leg in its training window has no measurable patience and is staffed by Erlang C.
{%- endif %}
with

int_staffing_inputs as (
    select * from {{ ref('int_staffing_inputs') }}
),

numbers as (
    select n from {{ hotline.integer_series(max_agents + 1) }} as series
),

log_factorials as (
    -- ln k! = sum_{i<=k} ln i, one running sum for every k the search can reach
    select
        n as k,
        sum(case when n > 1 then ln(n) else 0.0 end) over (
            order by n rows between unbounded preceding and current row
        ) as ln_factorial
    from numbers
),

loaded_intervals as (
    select
        *,
        cast(floor(traffic_erlangs) as integer) + 1 as min_agents,
        cast(ceil(traffic_erlangs / {{ max_occupancy }}) + ceil(6 * sqrt(traffic_erlangs)) + 20 as integer)
            as max_agents
    from int_staffing_inputs
    where offered > 0 and traffic_erlangs > 0
),

poisson_terms as (
    select
        loaded_intervals.queue_id,
        loaded_intervals.interval_start_utc,
        log_factorials.k,
        exp(
            log_factorials.k * ln(loaded_intervals.traffic_erlangs)
            - log_factorials.ln_factorial
            - loaded_intervals.traffic_erlangs
        ) as p_k
    from loaded_intervals
    inner join log_factorials
        on loaded_intervals.max_agents >= log_factorials.k
),

poisson_sums as (
    select
        queue_id,
        interval_start_utc,
        k,
        p_k,
        sum(p_k) over (
            partition by queue_id, interval_start_utc order by k
            rows between unbounded preceding and current row
        ) as p_through_k
    from poisson_terms
),

erlang_c as (
    select
        loaded_intervals.queue_id,
        loaded_intervals.interval_start_utc,
        poisson_sums.k as agents,
        loaded_intervals.traffic_erlangs,
        loaded_intervals.aht_seconds,
        loaded_intervals.service_level_seconds,
        loaded_intervals.service_level_target,
        loaded_intervals.patience_seconds,
        loaded_intervals.offered,
        poisson_sums.p_k,
        poisson_sums.p_through_k,
        poisson_sums.p_k * poisson_sums.k / (poisson_sums.k - loaded_intervals.traffic_erlangs) as waiting_term,
        poisson_sums.p_through_k - poisson_sums.p_k as p_below_k
    from loaded_intervals
    inner join poisson_sums
        on
            loaded_intervals.queue_id = poisson_sums.queue_id
            and loaded_intervals.interval_start_utc = poisson_sums.interval_start_utc
            and loaded_intervals.min_agents <= poisson_sums.k
),

erlang_c_wait as (
    select
        *,
        waiting_term / (p_below_k + waiting_term) as erlang_c_wait_probability
    from erlang_c
),

erlang_c_measures as (
    select
        *,
        1 - erlang_c_wait_probability * exp(-(agents - traffic_erlangs) * service_level_seconds / aht_seconds)
            as erlang_c_service_level,
        erlang_c_wait_probability * aht_seconds / (agents - traffic_erlangs) as erlang_c_asa_seconds
    from erlang_c_wait
),

{% if staffing_model == 'erlang_a' %}

erlang_a_inputs as (
    select
        *,
        agents * patience_seconds / aht_seconds as x,
        offered / {{ interval_seconds }} * patience_seconds as y,
        exp(-service_level_seconds / patience_seconds) as u,
        cast(ceil(8 * sqrt(offered / {{ interval_seconds }} * patience_seconds)) + 30 as integer) as terms
    from erlang_c_measures
    where patience_seconds > 0
),

series_terms as (
    select
        erlang_a_inputs.queue_id,
        erlang_a_inputs.interval_start_utc,
        erlang_a_inputs.agents,
        numbers.n as j,
        erlang_a_inputs.y,
        erlang_a_inputs.u,
        sum(case when numbers.n > 0 then ln(erlang_a_inputs.x + numbers.n) else 0.0 end) over (
            partition by erlang_a_inputs.queue_id, erlang_a_inputs.interval_start_utc, erlang_a_inputs.agents
            order by numbers.n rows between unbounded preceding and current row
        ) as ln_product,
        sum(1.0 / (erlang_a_inputs.x + numbers.n)) over (
            partition by erlang_a_inputs.queue_id, erlang_a_inputs.interval_start_utc, erlang_a_inputs.agents
            order by numbers.n rows between unbounded preceding and current row
        ) as harmonic
    from erlang_a_inputs
    inner join numbers
        on numbers.n <= erlang_a_inputs.terms
),

series_values as (
    select
        queue_id,
        interval_start_utc,
        agents,
        j,
        u,
        harmonic,
        exp(j * ln(y) - ln_product) as a_j
    from series_terms
),

series_sums as (
    select
        queue_id,
        interval_start_utc,
        agents,
        sum(a_j) as a_y,
        sum(case when j > 0 then a_j else 0.0 end) as b_y,
        sum(case when j > 0 then a_j * power(u, j) else 0.0 end) as b_yu,
        sum(a_j * harmonic) as virtual_wait_sum
    from series_values
    group by queue_id, interval_start_utc, agents
),

erlang_a_wait as (
    select
        erlang_a_inputs.*,
        series_sums.a_y,
        series_sums.b_y,
        series_sums.b_yu,
        series_sums.virtual_wait_sum,
        erlang_a_inputs.p_k / erlang_a_inputs.p_through_k as erlang_b,
        exp(-erlang_a_inputs.agents * erlang_a_inputs.service_level_seconds / erlang_a_inputs.aht_seconds
            + erlang_a_inputs.y * (1 - erlang_a_inputs.u)) as tail_factor
    from erlang_a_inputs
    inner join series_sums
        on
            erlang_a_inputs.queue_id = series_sums.queue_id
            and erlang_a_inputs.interval_start_utc = series_sums.interval_start_utc
            and erlang_a_inputs.agents = series_sums.agents
),

erlang_a_probability as (
    select
        *,
        a_y * erlang_b / (1 + b_y * erlang_b) as wait_probability
    from erlang_a_wait
),

erlang_a_measures as (
    select
        queue_id,
        interval_start_utc,
        agents,
        wait_probability,
        1 - wait_probability + wait_probability * (x / y) * (b_y - tail_factor * b_yu) / a_y as service_level,
        wait_probability * patience_seconds * virtual_wait_sum / a_y as asa_seconds,
        wait_probability * (1 - (x / y) * b_y / a_y) as abandon_probability
    from erlang_a_probability
),
{% endif %}

{% if staffing_model != 'erlang_a' %}

    erlang_a_measures as (
        -- Erlang C only: no Erlang A figures
        select
            queue_id,
            interval_start_utc,
            agents,
            cast(null as double) as wait_probability,
            cast(null as double) as service_level,
            cast(null as double) as asa_seconds,
            cast(null as double) as abandon_probability
        from erlang_c_measures
        where false
    ),
{% endif %}

measures as (
    select
        erlang_c_measures.queue_id,
        erlang_c_measures.interval_start_utc,
        erlang_c_measures.agents,
        erlang_c_measures.service_level_target,
        erlang_a_measures.abandon_probability,
        erlang_c_measures.traffic_erlangs / erlang_c_measures.agents as occupancy,
        erlang_a_measures.agents is not null as is_erlang_a,
        coalesce(erlang_a_measures.wait_probability, erlang_c_measures.erlang_c_wait_probability)
            as wait_probability,
        coalesce(erlang_a_measures.service_level, erlang_c_measures.erlang_c_service_level) as service_level,
        coalesce(erlang_a_measures.asa_seconds, erlang_c_measures.erlang_c_asa_seconds) as asa_seconds
    from erlang_c_measures
    left join erlang_a_measures
        on
            erlang_c_measures.queue_id = erlang_a_measures.queue_id
            and erlang_c_measures.interval_start_utc = erlang_a_measures.interval_start_utc
            and erlang_c_measures.agents = erlang_a_measures.agents
),

candidates as (
    select
        queue_id,
        interval_start_utc,
        agents,
        occupancy,
        is_erlang_a,
        wait_probability,
        service_level,
        asa_seconds,
        abandon_probability,
        service_level >= service_level_target and occupancy <= {{ max_occupancy }} + 1e-12 as meets_targets
    from measures

),

choices as (
    select
        queue_id,
        interval_start_utc,
        min(case when meets_targets then agents end) as first_meeting_agents,
        max(agents) as max_candidate_agents
    from candidates
    group by queue_id, interval_start_utc
),

chosen as (
    select
        candidates.*,
        choices.first_meeting_agents is not null as meets_targets_at_required
    from candidates
    inner join choices
        on
            candidates.queue_id = choices.queue_id
            and candidates.interval_start_utc = choices.interval_start_utc
            and candidates.agents = coalesce(choices.first_meeting_agents, choices.max_candidate_agents)
),

final as (
    select
        int_staffing_inputs.queue_id,
        int_staffing_inputs.interval_start_utc,
        int_staffing_inputs.interval_start,
        int_staffing_inputs.report_date,
        int_staffing_inputs.is_forecast,
        int_staffing_inputs.offered,
        int_staffing_inputs.aht_seconds,
        int_staffing_inputs.traffic_erlangs,
        int_staffing_inputs.service_level_seconds,
        int_staffing_inputs.service_level_target,
        int_staffing_inputs.patience_seconds,
        case
            when int_staffing_inputs.offered <= 0 then 0
            when int_staffing_inputs.traffic_erlangs = 0 then 1
            else chosen.agents
        end as required_agents,
        case
            when int_staffing_inputs.offered <= 0 then null
            when int_staffing_inputs.traffic_erlangs = 0 then 1.0
            else round(chosen.service_level, 6)
        end as predicted_service_level,
        case
            when int_staffing_inputs.offered <= 0 then null
            when int_staffing_inputs.traffic_erlangs = 0 then 0.0
            else round(chosen.wait_probability, 6)
        end as predicted_wait_probability,
        case
            when int_staffing_inputs.offered <= 0 then null
            when int_staffing_inputs.traffic_erlangs = 0 then 0.0
            else round(chosen.asa_seconds, 6)
        end as predicted_asa_seconds,
        case
            when int_staffing_inputs.offered <= 0 then null
            when int_staffing_inputs.traffic_erlangs = 0 then 0.0
            else round(chosen.occupancy, 6)
        end as predicted_occupancy,
        round(chosen.abandon_probability, 6) as predicted_abandon_probability,
        coalesce(chosen.is_erlang_a, false) as is_erlang_a,
        case
            when int_staffing_inputs.offered <= 0 or int_staffing_inputs.traffic_erlangs = 0 then true
            else chosen.meets_targets_at_required
        end as meets_targets
    from int_staffing_inputs
    left join chosen
        on
            int_staffing_inputs.queue_id = chosen.queue_id
            and int_staffing_inputs.interval_start_utc = chosen.interval_start_utc
)

select * from final
