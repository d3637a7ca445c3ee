-- One row per landed entity: where every landed row went. landing recorded landed_rows;
-- each is kept (in staging), superseded (a valid duplicate of a key whose later version was
-- kept) or quarantined; malformed CSV lines never became rows and are counted on their own.
{%- set entities = hotline.landing_entities() %}

with

stg_landing__files as (
    select * from {{ ref('stg_landing__files') }}
),

int_quarantined_rows as (
    select * from {{ ref('int_quarantined_rows') }}
),

{% for entity in entities %}
    {{ entity.base }} as (
        select * from {{ ref(entity.base) }}
    ),

    {{ entity.staging }} as (
        select * from {{ ref(entity.staging) }}
    ),

{% endfor -%}
landed as (
    select
        entity,
        sum(case when status = 'loaded' then row_count else 0 end) as landed_rows,
        sum(case when status = 'loaded' then rejected_line_count else 0 end) as malformed_lines,
        count(distinct case when status = 'failed' then source_file end) as failed_files
    from stg_landing__files
    group by entity
),

quarantined as (
    select
        entity,
        sum({{ hotline.flag("reason <> 'malformed_line'") }}) as quarantined_rows,
        sum({{ hotline.flag("reason = 'malformed_line'") }}) as quarantined_malformed_lines
    from int_quarantined_rows
    group by entity
),

{% for entity in entities %}
    placed_{{ entity.entity }} as (
        select
            -- `source` is the published column name (a keyword in some dialects)
            '{{ entity.source }}' as source,  -- noqa: RF04
            '{{ entity.entity }}' as entity,
            (select count(*) from {{ entity.base }}) as base_rows,
            (select count(*) from {{ entity.staging }}) as kept_rows,
            -- valid rows whose lineage is not among the kept rows
            (
                select count(*)
                from {{ entity.base }}
                left join {{ entity.staging }}
                    on
                        {{ entity.base }}._delivery_seq = {{ entity.staging }}._delivery_seq
                        and {{ entity.base }}._source_row = {{ entity.staging }}._source_row
                where {{ entity.base }}.reject_reason is null and {{ entity.staging }}._source_row is null
            ) as superseded_rows
    ),

{% endfor -%}
placed as (
    {% for entity in entities %}
        select * from placed_{{ entity.entity }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

joined as (
    select
        placed.source,
        placed.entity,
        cast(coalesce(landed.landed_rows, 0) as bigint) as landed_rows,
        cast(placed.base_rows as bigint) as base_rows,
        cast(placed.kept_rows as bigint) as kept_rows,
        cast(placed.superseded_rows as bigint) as superseded_rows,
        cast(coalesce(quarantined.quarantined_rows, 0) as bigint) as quarantined_rows,
        cast(coalesce(landed.malformed_lines, 0) as bigint) as malformed_lines,
        cast(coalesce(quarantined.quarantined_malformed_lines, 0) as bigint) as quarantined_malformed_lines,
        cast(coalesce(landed.failed_files, 0) as bigint) as failed_files
    from placed
    left join landed
        on placed.entity = landed.entity
    left join quarantined
        on placed.entity = quarantined.entity
),

final as (
    select
        source,
        entity,
        landed_rows,
        base_rows,
        kept_rows,
        superseded_rows,
        quarantined_rows,
        malformed_lines,
        quarantined_malformed_lines,
        failed_files,
        (
            landed_rows = base_rows
            and landed_rows = kept_rows + superseded_rows + quarantined_rows
            and malformed_lines = quarantined_malformed_lines
        ) as is_reconciled
    from joined
)

select * from final
