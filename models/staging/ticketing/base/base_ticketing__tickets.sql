{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw ticket record: typed columns, the customer key, the masked subject and
-- the first contract rule the record fails (reject_reason, null when valid).
{%- set source_channels = ['voice', 'chat', 'email', 'web', 'social'] %}
{%- set priorities = ['urgent', 'high', 'normal', 'low'] %}
{%- set statuses = ['new', 'open', 'pending', 'solved', 'closed'] %}

with

tickets as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ native_contract_rows('tickets') }}) as landed
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

cleaned as (
    select
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ normalize_enum('source_channel') }} as source_channel,
        {{ clean_text('origin_contact_id') }} as origin_contact_id,
        {{ clean_text('customer_account_id') }} as customer_account_id,
        -- e-mail addresses are case-insensitive in practice: one customer, one key
        {{ normalize_enum('requester_email') }} as requester_email,
        {{ normalize_enum('priority') }} as priority,
        {{ clean_text('category') }} as category,
        {{ normalize_enum('status') }} as status,
        {{ clean_text('assigned_group') }} as assigned_group,
        {{ clean_text('assignee_agent_id') }} as assignee_agent_id,
        {{ clean_text('subject') }} as subject,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from tickets
),

typed as (
    select
        *,
        {{ parse_timestamp_utc('created_at_text') }} as created_at,
        {{ parse_timestamp_utc('updated_at_text') }} as updated_at,
        -- same rule as contacts (account id first) so a ticket and a call of one account match
        coalesce(
            {{ hash_pii('customer_account_id') }},
            {{ hash_pii('requester_email') }}
        ) as customer_key,
        {{ mask_pii_text('subject') }} as subject_masked
    from cleaned
),

validated as (
    select
        *,
        case
            when ticket_id is null then 'missing_required:ticket_id'
            when created_at_text is null then 'missing_required:created_at'
            when updated_at_text is null then 'missing_required:updated_at'
            when source_channel is null then 'missing_required:source_channel'
            when priority is null then 'missing_required:priority'
            when status is null then 'missing_required:status'
            when {{ is_unparseable('created_at_text', 'created_at') }} then 'unparseable:created_at'
            when {{ is_unparseable('updated_at_text', 'updated_at') }} then 'unparseable:updated_at'
            when {{ is_unknown_enum('source_channel', source_channels) }} then 'unknown_enum:source_channel'
            when {{ is_unknown_enum('priority', priorities) }} then 'unknown_enum:priority'
            when {{ is_unknown_enum('status', statuses) }} then 'unknown_enum:status'
        end as reject_reason
    from typed
),

final as (
    select
        ticket_id,
        created_at,
        updated_at,
        source_channel,
        origin_contact_id,
        customer_key,
        priority,
        category,
        status,
        assigned_group,
        assignee_agent_id,
        subject_masked,
        reject_reason,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
