{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw queue-configuration record: typed columns and the first contract rule
-- the record fails (reject_reason, null when valid). Missing service levels stay null:
-- dim_queues applies the configured defaults.
{%- set channels = ['voice', 'chat'] %}

with

queues as (
    -- delivered rows and the rows the native adapters derived (macros/native_adapters.sql)
    select * from ({{ native_contract_rows('queues') }}) as landed
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

cleaned as (
    select
        {{ clean_text('queue_id') }} as queue_id,
        {{ clean_text('queue_name') }} as queue_name,
        {{ normalize_enum('channel') }} as channel,
        {{ clean_text('service_level_seconds') }} as service_level_seconds_text,
        {{ clean_text('service_level_target') }} as service_level_target_text,
        {{ clean_text('business_unit') }} as business_unit,
        {{ clean_text('updated_at') }} as updated_at_text,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from queues
),

typed as (
    select
        *,
        {{ parse_number('service_level_seconds_text') }} as service_level_seconds,
        {{ parse_number('service_level_target_text') }} as service_level_target,
        {{ parse_timestamp_utc('updated_at_text') }} as updated_at
    from cleaned
),

validated as (
    select
        *,
        case
            when queue_id is null then 'missing_required:queue_id'
            when queue_name is null then 'missing_required:queue_name'
            when channel is null then 'missing_required:channel'
            when {{ is_unparseable('service_level_seconds_text', 'service_level_seconds') }}
                then 'unparseable:service_level_seconds'
            when {{ is_unparseable('service_level_target_text', 'service_level_target') }}
                then 'unparseable:service_level_target'
            when {{ is_unparseable('updated_at_text', 'updated_at') }} then 'unparseable:updated_at'
            when {{ is_unknown_enum('channel', channels) }} then 'unknown_enum:channel'
            when service_level_seconds < 0 then 'negative:service_level_seconds'
            when service_level_target < 0 then 'negative:service_level_target'
            -- a share, 0-1; a percentage such as 80 is rejected, not guessed
            when service_level_target > 1 then 'out_of_range:service_level_target'
        end as reject_reason
    from typed
),

final as (
    select
        queue_id,
        queue_name,
        channel,
        service_level_seconds,
        service_level_target,
        business_unit,
        updated_at,
        reject_reason,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
