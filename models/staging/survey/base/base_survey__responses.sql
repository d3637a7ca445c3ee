{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw survey-response record, typed and validated against the landing contract
-- (_survey__sources.yml) plus the survey scales (whole points: csat 1-5, nps 0-10, ces 1-7);
-- reject_reason is the first rule the record fails (null when valid), raw_record the masked
-- record for quarantine. Comments are kept masked only.
{%- set scale_rules = [
    ('score <> floor(score)', 'out_of_range:score'),
    ("survey_type = 'csat' and score not between 1 and 5", 'out_of_range:score'),
    ("survey_type = 'nps' and score not between 0 and 10", 'out_of_range:score'),
    ("survey_type = 'ces' and score not between 1 and 7", 'out_of_range:score'),
] %}

with

survey_responses as (
    select * from {{ source('survey', 'survey_responses') }}
    {{ hotline.new_deliveries_only() }}
),

cleaned as (
    select
        {{ hotline.contract_cleaned_columns('survey_responses') }},
        {{ hotline.contract_physical_lines('survey_responses') }} as _physical_lines,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from survey_responses
),

typed as (
    select
        *,
        {{ hotline.contract_parsed_columns('survey_responses') }}
    from cleaned
),

validated as (
    select
        *,
        {{ hotline.contract_reject_reason('survey_responses', scale_rules) }} as reject_reason
    from typed
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
        case issue_resolved when 'yes' then true when 'no' then false end as issue_resolved,
        {{ hotline.mask_pii_text('comment') }} as comment_masked,
        reject_reason,
        case when reject_reason is not null then {{ hotline.contract_quarantine_record('survey_responses') }} end
            as raw_record,
        case when reject_reason is not null then {{ hotline.contract_reason_detail('survey_responses') }} end
            as reason_detail,
        _physical_lines,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
