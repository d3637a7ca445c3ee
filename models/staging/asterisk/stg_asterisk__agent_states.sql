-- Agent states from the queue_log in the shape of raw.agent_states (contract columns as text,
-- then lineage), read by base_telephony__agent_states beside the delivered agent-state rows.
-- An interval is delivered again under a later delivery when a later line changes it (an
-- interval closed at the watermark gets its real end); the later delivery wins on
-- (agent_id, started_at), as for any re-delivered state.
with

stg_asterisk__agent_activity as (
    select * from {{ ref('stg_asterisk__agent_activity') }}
),

stg_landing__files as (
    select * from {{ ref('stg_landing__files') }}
),

activity as (
    select
        *,
        row_number() over (partition by version_seq order by agent_id, started_at) as version_row
    from stg_asterisk__agent_activity
),

final as (
    select
        activity.agent_id,
        activity.state,
        {{ utc_iso_text('activity.started_at') }} as started_at,
        {{ utc_iso_text('activity.ended_at') }} as ended_at,
        stg_landing__files.source_file as _source_file,
        activity.version_row as _source_row,
        stg_landing__files.batch_id as _batch_id,
        activity.version_seq as _delivery_seq,
        stg_landing__files.loaded_at as _loaded_at
    from activity
    inner join stg_landing__files
        on activity.version_seq = stg_landing__files.delivery_seq
)

select * from final
