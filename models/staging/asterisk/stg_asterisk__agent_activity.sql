-- Agent state intervals from the queue_log (spec "Agent states from the same log"), typed:
-- one row per agent and uninterrupted state, no overlaps.
--   logged in   AGENTLOGIN/AGENTLOGOFF, AGENTCALLBACKLOGIN/LOGOFF (the agent) or ADDMEMBER/
--               REMOVEMEMBER (per queue): logged in while any of them is on. A logoff whose
--               login is not in the log opening at logoff time - logintime (its data field).
--   break       PAUSE(ALL) ... UNPAUSE(ALL); the pause reason maps to meeting or training
--               through the seed asterisk_pause_states (case-insensitive), else break
--   on_contact  CONNECT to the call's end (ended_at of the leg)
--   after_contact_work  WRAPUPSTART for its seconds
--   available   the rest of a logged-in span
-- Where they overlap: on_contact > after_contact_work > training > meeting > break > available.
-- A span still open at the end of the delivered data is closed at the watermark (the latest
-- line time of the queue_log). version_seq: the latest delivery holding a line that opening,
-- closing or falls inside the interval (the watermark's delivery for an interval it closes).

with

stg_asterisk__queue_log as (
    select * from {{ ref('stg_asterisk__queue_log') }}
),

stg_asterisk__contact_legs as (
    select * from {{ ref('stg_asterisk__contact_legs') }}
),

asterisk_pause_states as (
    select * from {{ ref('asterisk_pause_states') }}
),

watermark as (
    select
        max(event_at) as watermark_at,
        max(first_seq) as watermark_seq
    from stg_asterisk__queue_log
    where event_at = (select max(latest.event_at) from stg_asterisk__queue_log as latest)
),

agent_lines as (
    select
        *,
        row_number() over (partition by agent_id order by event_at, first_seq, _source_row) as agent_order
    from stg_asterisk__queue_log
    where line_role = 'agent' and agent_id is not null
),

login_events as (
    select
        agent_id,
        case when event_name in ('ADDMEMBER', 'REMOVEMEMBER') then coalesce(queuename, '') else '*' end as login_key,
        event_name in ('AGENTLOGIN', 'AGENTCALLBACKLOGIN', 'ADDMEMBER') as is_on,
        event_at,
        logintime_seconds,
        first_seq,
        agent_order
    from agent_lines
    where
        event_name in (
            'AGENTLOGIN', 'AGENTLOGOFF', 'AGENTCALLBACKLOGIN', 'AGENTCALLBACKLOGOFF', 'ADDMEMBER', 'REMOVEMEMBER'
        )
),

pause_events as (
    select
        agent_lines.agent_id,
        '*' as login_key,
        agent_lines.event_name in ('PAUSE', 'PAUSEALL') as is_on,
        agent_lines.event_at,
        cast(null as double) as logintime_seconds,
        agent_lines.first_seq,
        agent_lines.agent_order,
        coalesce(asterisk_pause_states.state, 'break') as pause_state
    from agent_lines
    left join asterisk_pause_states
        on lower(trim(agent_lines.data1)) = lower(trim(asterisk_pause_states.pause_reason))
    where agent_lines.event_name in ('PAUSE', 'PAUSEALL', 'UNPAUSE', 'UNPAUSEALL')
),

toggles as (
    select
        'logged_in' as kind,
        login_events.*,
        cast(null as {{ dbt.type_string() }}) as pause_state
    from login_events
    union all
    select
        'pause' as kind,
        pause_events.*
    from pause_events
),

toggle_changes as (
    -- a toggle that changes the state of its key: an "on" after "off" (or first), an "off"
    -- after "on" (or first: the log started while it was on)
    select
        *,
        lag(is_on) over (partition by kind, agent_id, login_key order by agent_order) as previous_on,
        min(case when not is_on then agent_order end) over (
            partition by kind, agent_id, login_key order by agent_order
            rows between 1 following and unbounded following
        ) as next_off_order
    from toggles
),

toggle_spans as (
    select
        opening.kind,
        opening.agent_id,
        case when opening.kind = 'pause' then opening.pause_state else 'logged_in' end as span_state,
        opening.event_at as started_at,
        opening.first_seq as start_seq,
        coalesce(closing.event_at, watermark.watermark_at) as ended_at,
        coalesce(closing.first_seq, watermark.watermark_seq) as end_seq
    from toggle_changes as opening
    cross join watermark
    left join toggle_changes as closing
        on
            opening.kind = closing.kind
            and opening.agent_id = closing.agent_id
            and opening.login_key = closing.login_key
            and opening.next_off_order = closing.agent_order
    where opening.is_on and not coalesce(opening.previous_on, false)
    union all
    -- a logoff whose login is not in the delivered log: logged in for its logintime
    select
        kind,
        agent_id,
        'logged_in' as span_state,
        {{ add_seconds('event_at', '-logintime_seconds') }} as started_at,
        first_seq as start_seq,
        event_at as ended_at,
        first_seq as end_seq
    from toggle_changes
    where kind = 'logged_in' and not is_on and previous_on is null and logintime_seconds is not null
),

call_spans as (
    select
        'call' as kind,
        legs.agent_id,
        'on_contact' as span_state,
        coalesce(legs.connect_at, legs.answered_at) as started_at,
        legs.version_seq as start_seq,
        legs.ended_at,
        legs.version_seq as end_seq
    from stg_asterisk__contact_legs as legs
    where legs.is_complete and legs.agent_id is not null and legs.answered_at is not null
    union all
    -- a call answered but not finished in the delivered data: on contact until the watermark
    select
        'call' as kind,
        legs.connect_agent_id as agent_id,
        'on_contact' as span_state,
        legs.connect_at as started_at,
        legs.version_seq as start_seq,
        watermark.watermark_at as ended_at,
        watermark.watermark_seq as end_seq
    from stg_asterisk__contact_legs as legs
    cross join watermark
    where not legs.is_complete and legs.connect_agent_id is not null and legs.connect_at is not null
    union all
    select
        'wrapup' as kind,
        agent_id,
        'after_contact_work' as span_state,
        event_at as started_at,
        first_seq as start_seq,
        {{ add_seconds('event_at', 'wrapup_seconds') }} as ended_at,
        first_seq as end_seq
    from agent_lines
    where event_name = 'WRAPUPSTART' and wrapup_seconds > 0
),

spans as (
    select
        agent_id,
        span_state,
        started_at,
        start_seq,
        ended_at,
        end_seq
    from toggle_spans
    union all
    select
        agent_id,
        span_state,
        started_at,
        start_seq,
        ended_at,
        end_seq
    from call_spans
),

boundaries as (
    -- +1 where a span opening, -1 where it closing, per span_state
    select
        agent_id,
        case when span_state = 'on_contact' then 1 else 0 end as d_on_contact,
        case when span_state = 'after_contact_work' then 1 else 0 end as d_after_contact_work,
        case when span_state = 'training' then 1 else 0 end as d_training,
        case when span_state = 'meeting' then 1 else 0 end as d_meeting,
        case when span_state = 'break' then 1 else 0 end as d_break,
        case when span_state = 'logged_in' then 1 else 0 end as d_logged_in,
        started_at as boundary_at,
        start_seq as boundary_seq
    from spans
    where ended_at > started_at
    union all
    select
        agent_id,
        case when span_state = 'on_contact' then -1 else 0 end as d_on_contact,
        case when span_state = 'after_contact_work' then -1 else 0 end as d_after_contact_work,
        case when span_state = 'training' then -1 else 0 end as d_training,
        case when span_state = 'meeting' then -1 else 0 end as d_meeting,
        case when span_state = 'break' then -1 else 0 end as d_break,
        case when span_state = 'logged_in' then -1 else 0 end as d_logged_in,
        ended_at as boundary_at,
        end_seq as boundary_seq
    from spans
    where ended_at > started_at
),

points as (
    select
        agent_id,
        boundary_at,
        sum(d_on_contact) as d_on_contact,
        sum(d_after_contact_work) as d_after_contact_work,
        sum(d_training) as d_training,
        sum(d_meeting) as d_meeting,
        sum(d_break) as d_break,
        sum(d_logged_in) as d_logged_in,
        max(boundary_seq) as boundary_seq
    from boundaries
    group by agent_id, boundary_at
),

open_counts as (
    -- how many spans of each span_state are open from this boundary to the next
    select
        agent_id,
        boundary_at,
        boundary_seq,
        sum(d_on_contact) over (partition by agent_id order by boundary_at rows unbounded preceding) as n_on_contact,
        sum(d_after_contact_work)
            over (partition by agent_id order by boundary_at rows unbounded preceding)
            as n_after_contact_work,
        sum(d_training) over (partition by agent_id order by boundary_at rows unbounded preceding) as n_training,
        sum(d_meeting) over (partition by agent_id order by boundary_at rows unbounded preceding) as n_meeting,
        sum(d_break) over (partition by agent_id order by boundary_at rows unbounded preceding) as n_break,
        sum(d_logged_in) over (partition by agent_id order by boundary_at rows unbounded preceding) as n_logged_in,
        lead(boundary_at) over (partition by agent_id order by boundary_at) as next_at,
        lead(boundary_seq) over (partition by agent_id order by boundary_at) as next_seq
    from points
),

segments as (
    -- the state of each stretch between two boundaries, by precedence
    select
        agent_id,
        boundary_at as started_at,
        next_at as ended_at,
        greatest(boundary_seq, next_seq) as segment_seq,
        case
            when n_on_contact > 0 then 'on_contact'
            when n_after_contact_work > 0 then 'after_contact_work'
            when n_training > 0 then 'training'
            when n_meeting > 0 then 'meeting'
            when n_break > 0 then 'break'
            when n_logged_in > 0 then 'available'
        end as state
    from open_counts
    where next_at is not null
),

islands as (
    select
        *,
        sum(case when state = previous_state and started_at = previous_ended_at then 0 else 1 end) over (
            partition by agent_id order by started_at rows between unbounded preceding and current row
        ) as island
    from (
        select
            *,
            lag(state) over (partition by agent_id order by started_at) as previous_state,
            lag(ended_at) over (partition by agent_id order by started_at) as previous_ended_at
        from segments
        where state is not null
    ) as stated
),

final as (
    select
        agent_id,
        min(state) as state,
        min(started_at) as started_at,
        max(ended_at) as ended_at,
        max(segment_seq) as version_seq
    from islands
    group by agent_id, island
)

select * from final
