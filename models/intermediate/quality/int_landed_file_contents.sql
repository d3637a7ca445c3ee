-- What the warehouse holds of each landed file, per delivery: its rows (one per base-model
-- row) and the physical lines they span (line breaks occur only inside the contract's
-- multi-line text fields), and its malformed records and the lines they span.
-- A native export's rows are its raw records, each placed by its adapter (int_native_placements);
-- the contract rows an adapter derives from them carry the native delivery_seq, so a contract
-- entity counts only rows of its own deliveries.
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

stg_landing__files as (
    select * from {{ ref('stg_landing__files') }}
),

int_native_placements as (
    select * from {{ ref('int_native_placements') }}
),

contract_rows_by_delivery as (
    {%- for entity in entities %}
        select
            _delivery_seq as delivery_seq,
            count(*) as raw_rows,
            sum(_physical_lines) as raw_row_lines
        from {{ entity.base }}
        where
            _delivery_seq in (
                select files.delivery_seq
                from stg_landing__files as files
                where files.entity = '{{ entity.entity }}'
            )
        group by _delivery_seq
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

native_rows_by_delivery as (
    select
        delivery_seq,
        count(*) as raw_rows,
        -- a native record's lines are not tracked (landing records no physical lines)
        cast(null as bigint) as raw_row_lines
    from int_native_placements
    group by delivery_seq
),

rows_by_delivery as (
    select * from contract_rows_by_delivery
    union all
    select * from native_rows_by_delivery
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
