{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per delivered queue_log line: fields trimmed, the time as naive UTC, the numbers
-- the mapping reads (per event layout, Asterisk docs "Queue Logs"), the line's identity for
-- de-duplicating re-delivered lines, and the first rule it fails (reject_reason, null = valid).
-- Spec: a line that cannot be split or whose time cannot be parsed is quarantined; a number
-- the mapping needs that is not a number (or is negative) is quarantined the same way.

with

queue_log as (
    select * from {{ source('asterisk', 'queue_log') }}
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

cleaned as (
    select
        {{ clean_text('time_text') }} as time_text,
        {{ clean_text('callid') }} as callid,
        {{ clean_text('queuename') }} as queuename,
        {{ clean_text('agent') }} as agent,
        upper({{ clean_text('event') }}) as event_name,
        {{ clean_text('data1') }} as data1,
        {{ clean_text('data2') }} as data2,
        {{ clean_text('data3') }} as data3,
        {{ clean_text('data4') }} as data4,
        {{ clean_text('data5') }} as data5,
        coalesce(field_count, 0) as field_count,
        raw_line,
        coalesce(trim(raw_line), '') = '' as is_blank,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from queue_log
),

classified as (
    select
        *,
        case
            when event_name = 'ENTERQUEUE' then 'enter'
            when event_name in ('CONNECT', 'RINGNOANSWER') then 'middle'
            when event_name in (
                'COMPLETECALLER', 'COMPLETEAGENT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY',
                'EXITWITHKEY', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER', 'LEAVEEMPTY'
            ) then 'outcome'
            when event_name in ('JOINEMPTY', 'FULL', 'CLOSED', 'DIVERT_CA_RATIO', 'DIVERT_HOLDTIME')
                then 'standalone'
        end as call_role,
        coalesce(event_name in (
            'ADDMEMBER', 'REMOVEMEMBER', 'PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL', 'AGENTLOGIN',
            'AGENTLOGOFF', 'AGENTCALLBACKLOGIN', 'AGENTCALLBACKLOGOFF', 'WRAPUPSTART'
        ), false) as is_agent_event,
        -- the data field each number lives in, by event layout
        case
            when event_name in ('CONNECT', 'COMPLETECALLER', 'COMPLETEAGENT') then data1
            when event_name in ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER') then data3
        end as holdtime_text,
        case
            when event_name in ('COMPLETECALLER', 'COMPLETEAGENT') then data2
            when event_name in ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER') then data4
        end as calltime_text,
        case
            when event_name in ('ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY') then data3
            when event_name = 'EXITWITHKEY' then data4
        end as waittime_text,
        case when event_name = 'WRAPUPSTART' then data1 end as wrapup_text,
        case when event_name in ('AGENTLOGOFF', 'AGENTCALLBACKLOGOFF') then data2 end as logintime_text
    from cleaned
),

typed as (
    select
        *,
        case
            -- epoch seconds, possibly fractional, are UTC; anything else is an ISO datetime
            -- (naive = var source_timezone)
            when {{ regex_matches('time_text', '^[0-9]+(\\.[0-9]+)?$') }}
                then {{ epoch_to_timestamp(hotline.try_cast('time_text', 'double')) }}
            else {{ parse_timestamp_utc('time_text') }}
        end as event_at,
        {{ parse_number('holdtime_text') }} as holdtime_seconds,
        {{ parse_number('calltime_text') }} as calltime_seconds,
        {{ parse_number('waittime_text') }} as waittime_seconds,
        {{ parse_number('wrapup_text') }} as wrapup_seconds,
        {{ parse_number('logintime_text') }} as logintime_seconds
    from classified
),

validated as (
    select
        *,
        case
            when is_blank then null
            when field_count < 5 then 'unsplittable_line'
            when time_text is null then 'missing_required:time'
            when event_name is null then 'missing_required:event'
            when event_at is null then 'unparseable:time'
            when {{ is_unparseable('holdtime_text', 'holdtime_seconds') }} then 'unparseable:holdtime'
            when {{ is_unparseable('calltime_text', 'calltime_seconds') }} then 'unparseable:calltime'
            when {{ is_unparseable('waittime_text', 'waittime_seconds') }} then 'unparseable:waittime'
            when {{ is_unparseable('wrapup_text', 'wrapup_seconds') }} then 'unparseable:wrapup_seconds'
            when {{ is_unparseable('logintime_text', 'logintime_seconds') }} then 'unparseable:logintime'
            when holdtime_seconds < 0 then 'negative:holdtime'
            when calltime_seconds < 0 then 'negative:calltime'
            when waittime_seconds < 0 then 'negative:waittime'
            when wrapup_seconds < 0 then 'negative:wrapup_seconds'
            when logintime_seconds < 0 then 'negative:logintime'
        end as reject_reason
    from typed
),

final as (
    select
        event_at,
        callid,
        queuename,
        agent,
        event_name,
        data1,
        data2,
        data3,
        data4,
        data5,
        call_role,
        is_agent_event,
        holdtime_seconds,
        calltime_seconds,
        waittime_seconds,
        wrapup_seconds,
        logintime_seconds,
        -- a line re-delivered in a later file (a growing queue_log delivered again) has the
        -- same identity and is superseded by its first delivery
        {{ text_md5("concat_ws('|', coalesce(cast(event_at as " ~ dbt.type_string() ~ "), time_text, ''), "
            ~ "coalesce(callid, ''), coalesce(queuename, ''), coalesce(agent, ''), coalesce(event_name, ''), "
            ~ "coalesce(data1, ''), coalesce(data2, ''), coalesce(data3, ''), coalesce(data4, ''), "
            ~ "coalesce(data5, ''))") }} as line_key,
        is_blank,
        reject_reason,
        raw_line,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
