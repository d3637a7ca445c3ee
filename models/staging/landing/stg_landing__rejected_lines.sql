-- One row per CSV line the landing step could not parse (malformed), with its file, line
-- number and the parser's message. The raw line is masked downstream before publishing.
with

rejected_lines as (
    select * from {{ source('landing', '_rejected_lines') }}
),

final as (
    select
        entity,
        _source_file as source_file,
        _source_line as line_number,
        _batch_id as batch_id,
        _delivery_seq as delivery_seq,
        _loaded_at as loaded_at,
        error,
        raw_line
    from rejected_lines
)

select * from final
