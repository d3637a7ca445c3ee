{#-
  dbt docs catalog with row counts (issue 13: `make docs` shows column types and row counts).
  dbt-duckdb 1.11's catalog has no table statistics; these two macros override its own of the
  same names (root-project macros win) and add DuckDB's row count of each table
  (duckdb_tables().estimated_size: the stored row count of a checkpointed table) as the
  catalog statistic row_count. Views get none. Only `dbt docs generate` calls them.
-#}
{% macro duckdb__get_catalog_tables_sql(information_schema) -%}
    select *
    from (
        select
            t.database_name as table_database,
            t.schema_name as table_schema,
            t.table_name as table_name,
            'BASE TABLE' as table_type,
            t.comment as table_comment,
            t.estimated_size as table_row_count
        from duckdb_tables() as t
        where upper(t.database_name) = upper('{{ information_schema.database }}')

        union all

        select
            v.database_name as table_database,
            v.schema_name as table_schema,
            v.view_name as table_name,
            'VIEW' as table_type,
            v.comment as table_comment,
            null as table_row_count
        from duckdb_views() as v
        where upper(v.database_name) = upper('{{ information_schema.database }}')
    ) as catalog_tables
{%- endmacro %}

{% macro duckdb__get_catalog_results_sql() -%}
    select
        tables.table_database,
        tables.table_schema,
        tables.table_name,
        tables.table_type,
        tables.table_comment,
        columns.column_name,
        columns.column_index,
        columns.column_type,
        columns.column_comment,
        null as table_owner,
        'Row count' as "stats:row_count:label",
        tables.table_row_count as "stats:row_count:value",
        'Rows in the table when the docs were built' as "stats:row_count:description",
        tables.table_row_count is not null as "stats:row_count:include"
    from tables
    inner join columns using (table_database, table_schema, table_name)
    order by table_schema, table_name, column_index
{%- endmacro %}
