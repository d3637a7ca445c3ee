-- One row per survey response (response_id): valid records only, the later delivery wins.
with

base_survey__responses as (
    select * from {{ ref('base_survey__responses') }}
),

ranked as (
    select
        *,
        {{ latest_row_number('response_id', '_delivery_seq desc, _source_row desc') }} as row_rank
    from base_survey__responses
    where reject_reason is null
),

final as (
    select
        response_id,
        survey_type,
        contact_id,
        ticket_id,
        channel,
        sent_at,
        responded_at,
        score,
        issue_resolved,
        comment_masked,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from ranked
    where row_rank = 1
)

select * from final
