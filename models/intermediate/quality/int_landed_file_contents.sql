-- What the warehouse holds of each landed file, per delivery: its rows (one per base-model
-- row) and the physical lines they span (line breaks occur only inside the contract's
-- multi-line text fields), and its malformed records and the lines they span.
-- dq_landed_files reconciles these against the control totals landing recorded.
{%- set entities = hotline.landing_entities() %}

with

{% for entity in entities %}
    {{ entity.base }} as (
        select * from {{ ref(entity.base) }}
    ),

{% endfor -%}
stg_landing__rejected_lines as (
    select * from {{ ref('stg_landing__rejected_lines') }}
),

rows_by_delivery as (
    {%- for entity in entities %}
        select
            _delivery_seq as delivery_seq,
            count(*) as raw_rows,
            sum(_physical_lines) as raw_row_lines
        from {{ entity.base }}
        group by _delivery_seq
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

rejected_by_delivery as (
    select
        delivery_seq,
        count(*) as raw_rejected_records,
        sum(1 + {{ hotline.line_breaks('raw_line') }}) as raw_rejected_lines
    from stg_landing__rejected_lines
    group by delivery_seq
),

deliveries as (
    select delivery_seq from rows_by_delivery
    union
    select delivery_seq from rejected_by_delivery
),

final as (
    select
        deliveries.delivery_seq,
        cast(coalesce(rows_by_delivery.raw_rows, 0) as bigint) as raw_rows,
        cast(coalesce(rows_by_delivery.raw_row_lines, 0) as bigint) as raw_row_lines,
        cast(coalesce(rejected_by_delivery.raw_rejected_records, 0) as bigint) as raw_rejected_records,
        cast(coalesce(rejected_by_delivery.raw_rejected_lines, 0) as bigint) as raw_rejected_lines
    from deliveries
    left join rows_by_delivery
        on deliveries.delivery_seq = rows_by_delivery.delivery_seq
    left join rejected_by_delivery
        on deliveries.delivery_seq = rejected_by_delivery.delivery_seq
)

select * from final
