{{ config(**hotline.keyed_incremental('contact_id')) }}
-- depends_on: {{ ref('chg_contact_legs') }}
-- One row per contact leg with the spec's leg flags ("Contact legs"). The flags are defined
-- here and nowhere else; marts only aggregate them through macros/contact_metrics.sql.
with

stg_telephony__queues as (
    select * from {{ ref('stg_telephony__queues') }}
),

stg_telephony__contacts as (
    select * from {{ ref('stg_telephony__contacts') }}
    {% if is_incremental() -%}
    -- the legs delivered since the last build, and the built legs whose queue's threshold is
    -- no longer the one they were judged against (the latest queue snapshot applies to the
    -- queue's whole history, exactly as a full build does)
        where
            contact_id in (select changed.contact_id from {{ ref('chg_contact_legs') }} as changed)  -- noqa: RF02
            or contact_id in (
                select stored.contact_id
                from {{ this }} as stored
                left join stg_telephony__queues as queues
                    on stored.queue_id = queues.queue_id
                where
                    stored.service_level_seconds
                    is distinct from {{ hotline.queue_service_level_seconds('queues.service_level_seconds') }}
            )
    {%- endif %}
),

int_queue_business_clock as (
    select * from {{ ref('int_queue_business_clock') }}
),

legs as (
    select
        stg_telephony__contacts.*,
        {{ hotline.leg_interaction_id(
            'stg_telephony__contacts.initial_contact_id', 'stg_telephony__contacts.contact_id'
        ) }} as interaction_id,
        -- a leg belongs to the interval / date of enqueued_at; a leg never queued (outbound,
        -- IVR only) is placed by initiated_at so it still has a date
        coalesce(stg_telephony__contacts.enqueued_at, stg_telephony__contacts.initiated_at) as activity_at,
        {{ hotline.queue_service_level_seconds('stg_telephony__queues.service_level_seconds') }}
            as service_level_seconds
    from stg_telephony__contacts
    left join stg_telephony__queues
        on stg_telephony__contacts.queue_id = stg_telephony__queues.queue_id
),

opening_hours as (
    -- spec calendars.md: offered in hours when the leg's enqueued_at (initiated_at when not
    -- queued) falls in an open interval of its queue's schedule [open, close); a queue without
    -- a schedule (no clock rows) is always open
    select
        legs.*,
        coalesce(legs.activity_at < int_queue_business_clock.open_until_at, true) as is_offered_in_hours
    from legs
    left join int_queue_business_clock
        on
            legs.queue_id = int_queue_business_clock.queue_id
            and cast(legs.activity_at as date) = int_queue_business_clock.clock_date
            and legs.activity_at >= int_queue_business_clock.segment_start_at
            and legs.activity_at < int_queue_business_clock.segment_end_at
),

localised as (
    select
        *,
        {{ to_local('activity_at') }} as activity_local_at,
        -- rounded to the microsecond (the timestamps' precision): a difference of two large
        -- epoch doubles carries float noise (4.999 would come out as 4.99900007...)
        case
            when enqueued_at is not null
                then round({{ seconds_between('enqueued_at', 'coalesce(answered_at, ended_at)') }}, 6)
        end as wait_seconds
    from opening_hours
),

intervals as (
    select
        *,
        {{ interval_start_local('activity_local_at') }} as interval_start
    from localised
),

flagged as (
    select
        *,
        -- the UTC instant of the interval start: on a fall-back day the repeated local hour
        -- gives two intervals with one local label but two distinct instants
        {{ add_seconds('activity_at', '-' ~ seconds_between('interval_start', 'activity_local_at')) }}
            as interval_start_utc,
        enqueued_at is not null as is_offered,
        enqueued_at is not null and answered_at is not null as is_answered,
        enqueued_at is not null and answered_at is null
        and coalesce(disconnect_reason = 'customer_disconnect', false) as is_abandoned,
        -- an agent was connected, queued or not (outbound legs): what agent "handled" counts
        answered_at is not null as is_handled
    from intervals
),

final as (
    select
        contact_id,
        interaction_id,
        initial_contact_id,
        previous_contact_id,
        customer_key,
        queue_id,
        agent_id,
        channel,
        direction,
        dialed_number,
        initiated_at,
        ivr_ended_at,
        ivr_outcome,
        enqueued_at,
        answered_at,
        ended_at,
        disconnect_reason,
        wrap_code,
        interval_start,
        interval_start_utc,
        cast(activity_local_at as date) as report_date,
        {{ local_date('answered_at') }} as answered_date,
        service_level_seconds,
        is_offered,
        is_answered,
        is_abandoned,
        is_abandoned and wait_seconds < {{ hotline.checked_var('short_abandon_seconds') }} as is_short_abandoned,
        is_answered and wait_seconds <= service_level_seconds as is_answered_within_sl,
        is_abandoned and wait_seconds <= service_level_seconds as is_abandoned_within_sl,
        is_offered_in_hours,
        is_handled,
        wait_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        case
            when is_handled
                then coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(acw_seconds, 0)
        end as handle_seconds,
        is_answered and coalesce(disconnect_reason = 'transfer', false) as is_transferred_out,
        last_updated_at,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at,
        -- the dbt invocation that last (re)built the row: downstream models pick up this
        -- run's changes with it
        '{{ invocation_id }}' as _changed_in
    from flagged
)

select * from final
