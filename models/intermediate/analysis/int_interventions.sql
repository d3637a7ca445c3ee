-- One row per intervention of the seed `interventions`, with its resolved start date, the
-- compared windows and its control queues (spec "Interventions and their effect"):
--   * pre window: the var intervention_window_days local days before start_date; post window:
--     the same number of days from start_date;
--   * control group: the listed control queues, else (queue scope) every other queue of the
--     scope queue's channel in the queue directory; none for a center-wide intervention or a
--     channel scope without a list (all of that channel's queues are treated).
-- control_queue_list is ';q1;q2;' so membership is a plain position() test on ';<queue>;'.
-- A demo_ intervention without start_date starts var demo_intervention_offset_days after the
-- first local date with offered legs: the day `hotline generate --plant-intervention` plants it.
{%- set window_days = hotline.checked_var('intervention_window_days') %}
{%- set demo_offset = hotline.checked_var('demo_intervention_offset_days') %}
with

interventions as (
    select * from {{ ref('interventions') }}
),

stg_telephony__queues as (
    select * from {{ ref('stg_telephony__queues') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

first_data_date as (
    select min(report_date) as first_report_date
    from int_contact_legs
    where is_offered
),

cleaned as (
    select
        interventions.start_date as seed_start_date,
        {{ hotline.trim_text('interventions.intervention_id') }} as intervention_id,
        {{ hotline.trim_text('interventions.name') }} as intervention_name,
        lower({{ hotline.trim_text('interventions.scope_type') }}) as scope_type,
        case
            when lower({{ hotline.trim_text('interventions.scope_type') }}) = 'channel'
                then lower({{ hotline.trim_text('interventions.scope_id') }})
            else {{ hotline.trim_text('interventions.scope_id') }}
        end as scope_id,
        nullif(replace(interventions.control_queue_ids, ' ', ''), '') as listed_control_queue_ids
    from interventions
),

default_controls as (
    -- every other queue of the scope queue's channel
    select
        cleaned.intervention_id,
        {{ dbt.listagg('other_queues.queue_id', "';'", 'order by other_queues.queue_id') }} as queue_ids
    from cleaned
    inner join stg_telephony__queues as scope_queue
        on cleaned.scope_id = scope_queue.queue_id
    inner join stg_telephony__queues as other_queues
        on
            scope_queue.channel = other_queues.channel
            and scope_queue.queue_id <> other_queues.queue_id
    where cleaned.scope_type = 'queue' and cleaned.listed_control_queue_ids is null
    group by cleaned.intervention_id
),

resolved as (
    select
        cleaned.intervention_id,
        cleaned.intervention_name,
        cleaned.scope_type,
        cleaned.scope_id,
        cleaned.listed_control_queue_ids,
        coalesce(
            cleaned.seed_start_date,
            case
                when substring(cleaned.intervention_id, 1, 5) = 'demo_'
                    then cast({{ dbt.dateadd('day', demo_offset, 'first_data_date.first_report_date') }} as date)
            end
        ) as start_date,
        cleaned.seed_start_date is null as is_start_date_derived,
        case
            when cleaned.scope_type = 'center' then null
            when cleaned.listed_control_queue_ids is not null
                then {{ dbt.concat(["';'", 'cleaned.listed_control_queue_ids', "';'"]) }}
            when default_controls.queue_ids is not null
                then {{ dbt.concat(["';'", 'default_controls.queue_ids', "';'"]) }}
        end as control_queue_list
    from cleaned
    cross join first_data_date
    left join default_controls
        on cleaned.intervention_id = default_controls.intervention_id
),

final as (
    select
        intervention_id,
        intervention_name,
        start_date,
        is_start_date_derived,
        scope_type,
        scope_id,
        control_queue_list,
        control_queue_list is not null as has_control_group,
        cast({{ dbt.dateadd('day', -window_days, 'start_date') }} as date) as pre_start_date,
        cast({{ dbt.dateadd('day', -1, 'start_date') }} as date) as pre_end_date,
        start_date as post_start_date,
        cast({{ dbt.dateadd('day', window_days - 1, 'start_date') }} as date) as post_end_date
    from resolved
)

select * from final
