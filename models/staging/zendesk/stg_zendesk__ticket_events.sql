{{ config(materialized='view') }}
-- Zendesk ticket events (audits) mapped to the shape of raw.ticket_events (contract columns
-- as text), read by base_ticketing__ticket_events. One audit gives one row per child event it
-- maps (spec "Zendesk"):
--   the audit that creates the ticket (its child events are of type Create) -> created; its
--     comment is the ticket's description, not a reply; a status other than new set at
--     creation -> status_changed from new; an assignee set at creation -> assigned
--   Change of status -> status_changed, of priority -> priority_changed, of assignee_id ->
--     assigned, of group_id -> escalated (from / to = previous / new value; hold -> pending)
--   a public comment by an agent -> agent_reply, by an end user -> customer_reply; a private
--     comment -> comment (internal)
-- Child events come either as the audits API writes them (type, field_name, value,
-- previous_value) or as the incremental export does (event_type and the field as a key).
-- The actor is the comment's author or the audit's updater: updater -1 is the system; a user
-- of role end-user a customer, agent/admin an agent (zendesk/users); without a user record,
-- the ticket's requester is the customer and everyone else an agent.
-- Lineage: the audit's delivery, _source_row = the record's number x 1000 + the event's number.
with

base_zendesk__ticket_events as (
    select * from {{ ref('base_zendesk__ticket_events') }}
),

base_zendesk__tickets as (
    select * from {{ ref('base_zendesk__tickets') }}
),

stg_zendesk__users as (
    select * from {{ ref('stg_zendesk__users') }}
),

requesters as (
    -- the requester of each ticket, from its latest record
    select
        ticket_id,
        requester_id,
        {{ latest_row_number('ticket_id', parse_timestamp_utc('updated_at')
            ~ ' desc nulls last, _delivery_seq desc, _source_row desc') }}
            as row_rank
    from base_zendesk__tickets
    where reject_reason is null
),

audits as (
    select
        *,
        coalesce(
            created_at_text,
            case
                when {{ regex_matches('epoch_text', '^[0-9]+(\\.[0-9]+)?$') }}
                    then {{ utc_iso_text(epoch_to_timestamp(hotline.try_cast('epoch_text', 'double'))) }}
            end,
            epoch_text
        ) as occurred_at
    from base_zendesk__ticket_events
    where reject_reason is null
),

children as (
    select
        audits.*,
        {{ json_array_rows('audits.child_events', 'child', 'child_position') }}
    from audits
),

typed_children as (
    select
        *,
        coalesce({{ json_text('child', '$.event_type') }}, {{ json_text('child', '$.type') }}) as child_type,
        {{ json_text('child', '$.id') }} as child_id,
        coalesce(
            {{ json_text('child', '$.field_name') }},
            case
                when {{ json_text('child', '$.status') }} is not null then 'status'
                when {{ json_text('child', '$.priority') }} is not null then 'priority'
                when {{ json_text('child', '$.assignee_id') }} is not null then 'assignee_id'
                when {{ json_text('child', '$.group_id') }} is not null then 'group_id'
            end
        ) as field_name,
        {{ json_text('child', '$.value') }} as value_text,
        {{ json_text('child', '$.status') }} as status_key,
        {{ json_text('child', '$.priority') }} as priority_key,
        {{ json_text('child', '$.assignee_id') }} as assignee_key,
        {{ json_text('child', '$.group_id') }} as group_key,
        {{ json_text('child', '$.previous_value') }} as previous_value,
        {{ json_text('child', '$.author_id') }} as author_id,
        lower({{ json_text('child', '$.public') }}) as public_text
    from children
),

valued as (
    select
        *,
        coalesce(
            value_text,
            case field_name
                when 'status' then status_key
                when 'priority' then priority_key
                when 'assignee_id' then assignee_key
                when 'group_id' then group_key
            end
        ) as new_value,
        max(case when child_type = 'Create' then 1 else 0 end) over (
            partition by _delivery_seq, _source_row
        ) = 1 as is_creation
    from typed_children
),

mapped as (
    select
        *,
        case
            when child_type = 'Comment' and is_creation then null
            when child_type = 'Comment' and public_text = 'false' then 'comment'
            when child_type = 'Comment' then 'reply'
            when child_type = 'Change' and field_name = 'status' then 'status_changed'
            when child_type = 'Change' and field_name = 'priority' then 'priority_changed'
            when child_type = 'Change' and field_name = 'assignee_id' then 'assigned'
            when child_type = 'Change' and field_name = 'group_id' then 'escalated'
            when child_type = 'Create' and field_name = 'status' and lower(new_value) <> 'new' then 'status_changed'
            when child_type = 'Create' and field_name = 'assignee_id' and new_value is not null then 'assigned'
        end as mapped_type,
        case when child_type = 'Comment' then coalesce(author_id, updater_id) else updater_id end as actor_id
    from valued
),

events as (
    -- the creation itself, once per creating audit
    select distinct
        _delivery_seq,
        _source_row,
        0 as event_position,
        'zd-audit:' || audit_id as event_id,
        ticket_id,
        occurred_at,
        'created' as mapped_type,
        updater_id as actor_id,
        cast(null as {{ dbt.type_string() }}) as from_value,
        cast(null as {{ dbt.type_string() }}) as to_value,
        _source_file,
        _batch_id,
        _loaded_at
    from valued
    where is_creation
    union all
    select
        _delivery_seq,
        _source_row,
        child_position as event_position,
        'zd:' || coalesce(child_id, audit_id || '.' || cast(child_position as {{ dbt.type_string() }})) as event_id,
        ticket_id,
        occurred_at,
        mapped_type,
        actor_id,
        case
            when mapped_type = 'status_changed' and child_type = 'Create' then 'new'
            when mapped_type = 'status_changed' and lower(previous_value) = 'hold' then 'pending'
            else previous_value
        end as from_value,
        case when mapped_type = 'status_changed' and lower(new_value) = 'hold' then 'pending' else new_value end
            as to_value,
        _source_file,
        _batch_id,
        _loaded_at
    from mapped
    where mapped_type is not null
),

actors as (
    select
        events.*,
        case
            when events.actor_id = '-1' then 'system'
            when authors.user_role = 'end-user' then 'customer'
            when authors.user_role in ('agent', 'admin') then 'agent'
            when events.actor_id = requesters.requester_id then 'customer'
            when events.actor_id is null then 'system'
            else 'agent'
        end as actor_type
    from events
    left join stg_zendesk__users as authors
        on events.actor_id = authors.user_id
    left join requesters
        on events.ticket_id = requesters.ticket_id and requesters.row_rank = 1
),

final as (
    select
        event_id,
        ticket_id,
        occurred_at,
        actor_type,
        from_value,
        to_value,
        _source_file,
        _batch_id,
        _delivery_seq,
        _loaded_at,
        case
            when mapped_type = 'reply' and actor_type = 'customer' then 'customer_reply'
            when mapped_type = 'reply' and actor_type = 'agent' then 'agent_reply'
            -- a public comment the system wrote (a trigger) is no reply by anyone
            when mapped_type = 'reply' then 'comment'
            else mapped_type
        end as event_type,
        case when actor_type = 'agent' then actor_id end as actor_agent_id,
        _source_row * 1000 + event_position as _source_row
    from actors
)

select * from final
