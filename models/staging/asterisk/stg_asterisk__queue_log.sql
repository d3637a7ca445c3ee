-- One row per distinct valid queue_log line (the first delivered copy of a line; a copy of it
-- in a later delivery — the same growing queue_log delivered again — is superseded), with:
--   line_role   call (a call event on a real callid), agent (an agent event, any callid) or
--               ignored (callid NONE/REALTIME on a call event, or an event the spec does not list)
--   agent_id    the agent field normalised (seed asterisk_agent_ids, else the documented rule)
--   pass_no     for call lines: the pass of the call through the queue the line belongs to.
--               Lines of one (callid, queuename) are put in time order (ties: ENTERQUEUE,
--               RINGNOANSWER, CONNECT, outcome; then delivery and line number), so lines
--               written out of order in the file are read in the order they happened. Each
--               ENTERQUEUE or standalone event (JOINEMPTY, FULL, CLOSED, DIVERT_*) starts a
--               pass; lines before the first one (the log started mid-call) are pass 0.
--   close_order the line that closes the pass: its first outcome (or the standalone event);
--               null while the outcome is not delivered yet (the pass is pending).
{%- set ranks = {'ENTERQUEUE': 0, 'JOINEMPTY': 0, 'FULL': 0, 'CLOSED': 0, 'DIVERT_CA_RATIO': 0,
                 'DIVERT_HOLDTIME': 0, 'RINGNOANSWER': 1, 'CONNECT': 2} %}

with

base_asterisk__queue_log as (
    select * from {{ ref('base_asterisk__queue_log') }}
),

asterisk_agent_ids as (
    select * from {{ ref('asterisk_agent_ids') }}
),

valid_lines as (
    select
        *,
        -- identical lines within one delivery are distinct events: number them
        row_number() over (
            partition by _delivery_seq, line_key order by _source_row
        ) as occurrence
    from base_asterisk__queue_log
    where reject_reason is null and not is_blank
),

first_copies as (
    select
        *,
        min(_delivery_seq) over (partition by line_key, occurrence) as first_seq
    from valid_lines
),

canonical as (
    select
        first_copies.*,
        coalesce(
            asterisk_agent_ids.agent_id,
            {{ asterisk_agent_rule('first_copies.agent') }}
        ) as agent_id,
        case
            when first_copies.is_agent_event then 'agent'
            when
                first_copies.call_role is not null
                and upper(first_copies.callid) not in ('NONE', 'REALTIME')
                and upper(first_copies.queuename) <> 'NONE'
                then 'call'
            else 'ignored'
        end as line_role
    from first_copies
    left join asterisk_agent_ids
        on first_copies.agent = asterisk_agent_ids.agent_field
    where first_copies._delivery_seq = first_copies.first_seq
),

ordered as (
    select
        *,
        case
            when line_role = 'call' then
                row_number() over (
                    partition by line_role, callid, queuename
                    order by
                        event_at,
                        case event_name
                            {%- for ranked_event, rank in ranks.items() %}
                                when '{{ ranked_event }}' then {{ rank }}
                            {%- endfor %}
                            else 3
                        end,
                        first_seq,
                        _source_row
                )
        end as line_order
    from canonical
),

passes as (
    select
        *,
        case
            when line_role = 'call' then
                sum(case when call_role in ('enter', 'standalone') then 1 else 0 end) over (
                    partition by line_role, callid, queuename
                    order by line_order
                    rows between unbounded preceding and current row
                )
        end as pass_no
    from ordered
),

closed as (
    select
        *,
        min(case when call_role in ('outcome', 'standalone') then line_order end) over (
            partition by line_role, callid, queuename, pass_no
        ) as close_order
    from passes
),

connected as (
    select
        *,
        -- the first CONNECT of the pass before it closed (the answer)
        min(case when event_name = 'CONNECT' and line_order < coalesce(close_order, line_order + 1) then line_order end)
            over (partition by line_role, callid, queuename, pass_no) as connect_order
    from closed
),

final as (
    select
        event_at,
        callid,
        queuename,
        agent,
        agent_id,
        event_name,
        data1,
        data2,
        call_role,
        line_role,
        holdtime_seconds,
        calltime_seconds,
        waittime_seconds,
        wrapup_seconds,
        logintime_seconds,
        line_order,
        pass_no,
        close_order,
        connect_order,
        first_seq,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from connected
)

select * from final
