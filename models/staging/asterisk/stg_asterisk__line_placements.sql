-- Where every delivered queue_log line went (one row per raw line), for the reconciliation
-- and the quarantine: exactly one placement per line.
--   quarantined  it cannot be split, its time or a number it needs cannot be read (reason)
--   superseded   a copy of a line already delivered in an earlier file
--   ignored      blank; callid NONE/REALTIME on a call event; an event the spec does not
--                list; an agent event without an agent (counted, not quarantined: spec)
--   pending      a line of a pass whose outcome is not delivered yet (held back)
--   mapped       part of a contact leg or of an agent state
with

base_asterisk__queue_log as (
    select * from {{ ref('base_asterisk__queue_log') }}
),

stg_asterisk__queue_log as (
    select * from {{ ref('stg_asterisk__queue_log') }}
),

final as (
    select
        'asterisk' as source_system,
        'asterisk_queue_log' as entity,
        base_asterisk__queue_log._source_file,
        base_asterisk__queue_log._source_row,
        base_asterisk__queue_log._batch_id,
        base_asterisk__queue_log._delivery_seq,
        base_asterisk__queue_log._loaded_at,
        base_asterisk__queue_log.reject_reason as reason,
        base_asterisk__queue_log.raw_line as raw_record,
        case
            when base_asterisk__queue_log.reject_reason is not null then 'quarantined'
            when base_asterisk__queue_log.is_blank then 'ignored'
            when canonical._source_row is null then 'superseded'
            when canonical.line_role = 'ignored' then 'ignored'
            when canonical.line_role = 'agent' and canonical.agent_id is null then 'ignored'
            when canonical.line_role = 'call' and canonical.close_order is null then 'pending'
            else 'mapped'
        end as placement
    from base_asterisk__queue_log
    left join stg_asterisk__queue_log as canonical
        on
            base_asterisk__queue_log._delivery_seq = canonical._delivery_seq
            and base_asterisk__queue_log._source_row = canonical._source_row
)

select * from final
