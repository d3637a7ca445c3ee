{{ config(materialized='view') }}
-- Zendesk ticket records mapped to the shape of raw.tickets (contract columns as text, the
-- record's own lineage), read by base_ticketing__tickets beside the delivered ticket rows;
-- the contract keeps the larger updated_at per ticket. Spec mapping: status `hold` -> pending,
-- `deleted` -> skipped; priority null -> normal; via.channel -> source channel (seed
-- zendesk_channels, unlisted -> web); requester -> the customer (account id = the user's
-- external_id, e-mail = the user's e-mail, from zendesk/users when delivered); assignee_id ->
-- assignee_agent_id, group_id -> assigned_group (ids as delivered).
with

base_zendesk__tickets as (
    select * from {{ ref('base_zendesk__tickets') }}
),

stg_zendesk__users as (
    select * from {{ ref('stg_zendesk__users') }}
),

zendesk_channels as (
    select * from {{ ref('zendesk_channels') }}
),

final as (
    select
        tickets.ticket_id,
        tickets.created_at,
        tickets.updated_at,
        coalesce(zendesk_channels.source_channel, 'web') as source_channel,
        cast(null as {{ dbt.type_string() }}) as origin_contact_id,
        requesters.external_id as customer_account_id,
        requesters.email as requester_email,
        coalesce(tickets.priority, 'normal') as priority,
        cast(null as {{ dbt.type_string() }}) as category,
        case when tickets.status = 'hold' then 'pending' else tickets.status end as status,
        tickets.group_id as assigned_group,
        tickets.assignee_id as assignee_agent_id,
        tickets.subject,
        tickets._source_file,
        tickets._source_row,
        tickets._batch_id,
        tickets._delivery_seq,
        tickets._loaded_at
    from base_zendesk__tickets as tickets
    left join zendesk_channels
        on tickets.via_channel = zendesk_channels.via_channel
    left join stg_zendesk__users as requesters
        on tickets.requester_id = requesters.user_id
    where tickets.reject_reason is null and coalesce(tickets.status, '') <> 'deleted'
)

select * from final
