-- One row per queue: the latest delivered configuration (staging keeps the latest delivery
-- per queue) with the configured defaults applied, plus an inferred member for every queue id
-- that contact legs reference but no queue snapshot describes (orphans are kept, not dropped).
with

stg_telephony__queues as (
    select * from {{ ref('stg_telephony__queues') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

configured_queues as (
    select
        queue_id,
        queue_name,
        channel,
        service_level_seconds,
        service_level_target,
        business_unit,
        updated_at,
        false as is_inferred
    from stg_telephony__queues
),

inferred_queues as (
    select distinct
        int_contact_legs.queue_id,
        'Unknown queue' as queue_name,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as double) as service_level_seconds,
        cast(null as double) as service_level_target,
        cast(null as {{ dbt.type_string() }}) as business_unit,
        cast(null as timestamp) as updated_at,
        true as is_inferred
    from int_contact_legs
    left join stg_telephony__queues
        on int_contact_legs.queue_id = stg_telephony__queues.queue_id
    where
        int_contact_legs.queue_id is not null
        and stg_telephony__queues.queue_id is null
),

all_queues as (
    select * from configured_queues
    union all
    select * from inferred_queues
),

final as (
    select
        queue_id,
        queue_name,
        channel,
        {{ hotline.queue_service_level_seconds('service_level_seconds') }} as service_level_seconds,
        {{ hotline.queue_service_level_target('service_level_target') }} as service_level_target,
        service_level_seconds is null as is_default_service_level_seconds,
        service_level_target is null as is_default_service_level_target,
        business_unit,
        updated_at,
        is_inferred
    from all_queues
)

select * from final
