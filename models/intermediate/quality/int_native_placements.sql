-- Every row of every native raw entity (asterisk/, amazon_connect/, zendesk/) and where it
-- went: mapped, superseded, ignored, pending or quarantined (with the reason and the masked
-- record). The union of each adapter's placement model (macros/native_adapters.sql,
-- native_entities), so the reconciliation and the quarantine cover the native sources.
{%- set entities = hotline.native_entities() %}

with

{% for placements in entities.values() | map(attribute='placements') | unique %}
    {{ placements }} as (
        select * from {{ ref(placements) }}
    ),

{% endfor -%}
unioned as (
    {% for entity, spec in entities.items() %}
        select
            source_system,
            entity,
            _source_file,
            _source_row,
            _batch_id,
            _delivery_seq,
            _loaded_at,
            placement,
            reason,
            raw_record
        from {{ spec.placements }}
        where entity = '{{ entity }}'
        {{ 'union all' if not loop.last }}
    {% endfor %}
),

final as (
    select
        source_system,
        entity,
        _source_file as source_file,
        _source_row as source_row,
        _batch_id as batch_id,
        _delivery_seq as delivery_seq,
        _loaded_at as loaded_at,
        placement,
        reason,
        -- a quarantined native record is shown masked like any quarantined line
        case when placement = 'quarantined' then {{ hotline.mask_pii_text('raw_record') }} end as raw_record
    from unioned
)

select * from final
