-- One row per interaction (grain: interaction_id) with the factors the driver analyses group
-- by (spec "Drivers of satisfaction and resolution"): total queue wait and total handle time
-- over its legs, their buckets (lower edges inclusive, macros/analysis_metrics.sql), whether it
-- was transferred (more than one leg), is_repeat and channel; plus its repeat / FCR / IVR flags
-- (read by interaction_kpi_counts()).
with

int_interactions as (
    select * from {{ ref('int_interactions') }}
),

int_contact_legs as (
    select * from {{ ref('int_contact_legs') }}
),

leg_totals as (
    select
        interaction_id,
        -- an interaction never queued waited 0 s in queue; a leg never handled adds no time
        coalesce(sum(case when is_offered then wait_seconds end), 0.0) as total_wait_seconds,
        coalesce(sum(case when is_handled then handle_seconds end), 0.0) as total_handle_seconds
    from int_contact_legs
    group by interaction_id
),

final as (
    select
        int_interactions.interaction_id,
        int_interactions.report_date,
        int_interactions.channel,
        int_interactions.handling_queue_id,
        int_interactions.leg_count,
        int_interactions.leg_count > 1 as is_transferred,
        int_interactions.ivr_entered,
        int_interactions.ivr_contained,
        int_interactions.is_repeat_eligible,
        int_interactions.is_repeat,
        int_interactions.fcr_eligible,
        int_interactions.is_fcr,
        int_interactions.is_fcr_final,
        cast(coalesce(leg_totals.total_wait_seconds, 0.0) as double) as total_wait_seconds,
        cast(coalesce(leg_totals.total_handle_seconds, 0.0) as double) as total_handle_seconds,
        {{ hotline.wait_bucket('coalesce(leg_totals.total_wait_seconds, 0.0)') }} as wait_bucket,
        {{ hotline.handle_bucket('coalesce(leg_totals.total_handle_seconds, 0.0)') }} as handle_bucket
    from int_interactions
    left join leg_totals
        on int_interactions.interaction_id = leg_totals.interaction_id
)

select * from final
