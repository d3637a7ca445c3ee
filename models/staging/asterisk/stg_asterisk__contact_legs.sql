-- One row per pass of a call through a queue (callid, queuename, pass_no), typed, following
-- the spec's mapping (source-adapters.md, "Mapping to contact legs"):
--   enqueued_at  the ENTERQUEUE time; without one: outcome time - calltime - holdtime
--                (answered) or - waittime (ABANDON / EXIT*), else the outcome time.
--                JOINEMPTY / FULL: offered and waited 0 s (the event time). CLOSED / DIVERT_*:
--                never offered (null), dated by the event time.
--   answered_at  enqueued_at + holdtime; ended_at answered_at + calltime (answered),
--                enqueued_at + waittime (ABANDON / EXIT*), the event time for the rest.
--   talk         calltime; hold null (queue_log records no customer hold); acw the
--                WRAPUPSTART seconds that follow the call for that agent.
-- Durations come from the data fields, never from differences of line timestamps.
-- is_complete: the pass has its outcome; a pending pass is held back (not a leg yet).
-- version_seq: the latest delivery that holds a line of this leg's call (or its wrap-up):
-- a leg is (re)delivered to the contract pipeline under that delivery.
{%- set answered = ['COMPLETECALLER', 'COMPLETEAGENT', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'] %}
{%- set waited = ['ABANDON', 'EXITWITHTIMEOUT', 'EXITEMPTY', 'EXITWITHKEY'] %}
{%- set never_offered = ['CLOSED', 'DIVERT_CA_RATIO', 'DIVERT_HOLDTIME'] %}

with

stg_asterisk__queue_log as (
    select * from {{ ref('stg_asterisk__queue_log') }}
),

call_lines as (
    select * from stg_asterisk__queue_log
    where line_role = 'call'
),

passes as (
    select
        callid,
        queuename,
        pass_no,
        max(close_order) is not null as is_complete,
        min(event_at) as first_line_at,
        min(case when call_role = 'enter' then event_at end) as enter_at,
        max(case when call_role = 'enter' then data2 end) as caller_id,
        max(case when line_order = close_order then event_name end) as close_event,
        max(case when line_order = close_order then event_at end) as close_at,
        max(case when line_order = close_order then holdtime_seconds end) as close_holdtime,
        max(case when line_order = close_order then calltime_seconds end) as calltime_seconds,
        max(case when line_order = close_order then waittime_seconds end) as waittime_seconds,
        max(case when line_order = close_order then agent_id end) as close_agent_id,
        max(case when line_order = connect_order then event_at end) as connect_at,
        max(case when line_order = connect_order then holdtime_seconds end) as connect_holdtime,
        max(case when line_order = connect_order then agent_id end) as connect_agent_id
    from call_lines
    group by callid, queuename, pass_no
),

call_versions as (
    -- every line of a call can change its legs (chain order, a late ENTERQUEUE)
    select
        callid,
        max(first_seq) as call_seq
    from call_lines
    group by callid
),

outcomes as (
    select
        *,
        close_event in ('{{ answered | join("', '") }}')
            as is_answered_outcome,
        close_event in ('{{ waited | join("', '") }}')
            as is_waited_outcome,
        coalesce(close_holdtime, connect_holdtime) as holdtime_seconds
    from passes
),

enqueued as (
    select
        *,
        case
            when close_event in ('CLOSED', 'DIVERT_CA_RATIO', 'DIVERT_HOLDTIME') then null
            when close_event in ('JOINEMPTY', 'FULL') then close_at
            when enter_at is not null then enter_at
            when is_answered_outcome
                then {{ add_seconds('close_at', '-(coalesce(calltime_seconds, 0) '
                    ~ '+ coalesce(holdtime_seconds, 0))') }}
            when is_waited_outcome then {{ add_seconds('close_at', '-coalesce(waittime_seconds, 0)') }}
            else close_at
        end as enqueued_at
    from outcomes
),

answered as (
    select
        *,
        case
            when is_answered_outcome
                then coalesce({{ add_seconds('enqueued_at', 'holdtime_seconds') }}, connect_at, enqueued_at)
        end as answered_at
    from enqueued
),

timed as (
    select
        *,
        coalesce(enqueued_at, close_at) as initiated_at,
        case
            when is_answered_outcome then coalesce({{ add_seconds('answered_at', 'calltime_seconds') }}, close_at)
            when is_waited_outcome then coalesce({{ add_seconds('enqueued_at', 'waittime_seconds') }}, close_at)
            else close_at
        end as ended_at,
        case
            when close_event = 'COMPLETECALLER' then 'customer_disconnect'
            when close_event = 'COMPLETEAGENT' then 'agent_disconnect'
            when close_event in ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER', 'EXITWITHKEY') then 'transfer'
            when close_event = 'ABANDON' then 'customer_disconnect'
            when close_event = 'EXITWITHTIMEOUT' then 'queue_timeout'
            -- EXITEMPTY, LEAVEEMPTY, JOINEMPTY, FULL (spec) and CLOSED, DIVERT_* (not offered)
            else 'system'
        end as disconnect_reason,
        case when is_answered_outcome then coalesce(close_agent_id, connect_agent_id) end as agent_id,
        'ast:' || callid || ':' || queuename || ':' || cast(pass_no as {{ dbt.type_string() }}) as contact_id
    from answered
),

chained as (
    -- all legs of one callid form one interaction, in the order they started (pending passes
    -- are not legs yet: they take no part in the chain)
    select
        timed.*,
        case
            when timed.is_complete then
                first_value(timed.contact_id) over (
                    partition by timed.callid, timed.is_complete
                    order by timed.initiated_at, timed.first_line_at, timed.queuename, timed.pass_no
                    rows between unbounded preceding and unbounded following
                )
        end as initial_contact_id,
        case
            when timed.is_complete then
                lag(timed.contact_id) over (
                    partition by timed.callid, timed.is_complete
                    order by timed.initiated_at, timed.first_line_at, timed.queuename, timed.pass_no
                )
        end as previous_contact_id
    from timed
),

agent_stream as (
    -- per agent: a CONNECT ends the previous call's wrap-up window, an answered outcome opens
    -- the call's own, and a WRAPUPSTART belongs to the call whose window is open
    select
        connect_agent_id as agent_id,
        coalesce(connect_at, close_at) as event_at,
        0 as event_rank,
        '#' as open_contact_id,
        cast(null as {{ dbt.type_string() }}) as wrapup_contact,
        cast(null as double) as wrapup_seconds,
        cast(null as bigint) as wrapup_seq,
        0 as wrapup_row
    from timed
    where connect_agent_id is not null and connect_at is not null
    union all
    select
        agent_id,
        close_at as event_at,
        1 as event_rank,
        contact_id as open_contact_id,
        null as wrapup_contact,
        null as wrapup_seconds,
        null as wrapup_seq,
        0 as wrapup_row
    from timed
    where is_complete and is_answered_outcome and agent_id is not null
    union all
    select
        agent_id,
        event_at,
        2 as event_rank,
        null as open_contact_id,
        'wrapup' as wrapup_contact,
        wrapup_seconds,
        first_seq as wrapup_seq,
        _source_row as wrapup_row
    from stg_asterisk__queue_log
    where event_name = 'WRAPUPSTART' and agent_id is not null
),

wrapups as (
    select
        *,
        {{ last_value_ignore_nulls('open_contact_id') }} over (
            partition by agent_id order by event_at, event_rank, wrapup_seq, wrapup_row
            rows between unbounded preceding and current row
        ) as current_contact_id
    from agent_stream
),

first_wrapups as (
    select
        current_contact_id as contact_id,
        wrapup_seconds,
        wrapup_seq,
        row_number() over (
            partition by current_contact_id order by event_at, wrapup_seq, wrapup_row
        ) as wrapup_rank
    from wrapups
    where wrapup_contact is not null and current_contact_id <> '#'
),

final as (
    select
        chained.contact_id,
        chained.initial_contact_id,
        chained.previous_contact_id,
        chained.callid,
        chained.queuename as queue_id,
        chained.pass_no,
        chained.caller_id as customer_number,
        chained.close_event,
        chained.initiated_at,
        chained.enqueued_at,
        chained.answered_at,
        chained.connect_at,
        chained.connect_agent_id,
        chained.agent_id,
        chained.ended_at,
        chained.disconnect_reason,
        chained.is_complete,
        case when chained.is_answered_outcome then chained.calltime_seconds end as talk_seconds,
        case when chained.is_answered_outcome then first_wrapups.wrapup_seconds end as acw_seconds,
        greatest(call_versions.call_seq, coalesce(first_wrapups.wrapup_seq, call_versions.call_seq)) as version_seq
    from chained
    inner join call_versions
        on chained.callid = call_versions.callid
    left join first_wrapups
        on
            chained.contact_id = first_wrapups.contact_id
            and first_wrapups.wrapup_rank = 1
)

select * from final
