{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw contact-leg record: typed columns, the customer key and the first
-- contract rule the record fails (reject_reason, null when valid). Validation happens here
-- once; stg_telephony__contacts keeps the valid rows, quarantine the others.
{%- set channels = ['voice', 'chat'] %}
{%- set directions = ['inbound', 'outbound', 'callback'] %}
{%- set ivr_outcomes = ['self_service', 'agent_requested', 'abandoned'] %}
{%- set disconnect_reasons = ['customer_disconnect', 'agent_disconnect', 'transfer', 'queue_timeout', 'system'] %}

with

contacts as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ native_contract_rows('contacts') }}) as landed
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

cleaned as (
    -- landing contract: empty string = null, enums case-insensitive and trimmed
    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('initial_contact_id') }} as initial_contact_id,
        {{ clean_text('previous_contact_id') }} as previous_contact_id,
        {{ normalize_enum('channel') }} as channel,
        {{ normalize_enum('direction') }} as direction,
        {{ clean_text('customer_number') }} as customer_number,
        {{ clean_text('customer_account_id') }} as customer_account_id,
        {{ clean_text('dialed_number') }} as dialed_number_text,
        {{ clean_text('initiated_at') }} as initiated_at_text,
        {{ clean_text('ivr_ended_at') }} as ivr_ended_at_text,
        {{ normalize_enum('ivr_outcome') }} as ivr_outcome,
        {{ clean_text('queue_id') }} as queue_id,
        {{ clean_text('enqueued_at') }} as enqueued_at_text,
        {{ clean_text('answered_at') }} as answered_at_text,
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_text('talk_seconds') }} as talk_seconds_text,
        {{ clean_text('hold_seconds') }} as hold_seconds_text,
        {{ clean_text('acw_seconds') }} as acw_seconds_text,
        {{ clean_text('ended_at') }} as ended_at_text,
        {{ normalize_enum('disconnect_reason') }} as disconnect_reason,
        {{ clean_text('wrap_code') }} as wrap_code,
        {{ clean_text('last_updated_at') }} as last_updated_at_text,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from contacts
),

typed as (
    select
        *,
        {{ parse_timestamp_utc('initiated_at_text') }} as initiated_at,
        {{ parse_timestamp_utc('ivr_ended_at_text') }} as ivr_ended_at,
        {{ parse_timestamp_utc('enqueued_at_text') }} as enqueued_at,
        {{ parse_timestamp_utc('answered_at_text') }} as answered_at,
        {{ parse_number('talk_seconds_text') }} as talk_seconds,
        {{ parse_number('hold_seconds_text') }} as hold_seconds,
        {{ parse_number('acw_seconds_text') }} as acw_seconds,
        {{ parse_timestamp_utc('ended_at_text') }} as ended_at,
        {{ parse_timestamp_utc('last_updated_at_text') }} as last_updated_at,
        -- on outbound and callback legs the number dialed is the customer's own phone (PII):
        -- only an inbound leg's entry point is kept
        case when direction = 'inbound' then dialed_number_text end as dialed_number,
        -- the customer is the account when known, else the normalised phone number
        coalesce(
            {{ hash_pii('customer_account_id') }},
            {{ hash_pii(normalize_phone('customer_number')) }}
        ) as customer_key
    from cleaned
),

validated as (
    -- the first failing rule wins, in the order: missing, unparseable, enum, negative, order
    select
        *,
        case
            when contact_id is null then 'missing_required:contact_id'
            when channel is null then 'missing_required:channel'
            when direction is null then 'missing_required:direction'
            when initiated_at_text is null then 'missing_required:initiated_at'
            when ended_at_text is null then 'missing_required:ended_at'
            when disconnect_reason is null then 'missing_required:disconnect_reason'
            when {{ is_unparseable('initiated_at_text', 'initiated_at') }} then 'unparseable:initiated_at'
            when {{ is_unparseable('ivr_ended_at_text', 'ivr_ended_at') }} then 'unparseable:ivr_ended_at'
            when {{ is_unparseable('enqueued_at_text', 'enqueued_at') }} then 'unparseable:enqueued_at'
            when {{ is_unparseable('answered_at_text', 'answered_at') }} then 'unparseable:answered_at'
            when {{ is_unparseable('talk_seconds_text', 'talk_seconds') }} then 'unparseable:talk_seconds'
            when {{ is_unparseable('hold_seconds_text', 'hold_seconds') }} then 'unparseable:hold_seconds'
            when {{ is_unparseable('acw_seconds_text', 'acw_seconds') }} then 'unparseable:acw_seconds'
            when {{ is_unparseable('ended_at_text', 'ended_at') }} then 'unparseable:ended_at'
            when {{ is_unparseable('last_updated_at_text', 'last_updated_at') }} then 'unparseable:last_updated_at'
            when {{ is_unknown_enum('channel', channels) }} then 'unknown_enum:channel'
            when {{ is_unknown_enum('direction', directions) }} then 'unknown_enum:direction'
            when {{ is_unknown_enum('ivr_outcome', ivr_outcomes) }} then 'unknown_enum:ivr_outcome'
            when {{ is_unknown_enum('disconnect_reason', disconnect_reasons) }} then 'unknown_enum:disconnect_reason'
            when talk_seconds < 0 then 'negative:talk_seconds'
            when hold_seconds < 0 then 'negative:hold_seconds'
            when acw_seconds < 0 then 'negative:acw_seconds'
            when ended_at < initiated_at then 'end_before_start'
        end as reject_reason
    from typed
),

final as (
    select
        contact_id,
        initial_contact_id,
        previous_contact_id,
        channel,
        direction,
        customer_key,
        dialed_number,
        initiated_at,
        ivr_ended_at,
        ivr_outcome,
        queue_id,
        enqueued_at,
        answered_at,
        agent_id,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        ended_at,
        disconnect_reason,
        wrap_code,
        last_updated_at,
        reject_reason,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
