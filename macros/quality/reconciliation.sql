{#-
  Row-level reconciliation of one source (tests/reconciliation/*): every landed row of each
  entity (one base row per raw row) ends in exactly one place — kept in staging, quarantined,
  or superseded (valid, not kept, and its key kept from another row) — no staged row lacks a
  base row, and every malformed line is quarantined. Returns the failing rows (empty =
  reconciled). dq_reconciliation publishes the same arithmetic as counts.
-#}
{% macro reconciliation_failures(source_name) -%}
    {%- set entities = hotline.landing_entities() | selectattr('source', 'equalto', source_name) | list %}
    with

    int_quarantined_rows as (
        select * from {{ ref('int_quarantined_rows') }}
    ),

    stg_landing__files as (
        select * from {{ ref('stg_landing__files') }}
    ),

    {% for entity in entities %}
    {%- set key = hotline.staging_grain(entity.entity) %}
    placements_{{ entity.entity }} as (
        select _delivery_seq as delivery_seq, _source_row as source_row, 'kept' as place
        from {{ ref(entity.staging) }}
        -- rows a native adapter derived are reconciled under their native entity
        where _delivery_seq in {{ hotline.deliveries_of(entity.entity) }}
        union all
        select delivery_seq, source_row, 'quarantined' as place
        from int_quarantined_rows
        where
            entity = '{{ entity.entity }}' and reason <> 'malformed_line'
            and delivery_seq in {{ hotline.deliveries_of(entity.entity) }}
        union all
        select base._delivery_seq, base._source_row, 'superseded' as place
        from {{ ref(entity.base) }} as base
        where
            base.reject_reason is null
            and base._delivery_seq in {{ hotline.deliveries_of(entity.entity) }}
            and not exists (
                select 1 from {{ ref(entity.staging) }} as kept
                where kept._delivery_seq = base._delivery_seq and kept._source_row = base._source_row
            )
            and exists (
                select 1 from {{ ref(entity.staging) }} as kept
                where {% for column in key %}kept.{{ column }} = base.{{ column }}{{ ' and ' if not loop.last }}{% endfor %}
            )
    ),

    failures_{{ entity.entity }} as (
        select
            '{{ entity.entity }}' as entity,
            coalesce(landed._delivery_seq, placements.delivery_seq) as delivery_seq,
            coalesce(landed._source_row, placements.source_row) as source_row,
            count(placements.place) as placement_count,
            count(landed._source_row) as landed_count
        from (
            select * from {{ ref(entity.base) }}
            where _delivery_seq in {{ hotline.deliveries_of(entity.entity) }}
        ) as landed
        full outer join placements_{{ entity.entity }} as placements
            on landed._delivery_seq = placements.delivery_seq and landed._source_row = placements.source_row
        group by 1, 2, 3
        having count(placements.place) <> 1 or count(landed._source_row) <> 1
    ),

    totals_{{ entity.entity }} as (
        -- what landing recorded per entity against what the base model holds
        select
            '{{ entity.entity }}' as entity,
            cast(null as bigint) as delivery_seq,
            cast(null as bigint) as source_row,
            (
                select count(*) from {{ ref(entity.base) }}
                where _delivery_seq in {{ hotline.deliveries_of(entity.entity) }}
            ) as placement_count,
            (
                select coalesce(sum(row_count), 0) from stg_landing__files
                where entity = '{{ entity.entity }}' and status = 'loaded'
            ) as landed_count
    ),

    malformed_{{ entity.entity }} as (
        select
            '{{ entity.entity }}' as entity,
            cast(null as bigint) as delivery_seq,
            cast(null as bigint) as source_row,
            (select count(*) from int_quarantined_rows where entity = '{{ entity.entity }}' and reason = 'malformed_line')
                as placement_count,
            (
                select coalesce(sum(rejected_line_count), 0) from stg_landing__files
                where entity = '{{ entity.entity }}' and status = 'loaded'
            ) as landed_count
    ),

    {% endfor %}
    failures as (
        {% for entity in entities %}
        select * from failures_{{ entity.entity }}
        union all
        select * from totals_{{ entity.entity }} where placement_count <> landed_count
        union all
        select * from malformed_{{ entity.entity }} where placement_count <> landed_count
        {{ 'union all' if not loop.last }}
        {% endfor %}
    )

    select * from failures
{%- endmacro %}
