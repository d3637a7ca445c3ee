{#-
  Overrides of dbt-spark macros (README "Running on Spark"). The root project's version of a
  dispatched dbt macro is found before the adapter's, so these replace dbt-spark's for this
  project only.
-#}

{#-
  Seeds on Spark. dbt-spark's own spark__load_csv_rows pastes every CSV value into the INSERT
  through the session method's Python `%` formatting: an empty value arrives as the text
  'None', and a quote or backslash in a center's configuration CSV (HOTLINE_CONFIG_DIR) would
  end the literal. This version (found first: the root project overrides the adapter's
  dispatched macros) renders each value as a checked SQL literal: null, a number, true/false,
  or a string escaped for Spark (hotline.sql_string).
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ hotline.seed_literal(value) }} as {{ types[loop.index0] }}){{ ', ' if not loop.last }}
                {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- One CSV value (as agate parsed it) as a SQL literal. -#}
{% macro seed_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is sameas true or value is sameas false -%}
        {{ return('true' if value else 'false') }}
    {%- elif value is number -%}
        {%- set text = value | string -%}
        {%- if not modules.re.fullmatch('-?[0-9]+([.][0-9]+)?([Ee][+-]?[0-9]+)?', text) -%}
            {{ exceptions.raise_compiler_error("seed value " ~ text[:40] ~ " is not a number") }}
        {%- endif -%}
        {{ return(text) }}
    {%- else -%}
        {{ return(hotline.sql_string(value)) }}
    {%- endif -%}
{%- endmacro %}

{#-
  dbt.listagg on Spark: dbt-spark ignores order_by_clause (collect_list has no order, so the
  list changed from run to run: int_interventions' control queues). Spark 4 has listagg ...
  WITHIN GROUP (ORDER BY ...), the ordered aggregate DuckDB's string_agg is.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg with limit_num is not implemented for Spark in this project") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
