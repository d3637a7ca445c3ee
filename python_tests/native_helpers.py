"""Helpers for the native-adapter tests: hand-written export files -> land -> dbt build -> marts."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from hotline.build import run_dbt
from hotline.landing import land
from hotline.nightly import release_dbt_connections


def epoch(text: str) -> int:
    """'2026-03-02 09:00:00' (UTC) -> epoch seconds."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def ts(text: str) -> datetime:
    """'2026-03-02 09:00:00' -> naive datetime (how the warehouse stores UTC)."""
    return datetime.fromisoformat(text)


def queue_log_line(at: str, callid: str, queue: str, agent: str, event: str, *data) -> str:
    return "|".join([str(epoch(at)), callid, queue, agent, event, *[str(d) for d in data]])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def land_and_build(landing: Path, warehouse: Path, tmp_root: Path, full_refresh: bool = False,
                   dbt_vars: dict | None = None) -> list[str]:
    """Land every new file and run `dbt build` (models, seeds, data tests); return failures."""
    os.environ["DBT_TARGET_PATH"] = str(Path(tmp_root) / "target")
    os.environ["DBT_LOG_PATH"] = str(Path(tmp_root) / "logs")
    report = land(landing, warehouse)
    assert report.ok, report.files_failed
    args = ["build", "--quiet", "--exclude-resource-type", "unit_test"]
    if full_refresh:
        args.append("--full-refresh")
    try:
        result = run_dbt(args, warehouse, dbt_vars)
    finally:
        release_dbt_connections()
    return result.failures


class Marts:
    """Read-only queries on a built working file."""

    def __init__(self, warehouse: Path) -> None:
        self.con = duckdb.connect(str(Path(warehouse) / "hotline.duckdb"), read_only=True)

    def close(self) -> None:
        self.con.close()

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def one(self, sql: str, params: list | None = None) -> dict:
        found = self.rows(sql, params)
        assert len(found) == 1, f"expected one row, got {len(found)}: {sql} {params} {found}"
        return found[0]
