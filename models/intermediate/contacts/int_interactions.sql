{{ config(**hotline.keyed_incremental(
    'interaction_id',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where interaction_id in (select interaction_id from {{ ref('chg_interactions') }}){% endif %}",
)) }}
-- depends_on: {{ ref('chg_interactions') }}, {{ ref('chg_customers') }}
-- One row per customer interaction: the chain summary of int_interaction_chains with repeat
-- and FCR (spec "Customer interactions"). Both use window functions over each customer's
-- inbound interactions ordered by start (the nearest previous / next start decides), never a
-- self-join, so the cost stays one sort per customer however long the history.
--
-- Incremental (docs/incremental.md): every interaction of the customers chg_customers lists is
-- re-windowed, with the rebuilt chains of chg_interactions; interactions of other customers
-- whose FCR was provisional or whose window is still open are re-judged against the new
-- as_of (neighbours unchanged). Only rows that differ from the stored ones are written.
{%- set summary_columns = [
    'interaction_id', 'customer_key', 'started_at', 'report_date', 'channel', 'direction',
    'handling_queue_id', 'handling_agent_id', 'leg_count', 'is_answered', 'has_queued_leg',
    'ivr_entered', 'ivr_contained'] %}
{%- set output_columns = summary_columns + [
    'is_repeat_eligible', 'is_repeat', 'fcr_eligible', 'is_fcr', 'is_fcr_final',
    'previous_inbound_started_at', 'next_inbound_started_at'] %}
{%- set window_seconds = (hotline.checked_var('repeat_window_days') | float) * 86400 %}

with

int_interaction_chains as (
    select * from {{ ref('int_interaction_chains') }}
    {% if is_incremental() -%}
        where
            interaction_id in (select changed.interaction_id from {{ ref('chg_interactions') }} as changed)
            or customer_key in (select affected.customer_key from {{ ref('chg_customers') }} as affected)
    {%- endif %}
),

int_data_watermark as (
    select * from {{ ref('int_data_watermark') }}
),

eligibility as (
    select
        {{ summary_columns | join(',\n        ') }},
        coalesce(direction = 'inbound', false) and customer_key is not null as is_repeat_eligible,
        coalesce(direction = 'inbound', false) and customer_key is not null and is_answered as fcr_eligible
    from int_interaction_chains
),

-- the customer's previous and next inbound start; ties on the same instant are ordered by
-- interaction_id, so of two simultaneous interactions exactly one is the repeat of the other
inbound_neighbours as (
    select
        interaction_id,
        lag(started_at) over (
            partition by customer_key order by started_at, interaction_id
        ) as previous_inbound_started_at,
        lead(started_at) over (
            partition by customer_key order by started_at, interaction_id
        ) as next_inbound_started_at
    from eligibility
    where is_repeat_eligible
),

neighboured as (
    select
        eligibility.*,
        inbound_neighbours.previous_inbound_started_at,
        inbound_neighbours.next_inbound_started_at
    from eligibility
    left join inbound_neighbours
        on eligibility.interaction_id = inbound_neighbours.interaction_id
    {%- if is_incremental() %}
        union all
        -- provisional FCR, or a window still open at the new as_of: only as_of is re-applied,
        -- the neighbours are unchanged (the customer is not affected)
        select
            {%- for column in summary_columns %}
                stored.{{ column }},
            {%- endfor %}
            stored.is_repeat_eligible,
            stored.fcr_eligible,
            stored.previous_inbound_started_at,
            stored.next_inbound_started_at
        from {{ this }} as stored
        cross join int_data_watermark
        where
            (
                not stored.is_fcr_final
                or {{ hotline.seconds_between('stored.started_at', 'int_data_watermark.as_of') }}
                < {{ window_seconds }}
            )
            and (
                stored.customer_key is null
                or stored.customer_key not in (
                    select affected.customer_key from {{ ref('chg_customers') }} as affected
                )
            )
            and stored.interaction_id not in (
                select changed.interaction_id from {{ ref('chg_interactions') }} as changed
            )
    {%- endif %}
),

windowed as (
    select
        neighboured.*,
        -- windows are inclusive: exactly repeat_window_days x 24 h away still counts
        coalesce(
            {{ hotline.seconds_between('neighboured.previous_inbound_started_at', 'neighboured.started_at') }}
            <= {{ window_seconds }},
            false
        ) as has_inbound_before,
        coalesce(
            {{ hotline.seconds_between('neighboured.started_at', 'neighboured.next_inbound_started_at') }}
            <= {{ window_seconds }},
            false
        ) as has_inbound_after,
        coalesce(
            {{ hotline.seconds_between('neighboured.started_at', 'int_data_watermark.as_of') }}
            >= {{ window_seconds }},
            false
        ) as is_window_elapsed
    from neighboured
    cross join int_data_watermark
),

flagged as (
    select
        *,
        is_repeat_eligible and has_inbound_before as is_repeat,
        fcr_eligible and not has_inbound_after as is_fcr,
        -- final once the window has elapsed by as_of or a later contact already broke FCR
        is_window_elapsed or has_inbound_after as is_fcr_final
    from windowed
),

final as (
    select
        {{ output_columns | join(',\n        ') }},
        -- the dbt invocation that last (re)wrote the row (downstream picks up changes by it)
        '{{ invocation_id }}' as _changed_in
    from flagged
)

{% if is_incremental() -%}
    select final.*
    from final
    left join {{ this }} as stored
        on
            final.interaction_id = stored.interaction_id
            and {{ hotline.null_safe_equal_all('final', 'stored', output_columns) | indent(8) }}
    -- a row identical to the stored one is not rewritten
    where stored.interaction_id is null
{%- else -%}
    select * from final
{%- endif %}
