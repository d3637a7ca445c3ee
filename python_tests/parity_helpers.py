"""Comparing two builds of the published marts, row for row (the Spark parity test).

Two DuckDB files hold the same marts, one built by DuckDB, the other by Spark and mirrored
(hotline/spark.py). Every published table (models/marts, from the dbt manifest) must have the
same columns with the same types and the same multiset of rows. Doubles are compared at a
relative and absolute tolerance of 1e-9 (DOUBLE_TOLERANCE): the engines sum and multiply in
different orders, so the last bits of a double may differ; every other type must be equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

DOUBLE_TOLERANCE = 1e-9
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}


@dataclass
class TableDifference:
    table: str
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.table}: " + "; ".join(self.problems[:5])


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str):
    return con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = ? "
        "and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, table]).fetchall()


def _sort_key(row: tuple, float_positions: set[int]) -> tuple:
    key = []
    for position, value in enumerate(row):
        if value is None:
            key.append((0, ""))
        elif position in float_positions:
            key.append((1, "nan" if math.isnan(value) else f"{round(value, 6):+.6e}"))
        else:
            key.append((1, repr(value)))
    return tuple(key)


def _same_value(left, right, is_float: bool) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if is_float:
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=DOUBLE_TOLERANCE, abs_tol=DOUBLE_TOLERANCE)
    return left == right


def compare_tables(expected_db: Path, actual_db: Path, tables: list[str],
                   schema: str = "marts") -> list[TableDifference]:
    """Differences between the same tables of two DuckDB files (empty list: identical)."""
    con = duckdb.connect()
    con.execute(f"attach '{expected_db}' as expected (read_only)")
    con.execute(f"attach '{actual_db}' as actual (read_only)")
    differences = []
    try:
        for table in tables:
            found = TableDifference(table)
            left_columns = _columns(con, "expected", schema, table)
            right_columns = _columns(con, "actual", schema, table)
            if not left_columns or not right_columns:
                found.problems.append("missing in " + ("the expected build" if not left_columns
                                                      else "the actual build"))
                differences.append(found)
                continue
            if left_columns != right_columns:
                found.problems.append(f"columns differ: {left_columns} vs {right_columns}")
                differences.append(found)
                continue
            floats = {i for i, (_, data_type) in enumerate(left_columns)
                      if data_type.upper() in FLOAT_TYPES}
            quoted = f'{schema}."{table}"'
            left = sorted(con.execute(f"select * from expected.{quoted}").fetchall(),
                          key=lambda row: _sort_key(row, floats))
            right = sorted(con.execute(f"select * from actual.{quoted}").fetchall(),
                           key=lambda row: _sort_key(row, floats))
            if len(left) != len(right):
                found.problems.append(f"{len(left)} rows vs {len(right)}")
            for number, (a, b) in enumerate(zip(left, right, strict=False)):
                bad = [left_columns[i][0] for i in range(len(a))
                       if not _same_value(a[i], b[i], i in floats)]
                if bad:
                    names = [name for name, _ in left_columns]
                    found.problems.append(
                        f"sorted row {number}: {', '.join(bad)} differ "
                        f"({dict(zip(names, a, strict=True))} "
                        f"vs {dict(zip(names, b, strict=True))})")
                    if len(found.problems) >= 5:
                        break
            if found.problems:
                differences.append(found)
    finally:
        con.close()
    return differences
