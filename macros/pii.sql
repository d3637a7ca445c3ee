{#-
  PII handling. Raw phone numbers, account ids and emails never reach a published table:
  customers are identified by a salted hash, quarantined raw records are masked.
  The salt comes from HOTLINE_PII_SALT; the development default is labelled as such and
  the CLI warns when it is used.
-#}

{% macro pii_salt() -%}
    {{ return(env_var('HOTLINE_PII_SALT', 'hotline-dev-salt-not-for-production')) }}
{%- endmacro %}

{#- Salted SHA-256 of a value (null stays null). -#}
{% macro hash_pii(value) -%}
    {{ return(adapter.dispatch('hash_pii', 'hotline')(value)) }}
{%- endmacro %}
{% macro default__hash_pii(value) -%}
    case when {{ value }} is not null then sha256('{{ hotline.pii_salt() }}' || '|' || {{ value }}) end
{%- endmacro %}

{#-
  Normalised phone number (spec): keep digits only; then drop a leading 0086, or a
  leading 86 from a 13-digit number. Empty result -> null.
-#}
{% macro normalize_phone(column) -%}
    {{ return(adapter.dispatch('normalize_phone', 'hotline')(column)) }}
{%- endmacro %}
{% macro default__normalize_phone(column) -%}
    nullif(
        case
            when regexp_replace({{ column }}, '[^0-9]', '', 'g') like '0086%'
                then substr(regexp_replace({{ column }}, '[^0-9]', '', 'g'), 5)
            when regexp_replace({{ column }}, '[^0-9]', '', 'g') like '86%'
                and length(regexp_replace({{ column }}, '[^0-9]', '', 'g')) = 13
                then substr(regexp_replace({{ column }}, '[^0-9]', '', 'g'), 3)
            else regexp_replace({{ column }}, '[^0-9]', '', 'g')
        end,
        ''
    )
{%- endmacro %}

{#- Mask e-mail addresses and runs of 5+ digits (phones, account ids) in free text. -#}
{% macro mask_pii_text(column) -%}
    {{ return(adapter.dispatch('mask_pii_text', 'hotline')(column)) }}
{%- endmacro %}
{% macro default__mask_pii_text(column) -%}
    regexp_replace(
        regexp_replace({{ column }}, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '***@***', 'g'),
        '\+?\d[\d -]{3,}\d', '***', 'g'
    )
{%- endmacro %}
