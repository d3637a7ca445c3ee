{{ config(materialized='incremental', incremental_strategy='append') }}
-- One row per raw survey response: typed columns, the masked comment and the first
-- contract rule the record fails (reject_reason, null when valid).
{%- set survey_types = ['csat', 'nps', 'ces'] %}
{%- set yes_no = ['yes', 'no'] %}

with

survey_responses as (
    select * from {{ source('survey', 'survey_responses') }}
    {% if is_incremental() -%}
    -- append-only: a delivery is immutable, so only deliveries not yet validated are read
        where _delivery_seq > (select coalesce(max(_delivery_seq), -1) from {{ this }})  -- noqa: RF02
    {%- endif %}
),

cleaned as (
    select
        {{ clean_text('response_id') }} as response_id,
        {{ normalize_enum('survey_type') }} as survey_type,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ normalize_enum('channel') }} as channel,
        {{ clean_text('sent_at') }} as sent_at_text,
        {{ clean_text('responded_at') }} as responded_at_text,
        {{ clean_text('score') }} as score_text,
        {{ normalize_enum('issue_resolved') }} as issue_resolved_text,
        {{ clean_text('comment') }} as comment_text,
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
        {{ parse_timestamp_utc('sent_at_text') }} as sent_at,
        {{ parse_timestamp_utc('responded_at_text') }} as responded_at,
        {{ parse_number('score_text') }} as score,
        case issue_resolved_text when 'yes' then true when 'no' then false end as issue_resolved,
        {{ mask_pii_text('comment_text') }} as comment_masked
    from cleaned
),

validated as (
    select
        *,
        case
            when response_id is null then 'missing_required:response_id'
            when survey_type is null then 'missing_required:survey_type'
            when responded_at_text is null then 'missing_required:responded_at'
            when score_text is null then 'missing_required:score'
            when {{ is_unparseable('sent_at_text', 'sent_at') }} then 'unparseable:sent_at'
            when {{ is_unparseable('responded_at_text', 'responded_at') }} then 'unparseable:responded_at'
            when {{ is_unparseable('score_text', 'score') }} then 'unparseable:score'
            when {{ is_unknown_enum('survey_type', survey_types) }} then 'unknown_enum:survey_type'
            when {{ is_unknown_enum('issue_resolved_text', yes_no) }} then 'unknown_enum:issue_resolved'
            when score < 0 then 'negative:score'
            -- scales are whole points: csat 1-5, nps 0-10, ces 1-7
            when score <> floor(score) then 'out_of_range:score'
            when survey_type = 'csat' and score not between 1 and 5 then 'out_of_range:score'
            when survey_type = 'nps' and score not between 0 and 10 then 'out_of_range:score'
            when survey_type = 'ces' and score not between 1 and 7 then 'out_of_range:score'
        end as reject_reason
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
        issue_resolved,
        comment_masked,
        reject_reason,
        _source_file,
        _source_row,
        _batch_id,
        _delivery_seq,
        _loaded_at
    from validated
)

select * from final
