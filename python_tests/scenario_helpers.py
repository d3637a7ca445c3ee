"""Helpers for end-to-end KPI scenarios: landing CSVs -> `hotline land` -> dbt build -> marts.

Used by test_kpi_scenarios.py. Each scenario writes tiny hand-made landing files, lands them
into a temporary warehouse, runs one dbt build (models, seeds and data tests; unit tests are
left to CI as in the nightly) and reads the marts from `<wh>/hotline.duckdb`.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb

from hotline import build as build_module
from hotline.build import run_dbt
from hotline.contract import ENTITIES
from hotline.landing import land

FOLDERS = {entity.name: entity.folder for entity in ENTITIES}
COLUMNS = {entity.name: entity.columns for entity in ENTITIES}


def write_csv(landing_dir: Path, entity: str, file_name: str, rows: list[dict],
              extra_lines: list[str] | None = None) -> Path:
    """Write rows (dicts) for a contract entity; missing columns are written empty.

    `extra_lines` are appended verbatim (for malformed CSV lines).
    """
    path = Path(landing_dir) / FOLDERS[entity] / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(COLUMNS[entity])
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"{entity}: not contract columns {sorted(unknown)}")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: ("" if row.get(column) is None else row[column])
                             for column in columns})
        for line in extra_lines or []:
            handle.write(line + "\n")
    return path


class Warehouse:
    """A landed and built temporary warehouse, queried read-only."""

    def __init__(self, warehouse_dir: Path, build_failures: list[str]):
        self.dir = Path(warehouse_dir)
        self.build_failures = build_failures
        self._con = duckdb.connect(str(self.dir / "hotline.duckdb"))

    def close(self) -> None:
        self._con.close()

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self._con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def one(self, sql: str, params: list | None = None) -> dict:
        result = self.rows(sql, params)
        assert len(result) == 1, f"expected one row, got {len(result)}: {sql} {params}"
        return result[0]

    def mart(self, table: str, **where) -> dict:
        """The single row of marts.<table> matching the equality filters."""
        clause = " and ".join(f"{column} = ?" for column in where) or "true"
        return self.one(f"select * from marts.{table} where {clause}", list(where.values()))

    def mart_rows(self, table: str, order_by: str = "1", **where) -> list[dict]:
        clause = " and ".join(f"{column} = ?" for column in where) or "true"
        return self.rows(f"select * from marts.{table} where {clause} order by {order_by}",
                         list(where.values()))


def land_and_build(landing_dir: Path, warehouse_dir: Path, tmp_root: Path,
                   dbt_vars: dict | None = None) -> Warehouse:
    """Land every file, run `dbt build` (no unit tests) and open the working file."""
    os.environ["DBT_TARGET_PATH"] = str(Path(tmp_root) / "target")
    os.environ["DBT_LOG_PATH"] = str(Path(tmp_root) / "logs")
    land(Path(landing_dir), Path(warehouse_dir))
    # HOTLINE_SCENARIO_PROJECT_DIR runs the scenarios against another checkout of the
    # project (e.g. an export of HEAD while models are being edited in the working tree).
    project = os.environ.get("HOTLINE_SCENARIO_PROJECT_DIR")
    if project:
        build_module.PROJECT_DIR = Path(project)
        build_module.PROFILES_DIR = Path(project) / "profiles"
    result = run_dbt(["build", "--quiet", "--exclude-resource-type", "unit_test"],
                     Path(warehouse_dir), dbt_vars)
    return Warehouse(warehouse_dir, result.failures)


def approx(value: float | None, expected: float | None, tol: float = 1e-6) -> bool:
    if expected is None or value is None:
        return value is expected
    return abs(value - expected) <= tol
