{#-
  Every dbt var of the project, declared once (DECISIONS.md, "Vars"). This YAML block is the
  single home of the rules: the CLI (hotline/var_schema.py) reads it between the markers and
  rejects a bad --vars with exit 2 before anything runs; dbt validates the same rules at the
  start of every run (on-run-start: validate_vars) and wherever a var is rendered into SQL
  (checked_var, timezone_literal), so `dbt build --vars ...` run directly is safe too.
  dbt_project.yml `vars:` holds the defaults; python_tests/test_vars.py fails when the two
  disagree.

  Adding a var: one line here (and its default in dbt_project.yml). Types:
    timezone  an IANA zone name (the CLI checks it with zoneinfo; dbt with a strict pattern)
    integer   a whole number (not a boolean), optional min / max / allowed
    number    an integer or a finite decimal, optional min / max
    choice    one of `allowed` (text)
    boolean   true / false
    date      YYYY-MM-DD text
    name      letters, digits, _ - . only, at most 128 characters, or empty (e.g. a JSON key)
-#}
{% macro var_schema() -%}
{%- set schema_yaml -%}
# hotline-var-schema:begin
reporting_timezone: {type: timezone}
source_timezone: {type: timezone}
interval_minutes: {type: integer, allowed: [15, 30, 60]}
default_service_level_seconds: {type: number, min: 0}
default_service_level_target: {type: number, min: 0, max: 1}
short_abandon_seconds: {type: number, min: 0}
service_level_formula: {type: choice, allowed: [exclude_short_abandons, all_offered, abandons_count_for]}
repeat_window_days: {type: integer, min: 1, max: 366}
long_contact_seconds: {type: number, min: 0}
volume_alert_stddevs: {type: number, min: 0}
volume_alert_weeks: {type: integer, min: 1, max: 52}
# forecast and staffing (spec planning-and-analysis.md "Settings")
forecast_horizon_days: {type: integer, min: 1, max: 62}
forecast_training_weeks: {type: integer, min: 1, max: 52}
forecast_backtest_weeks: {type: integer, min: 1, max: 12}
staffing_max_occupancy: {type: number, min: 0.000001, max: 1}
staffing_shrinkage: {type: number, min: 0, max: 0.999999}
staffing_model: {type: choice, allowed: [erlang_c, erlang_a]}
staffing_alert_weeks: {type: integer, min: 1, max: 12}
# intervention effects and drivers
intervention_window_days: {type: integer, min: 1, max: 3660}
demo_intervention_offset_days: {type: integer, min: 0, max: 3660}
# business calendars (spec calendars.md)
business_time_horizon_days: {type: integer, min: 1, max: 3660}
# native source adapters (spec source-adapters.md)
amazon_connect_queue_id: {type: choice, allowed: [name, arn]}
amazon_connect_wrap_code_attribute: {type: name}
# hotline-var-schema:end
{%- endset -%}
{{ return(fromyaml(schema_yaml)) }}
{%- endmacro %}

{#- A zone name: letters first, then letters, digits, _ + - and up to two /-separated parts.
    Nothing that can end a SQL string literal or start an expression passes. -#}
{% macro timezone_pattern() -%}
{{ return('[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}') }}
{%- endmacro %}

{#- The problem with `value` for var `name` under `spec`, or '' when it is valid. -#}
{% macro var_problem(name, value, spec) -%}
    {%- set kind = spec.get('type') -%}
    {%- set shown = (value | string)[:60] -%}
    {%- if kind == 'timezone' -%}
        {%- if value is not string or not modules.re.fullmatch(hotline.timezone_pattern(), value) -%}
            {{ return(name ~ " must be an IANA time zone such as Asia/Shanghai, got '" ~ shown ~ "'") }}
        {%- endif -%}
    {%- elif kind in ('integer', 'number') -%}
        {%- if value is boolean or value is not number
            or (kind == 'integer' and value is not integer)
            or value != value or value > 1e15 or value < -1e15 -%}
            {{ return(name ~ " must be " ~ ('a whole number' if kind == 'integer' else 'a number') ~ ", got '" ~ shown ~ "'") }}
        {%- endif -%}
        {%- if spec.get('min') is not none and value < spec['min'] -%}
            {{ return(name ~ " must be at least " ~ spec['min'] ~ ", got " ~ shown) }}
        {%- endif -%}
        {%- if spec.get('max') is not none and value > spec['max'] -%}
            {{ return(name ~ " must be at most " ~ spec['max'] ~ ", got " ~ shown) }}
        {%- endif -%}
    {%- elif kind == 'boolean' -%}
        {%- if value is not boolean -%}
            {{ return(name ~ " must be true or false, got '" ~ shown ~ "'") }}
        {%- endif -%}
    {%- elif kind == 'date' -%}
        {%- if value is not string or not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value) -%}
            {{ return(name ~ " must be a date YYYY-MM-DD, got '" ~ shown ~ "'") }}
        {%- endif -%}
    {%- elif kind == 'name' -%}
        {%- if value is not string or not modules.re.fullmatch('[A-Za-z0-9_.-]{0,128}', value) -%}
            {{ return(name ~ " must be a name of letters, digits, _ - . (or empty), got '" ~ shown ~ "'") }}
        {%- endif -%}
    {%- elif kind != 'choice' -%}
        {{ return("var " ~ name ~ " has an unknown type '" ~ kind ~ "' in macros/vars.sql") }}
    {%- endif -%}
    {%- if spec.get('allowed') is not none and value not in spec['allowed'] -%}
        {{ return(name ~ " must be one of " ~ (spec['allowed'] | join(', ')) ~ ", got '" ~ shown ~ "'") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- The value of a declared var, validated; a compiler error names the var otherwise. Use this
    (never var()) wherever a var reaches SQL or decides what SQL is generated. -#}
{% macro checked_var(name) -%}
    {%- set spec = hotline.var_schema().get(name) -%}
    {%- if spec is none -%}
        {{ exceptions.raise_compiler_error("var '" ~ name ~ "' is not declared in macros/vars.sql") }}
    {%- endif -%}
    {%- set value = var(name) -%}
    {%- set problem = hotline.var_problem(name, value, spec) -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error("invalid dbt var: " ~ problem) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- A validated time-zone var as a quoted SQL string literal. -#}
{% macro timezone_literal(name) -%}
    {%- set spec = hotline.var_schema().get(name) -%}
    {%- if spec is none or spec.get('type') != 'timezone' -%}
        {{ exceptions.raise_compiler_error("var '" ~ name ~ "' is not a declared timezone var") }}
    {%- endif -%}
    '{{ hotline.checked_var(name) }}'
{%- endmacro %}

{#- on-run-start: every declared var valid, and no --vars key that is not declared (a typo
    such as reporting_timzone would otherwise be ignored silently). Renders no SQL. -#}
{% macro validate_vars() -%}
    {%- set schema = hotline.var_schema() -%}
    {%- for name in schema -%}
        {%- do hotline.checked_var(name) -%}
    {%- endfor -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- if given is string -%}
        {%- set given = fromyaml(given) or {} -%}
    {%- endif -%}
    {%- for name in given if name not in schema -%}
        {{ exceptions.raise_compiler_error("unknown dbt var '" ~ name ~ "' (declared vars: " ~ (schema.keys() | list | sort | join(', ')) ~ ")") }}
    {%- endfor -%}
{%- endmacro %}
