{#-
  PII handling. Raw phone numbers, account ids and emails never reach a published table:
  customers are identified by a salted hash, quarantined raw records are masked.
  The salt comes from HOTLINE_PII_SALT; the development default is labelled as such and
  the CLI warns when it is used. Portable: the engine-specific parts (SHA-256, global
  regexp replace) are the dispatched macros of cross_db.sql.
-#}

{% macro pii_salt() -%}
    {{ return(env_var('HOTLINE_PII_SALT', 'hotline-dev-salt-not-for-production')) }}
{%- endmacro %}

{#- Salted SHA-256 of a value (null stays null). -#}
{% macro hash_pii(value) -%}
    case when {{ value }} is not null then {{ hotline.sha256_hex(hotline.sql_string(hotline.pii_salt() ~ '|') ~ ' || ' ~ value) }} end
{%- endmacro %}

{#-
  Normalised phone number (spec): keep digits only; then drop a leading 0086, or a
  leading 86 from a 13-digit number. Empty result -> null.
-#}
{% macro normalize_phone(column) -%}
    {%- set digits = hotline.regexp_replace_all(column, '[^0-9]', '') -%}
    nullif(
        case
            when {{ digits }} like '0086%' then substr({{ digits }}, 5)
            when {{ digits }} like '86%' and length({{ digits }}) = 13 then substr({{ digits }}, 3)
            else {{ digits }}
        end,
        ''
    )
{%- endmacro %}

{#-
  Mask e-mail addresses and runs of 5+ digits (phones, account ids) in free text. The
  patterns are Jinja string literals, so their backslashes are doubled.
-#}
{% macro mask_pii_text(column) -%}
    {{ hotline.regexp_replace_all(
        hotline.regexp_replace_all(column, '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}', '***@***'),
        '\\+?\\d[\\d -]{3,}\\d', '***') }}
{%- endmacro %}
