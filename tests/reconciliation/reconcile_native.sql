-- Every delivered line or record of a native export (asterisk/, amazon_connect/, zendesk/)
-- has exactly one placement (mapped, superseded, ignored, pending or quarantined), and no
-- placement lacks its raw row. Returns the rows that break this.
{%- set entities = native_entities() %}

with

{% for entity, spec in entities.items() %}
    placements_{{ entity }} as (
        select * from {{ ref(spec.placements) }}
        where entity = '{{ entity }}'
    ),

    failures_{{ entity }} as (
        select
            '{{ entity }}' as entity,
            coalesce(landed._delivery_seq, placements._delivery_seq) as delivery_seq,
            coalesce(landed._source_row, placements._source_row) as source_row,
            count(placements.placement) as placement_count,
            count(landed._source_row) as landed_count
        from {{ source(spec.source, spec.table) }} as landed
        full outer join placements_{{ entity }} as placements
            on landed._delivery_seq = placements._delivery_seq and landed._source_row = placements._source_row
        group by 1, 2, 3
        having count(placements.placement) <> 1 or count(landed._source_row) <> 1
    ),

{% endfor -%}
failures as (
    {% for entity in entities %}
        select * from failures_{{ entity }}
        {{ 'union all' if not loop.last }}
    {% endfor %}
)

select * from failures
