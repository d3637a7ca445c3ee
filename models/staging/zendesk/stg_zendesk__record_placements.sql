-- Where every delivered Zendesk record went (one row per raw record of zendesk/tickets,
-- zendesk/ticket_events and zendesk/users), for the reconciliation and the quarantine:
--   quarantined  not a JSON object or no id (no ticket_id for an event); or a row mapped
--                from it broke a contract rule (that rule's reason)
--   ignored      a deleted ticket (spec: skipped); an audit with no event the spec maps
--   mapped       tickets / events: kept in staging; users: the latest version of the user
--   superseded   an older version (a ticket re-exported with a later updated_at, an event
--                delivered again, an older user record)
-- A valid record neither kept nor superseded is 'unaccounted', which breaks the reconciliation.
with

base_zendesk__tickets as (
    select * from {{ ref('base_zendesk__tickets') }}
),

base_zendesk__ticket_events as (
    select * from {{ ref('base_zendesk__ticket_events') }}
),

base_zendesk__users as (
    select * from {{ ref('base_zendesk__users') }}
),

stg_zendesk__users as (
    select * from {{ ref('stg_zendesk__users') }}
),

stg_zendesk__tickets as (
    select * from {{ ref('stg_zendesk__tickets') }}
),

stg_zendesk__ticket_events as (
    select * from {{ ref('stg_zendesk__ticket_events') }}
),

base_ticketing__tickets as (
    select * from {{ ref('base_ticketing__tickets') }}
),

stg_ticketing__tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

base_ticketing__ticket_events as (
    select * from {{ ref('base_ticketing__ticket_events') }}
),

stg_ticketing__ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

kept_event_ids as (
    select distinct event_id from stg_ticketing__ticket_events
),

event_outcomes as (
    -- per audit record: how many events it mapped, rejected and kept
    select
        mapped._delivery_seq,
        cast(floor(mapped._source_row / 1000) as bigint) as record_row,
        count(*) as mapped_events,
        min(validated.reject_reason) as reject_reason,
        count(kept.event_id) as kept_events,
        -- events whose id was kept from another (later) delivery
        count(kept_event_ids.event_id) as events_kept_elsewhere,
        min(
            case
                when validated.reject_reason is not null
                    then validated.raw_record
            end
        ) as rejected_record
    from stg_zendesk__ticket_events as mapped
    left join base_ticketing__ticket_events as validated
        on mapped._delivery_seq = validated._delivery_seq and mapped._source_row = validated._source_row
    left join stg_ticketing__ticket_events as kept
        on mapped._delivery_seq = kept._delivery_seq and mapped._source_row = kept._source_row
    left join kept_event_ids
        on mapped.event_id = kept_event_ids.event_id
    group by 1, 2
),

tickets as (
    {{ one_to_one_record_placement(
        'zendesk_tickets', 'base_zendesk__tickets', 'stg_zendesk__tickets',
        'base_ticketing__tickets', 'stg_ticketing__tickets', 'ticket_id'
    ) }}
),

ticket_events as (
    select
        'zendesk_ticket_events' as entity,
        records._source_file,
        records._source_row,
        records._batch_id,
        records._delivery_seq,
        records._loaded_at,
        case
            when records.reject_reason is not null then 'quarantined'
            when event_outcomes.mapped_events is null then 'ignored'
            when event_outcomes.reject_reason is not null then 'quarantined'
            when event_outcomes.kept_events > 0 then 'mapped'
            when event_outcomes.events_kept_elsewhere = event_outcomes.mapped_events then 'superseded'
            else 'unaccounted'
        end as placement,
        coalesce(records.reject_reason, event_outcomes.reject_reason) as reason,
        case
            when records.reject_reason is not null then records.record
            else event_outcomes.rejected_record
        end as raw_record
    from base_zendesk__ticket_events as records
    left join event_outcomes
        on records._delivery_seq = event_outcomes._delivery_seq and records._source_row = event_outcomes.record_row
),

users as (
    select
        'zendesk_users' as entity,
        records._source_file,
        records._source_row,
        records._batch_id,
        records._delivery_seq,
        records._loaded_at,
        case
            when records.reject_reason is not null then 'quarantined'
            when latest._source_row is not null then 'mapped'
            else 'superseded'
        end as placement,
        records.reject_reason as reason,
        -- a user record is PII (names, e-mail): only a record that is not even JSON is shown
        case when records.reject_reason is not null then records.record end as raw_record
    from base_zendesk__users as records
    left join stg_zendesk__users as latest
        on records._delivery_seq = latest._delivery_seq and records._source_row = latest._source_row
),

unioned as (
    select * from tickets
    union all
    select * from ticket_events
    union all
    select * from users
),

final as (
    select
        'zendesk' as source_system,
        entity,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at,
        placement,
        reason,
        raw_record
    from unioned
)

select * from final
