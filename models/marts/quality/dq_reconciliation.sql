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

{% for entity, spec in entities.items() %}
    counts_{{ entity }} as (
        select
            -- `source` is the published column name (a keyword in some dialects)
            '{{ spec.source }}' as source,  -- noqa: RF04
            '{{ entity }}' as entity,
            (select count(*) from raw_{{ entity }}) as landed_rows,
            (select count(*) from {{ spec.staging }}) as kept_rows,
            -- valid rows whose lineage is not among the kept rows
            (
                select count(*)
                from {{ spec.base }}
                left join {{ spec.staging }}
                    on
                        {{ spec.base }}._delivery_seq = {{ spec.staging }}._delivery_seq
                        and {{ spec.base }}._source_row = {{ spec.staging }}._source_row
                where {{ spec.base }}.reject_reason is null and {{ spec.staging }}._source_row is null
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
            ) as failed_files
    ),

{% endfor -%}
unioned as (
    {% for entity in entities %}
        select * from counts_{{ entity }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
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
        (
            landed_rows = kept_rows + superseded_rows + quarantined_rows
            and malformed_lines = quarantined_malformed_lines
        ) as is_reconciled
    from unioned
)

select * from final
