-- One row per landed entity: where every landed row went. A row is kept (in staging),
-- superseded (a valid duplicate of a key whose later version was kept) or quarantined;
-- malformed CSV lines never became rows and are counted on their own.
{%- set entities = staging_entities() %}

with

{% for entity, spec in entities.items() %}
    raw_{{ entity }} as (
        select * from {{ source(spec.source, entity) }}
    ),

    {{ spec.base }} as (
        select * from {{ ref(spec.base) }}
    ),

    {{ spec.staging }} as (
        select * from {{ ref(spec.staging) }}
    ),

{% endfor -%}
stg_quality__quarantined_rows as (
    select * from {{ ref('stg_quality__quarantined_rows') }}
),

rejected_lines as (
    select * from {{ source('landing', '_rejected_lines') }}
),

manifest as (
    select * from {{ source('landing', '_manifest') }}
),

stg_quality__native_placements as (
    select * from {{ ref('stg_quality__native_placements') }}
),

{% for entity, spec in entities.items() %}
    counts_{{ entity }} as (
        select
            -- `source` is the published column name (a keyword in some dialects)
            '{{ spec.source }}' as source,  -- noqa: RF04
            '{{ entity }}' as entity,
            (select count(*) from raw_{{ entity }}) as landed_rows,
            (
                select count(*) from {{ spec.staging }}
                where _delivery_seq in {{ deliveries_of(entity) }}
            ) as kept_rows,
            -- valid rows whose lineage is not among the kept rows
            (
                select count(*)
                from {{ spec.base }}
                left join {{ spec.staging }}
                    on
                        {{ spec.base }}._delivery_seq = {{ spec.staging }}._delivery_seq
                        and {{ spec.base }}._source_row = {{ spec.staging }}._source_row
                where
                    {{ spec.base }}.reject_reason is null and {{ spec.staging }}._source_row is null
                    and {{ spec.base }}._delivery_seq in {{ deliveries_of(entity) }}
            ) as superseded_rows,
            (
                select count(*) from stg_quality__quarantined_rows
                where entity = '{{ entity }}' and reason <> 'malformed_line'
            ) as quarantined_rows,
            (
                select count(*) from rejected_lines
                where entity = '{{ entity }}'
            ) as malformed_lines,
            (
                select count(*) from stg_quality__quarantined_rows
                where entity = '{{ entity }}' and reason = 'malformed_line'
            ) as quarantined_malformed_lines,
            (
                select count(distinct source_file) from manifest
                where entity = '{{ entity }}' and status = 'failed'
            ) as failed_files,
            0 as ignored_rows,
            0 as pending_rows
    ),

{% endfor -%}
native_counts as (
    -- native exports (asterisk/, amazon_connect/, zendesk/): every landed line or record is
    -- mapped, superseded, ignored, pending (held back) or quarantined
    {%- for entity, spec in native_entities().items() %}
        select
            '{{ spec.source }}' as source,  -- noqa: RF04
            '{{ entity }}' as entity,
            count(placements.placement) as landed_rows,
            count(case when placements.placement = 'mapped' then 1 end) as kept_rows,
            count(case when placements.placement = 'superseded' then 1 end) as superseded_rows,
            count(case when placements.placement = 'quarantined' then 1 end) as quarantined_rows,
            0 as malformed_lines,
            0 as quarantined_malformed_lines,
            (
                select count(distinct manifest.source_file) from manifest
                where manifest.entity = '{{ entity }}' and manifest.status = 'failed'
            ) as failed_files,
            count(case when placements.placement = 'ignored' then 1 end) as ignored_rows,
            count(case when placements.placement = 'pending' then 1 end) as pending_rows
        -- one row even when nothing was delivered (aggregate without group by)
        from stg_quality__native_placements as placements
        where placements.entity = '{{ entity }}'
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

unioned as (
    {% for entity in entities %}
        select * from counts_{{ entity }}
        union all
    {% endfor %}
    select * from native_counts
),

final as (
    select
        source,
        entity,
        landed_rows,
        kept_rows,
        superseded_rows,
        quarantined_rows,
        malformed_lines,
        quarantined_malformed_lines,
        failed_files,
        ignored_rows,
        pending_rows,
        (
            landed_rows = kept_rows + superseded_rows + quarantined_rows + ignored_rows + pending_rows
            and malformed_lines = quarantined_malformed_lines
        ) as is_reconciled
    from unioned
)

select * from final
