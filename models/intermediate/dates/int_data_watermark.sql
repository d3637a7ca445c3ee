-- as_of: the data watermark (spec "Settings"): the latest timestamp in any accepted row of
-- any source. "Pending" states (provisional FCR, SLA pending) are judged against it, never
-- against the wall clock, so a rebuild of the same data gives the same answer.
-- Only business timestamps count; load-time lineage (_loaded_at, snapshot_at) is left out
-- because it says when we received a file, not how far the data reaches. data_starts_at, the
-- earliest of the same timestamps, bounds the calendar (int_calendar_days).
{%- set business_timestamps = [
    ('stg_telephony__contacts', ['initiated_at', 'ivr_ended_at', 'enqueued_at', 'answered_at', 'ended_at',
                                 'last_updated_at']),
    ('stg_telephony__agent_states', ['started_at', 'ended_at']),
    ('stg_telephony__agents', ['updated_at']),
    ('stg_telephony__queues', ['updated_at']),
    ('stg_ticketing__tickets', ['created_at', 'updated_at']),
    ('stg_ticketing__ticket_events', ['occurred_at']),
    ('stg_survey__responses', ['sent_at', 'responded_at']),
] %}

with

{% for model, _ in business_timestamps %}
    {{ model }} as (
        select * from {{ ref(model) }}
    ),

{% endfor -%}
source_extremes as (
    {%- for model, columns in business_timestamps %}
        {%- set outer = loop %}
        {%- for column in columns %}
            select
                min({{ column }}) as earliest_at,
                max({{ column }}) as latest_at
            from {{ model }}
            {{ 'union all' if not (outer.last and loop.last) }}
        {%- endfor %}
    {%- endfor %}
),

final as (
    -- one row even when every source is empty (as_of is then null)
    select
        max(latest_at) as as_of,
        min(earliest_at) as data_starts_at
    from source_extremes
)

select * from final
