{{ config(**hotline.keyed_incremental('ticket_id')) }}
-- depends_on: {{ ref('base_ops__last_build') }}
-- One row per ticket (ticket_id), its current state: valid records only, the larger
-- updated_at wins, ties by the later delivery (landing contract).
with

base_ticketing__tickets as (
    select * from {{ ref('base_ticketing__tickets') }}
),

ranked as (
    select
        *,
        {{ latest_row_number('ticket_id', 'updated_at desc, _delivery_seq desc, _source_row desc') }} as row_rank
    from base_ticketing__tickets
    where
        base_ticketing__tickets.reject_reason is null  -- noqa: RF03
        -- incremental runs re-decide only keys delivered since the last build
        and {{ redelivered_keys_only('base_ticketing__tickets', ['ticket_id']) }}
),

final as (
    select
        ticket_id,
        created_at,
        updated_at,
        source_channel,
        origin_contact_id,
        customer_key,
        priority,
        category,
        status,
        assigned_group,
        assignee_agent_id,
        subject_masked,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ranked
    where row_rank = 1
)

select * from final
