-- One row per landed entity (contract and native): where every landed row went. Landing
-- recorded landed_rows; each is kept (in staging, or mapped for a native export), superseded
-- (a valid duplicate of a key whose later version was kept), quarantined, or for a native
-- export ignored or pending; malformed CSV lines never became rows and are counted apart.
{%- set entities = hotline.landing_entities() %}

with

stg_landing__files as (
    select * from {{ ref('stg_landing__files') }}
),

int_quarantined_rows as (
    select * from {{ ref('int_quarantined_rows') }}
),

int_native_placements as (
    select * from {{ ref('int_native_placements') }}
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
            -- rows a native adapter derived are reconciled under their native entity
            (
                select count(*) from {{ entity.base }}
                where _delivery_seq in {{ hotline.deliveries_of(entity.entity) }}
            ) as base_rows,
            (
                select count(*) from {{ entity.staging }}
                where _delivery_seq in {{ hotline.deliveries_of(entity.entity) }}
            ) as kept_rows,
            -- valid rows whose lineage is not among the kept rows
            (
                select count(*)
                from {{ entity.base }}
                left join {{ entity.staging }}
                    on
                        {{ entity.base }}._delivery_seq = {{ entity.staging }}._delivery_seq
                        and {{ entity.base }}._source_row = {{ entity.staging }}._source_row
                where
                    {{ entity.base }}.reject_reason is null and {{ entity.staging }}._source_row is null
                    and {{ entity.base }}._delivery_seq in {{ hotline.deliveries_of(entity.entity) }}
            ) as superseded_rows,
            0 as ignored_rows,
            0 as pending_rows
    ),

{% endfor -%}
native_placed as (
    -- native exports: every landed line or record is mapped, superseded, ignored (NONE /
    -- REALTIME or unlisted events, skipped channels), pending (held back) or quarantined
    {%- for entity, spec in hotline.native_entities().items() %}
        select
            '{{ spec.source }}' as source,  -- noqa: RF04
            '{{ entity }}' as entity,
            count(placement) as base_rows,
            count(case when placement = 'mapped' then 1 end) as kept_rows,
            count(case when placement = 'superseded' then 1 end) as superseded_rows,
            count(case when placement = 'ignored' then 1 end) as ignored_rows,
            count(case when placement = 'pending' then 1 end) as pending_rows
        -- one row even when nothing was delivered (aggregate without group by)
        from int_native_placements
        where entity = '{{ entity }}'
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

placed as (
    {% for entity in entities %}
        select * from placed_{{ entity.entity }}
        union all
    {% endfor %}
    select * from native_placed
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
        cast(coalesce(landed.failed_files, 0) as bigint) as failed_files,
        cast(placed.ignored_rows as bigint) as ignored_rows,
        cast(placed.pending_rows as bigint) as pending_rows
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
        ignored_rows,
        pending_rows,
        (
            landed_rows = base_rows
            and landed_rows = kept_rows + superseded_rows + quarantined_rows + ignored_rows + pending_rows
            and malformed_lines = quarantined_malformed_lines
        ) as is_reconciled
    from joined
)

select * from final
