-- Queues inferred from the queue_log (spec: "Queues and agents directories are inferred from
-- the log when not delivered"), in the shape of raw.queues: one row per queue name that no
-- delivered telephony/queues snapshot lists, named after itself, channel voice, service
-- levels left to the configured defaults. Delivered under the first delivery that mentions
-- the queue; a snapshot delivered later wins (the later delivery). Agents need no rows here:
-- dim_agents already adds an inferred member for every agent id the facts reference.
with

stg_asterisk__queue_log as (
    select * from {{ ref('stg_asterisk__queue_log') }}
),

delivered_queues as (
    select * from {{ source('telephony', 'queues') }}
),

stg_landing__files as (
    select * from {{ ref('stg_landing__files') }}
),

log_queues as (
    select
        queuename as queue_id,
        min(first_seq) as first_seq
    from stg_asterisk__queue_log
    where line_role = 'call'
    group by queuename
),

inferred as (
    select
        *,
        row_number() over (partition by first_seq order by queue_id) as version_row
    from log_queues
    where not exists (
        select 1 from delivered_queues
        where trim(delivered_queues.queue_id) = log_queues.queue_id
    )
),

final as (
    select
        inferred.queue_id,
        inferred.queue_id as queue_name,
        'voice' as channel,
        cast(null as {{ dbt.type_string() }}) as service_level_seconds,
        cast(null as {{ dbt.type_string() }}) as service_level_target,
        cast(null as {{ dbt.type_string() }}) as business_unit,
        cast(null as {{ dbt.type_string() }}) as updated_at,
        stg_landing__files.source_file as _source_file,
        inferred.version_row as _source_row,
        stg_landing__files.batch_id as _batch_id,
        inferred.first_seq as _delivery_seq,
        stg_landing__files.loaded_at as _loaded_at
    from inferred
    inner join stg_landing__files
        on inferred.first_seq = stg_landing__files.delivery_seq
)

select * from final
