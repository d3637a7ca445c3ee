-- as_of: the data watermark (spec "Settings"): the latest timestamp in any accepted row of
-- any source. "Pending" states (provisional FCR, SLA pending) are judged against it, never
-- against the wall clock, so a rebuild of the same data gives the same answer.
-- Only business timestamps count; load-time lineage (_loaded_at, snapshot_at) is left out
-- because it says when we received a file, not how far the data reaches.
with

stg_telephony__contacts as (
    select * from {{ ref('stg_telephony__contacts') }}
),

stg_telephony__agent_states as (
    select * from {{ ref('stg_telephony__agent_states') }}
),

stg_telephony__agents as (
    select * from {{ ref('stg_telephony__agents') }}
),

stg_telephony__queues as (
    select * from {{ ref('stg_telephony__queues') }}
),

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

stg_ticketing__ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

stg_survey__responses as (
    select * from {{ ref('stg_survey__responses') }}
),

source_maxima as (
    select max(initiated_at) as latest_at from stg_telephony__contacts
    union all
    select max(ivr_ended_at) from stg_telephony__contacts
    union all
    select max(enqueued_at) from stg_telephony__contacts
    union all
    select max(answered_at) from stg_telephony__contacts
    union all
    select max(ended_at) from stg_telephony__contacts
    union all
    select max(last_updated_at) from stg_telephony__contacts
    union all
    select max(started_at) from stg_telephony__agent_states
    union all
    select max(ended_at) from stg_telephony__agent_states
    union all
    select max(updated_at) from stg_telephony__agents
    union all
    select max(updated_at) from stg_telephony__queues
    union all
    select max(created_at) from stg_ticketing__tickets
    union all
    select max(updated_at) from stg_ticketing__tickets
    union all
    select max(occurred_at) from stg_ticketing__ticket_events
    union all
    select max(sent_at) from stg_survey__responses
    union all
    select max(responded_at) from stg_survey__responses
),

final as (
    -- one row even when every source is empty (as_of is then null)
    select max(latest_at) as as_of
    from source_maxima
)

select * from final
