"""Glue for the dbt Python models that run on both engines.

dbt-duckdb's `dbt.ref()` returns a DuckDB relation (`.df()`), dbt-spark's a Spark DataFrame
(`.toPandas()`); the models' statistics (hotline/analysis_stats.py) take a pandas frame.
"""

from __future__ import annotations

from typing import Any


def to_pandas(relation: Any):
    """The rows of a dbt.ref() / dbt.source() result as a pandas DataFrame, on either engine."""
    if hasattr(relation, "toPandas"):  # pyspark.sql.DataFrame
        return relation.toPandas()
    return relation.df()  # DuckDB relation


def from_arrow(table: Any, session: Any):
    """A model's pyarrow result as what the engine's materialization writes, types kept.

    dbt-duckdb writes an Arrow table as it is; dbt-spark needs a Spark DataFrame (Spark 4
    builds one from Arrow directly, so nullable columns keep their declared types).
    """
    if hasattr(session, "createDataFrame"):  # pyspark.sql.SparkSession
        return session.createDataFrame(table)
    return table
