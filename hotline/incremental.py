"""When the nightly may build incrementally, and which build the serving file holds.

See docs/incremental.md. What changed in a build is dbt's alone (models/intermediate/changes,
and the processed-delivery mark `ops.dbt_incremental_state` its on-run-end hook keeps).
This module adds the two things dbt cannot know:

* a fingerprint of the project (models, macros, seeds, dbt_project.yml) and of the dbt vars:
  when either changed since the last build, rows the change sets know nothing about change,
  so the nightly rebuilds from scratch;
* which serving file the published marts came from (`ops.serving_state`): the publish step
  may patch the previous serving file with this build's changes only when that file holds
  exactly the previous build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from hotline.settings import PROJECT_DIR, Warehouse

FINGERPRINT_PATHS = ("models", "macros", "seeds", "dbt_project.yml")


def project_fingerprint(dbt_vars: dict | None, project_dir: Path = PROJECT_DIR) -> str:
    """sha256 over the dbt vars and every file that shapes the models' rows."""
    digest = hashlib.sha256(json.dumps(dbt_vars or {}, sort_keys=True).encode())
    for name in FINGERPRINT_PATHS:
        root = project_dir / name
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                digest.update(path.relative_to(project_dir).as_posix().encode())
                digest.update(path.read_bytes())
    # a center's configuration CSVs (HOTLINE_CONFIG_DIR) replace seeds: they count as seeds
    from hotline.site_config import fingerprint_bytes

    digest.update(fingerprint_bytes())
    return digest.hexdigest()


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? "
        "and table_name = ?", [schema, table]).fetchone()[0])


def full_refresh_reason(warehouse: Warehouse | Path, fingerprint: str) -> str | None:
    """Why the next build must be a full refresh, or None when an incremental build is exact."""
    warehouse = Warehouse.of(warehouse)
    if not warehouse.working.exists():
        return None  # first build: dbt builds every model from scratch anyway
    con = warehouse.connect(read_only=True)
    try:
        if not _table_exists(con, "ops", "dbt_incremental_state"):
            return "no record of a complete incremental build"
        flagged = con.execute(
            "select bool_or(needs_full_refresh) from ops.dbt_incremental_state").fetchone()[0]
        if flagged is None or flagged:
            return "the last build was incomplete"
        if not _table_exists(con, "ops", "build_fingerprint"):
            return "no project fingerprint recorded"
        stored = con.execute("select fingerprint from ops.build_fingerprint").fetchone()
        if stored is None or stored[0] != fingerprint:
            return "models, macros, seeds or dbt vars changed since the last build"
        return None
    finally:
        con.close()


def record_fingerprint(warehouse: Warehouse | Path, fingerprint: str) -> None:
    con = Warehouse.of(warehouse).connect()
    try:
        con.execute("create schema if not exists ops")
        con.execute("create or replace table ops.build_fingerprint as "
                    "select ? as fingerprint, current_timestamp as recorded_at", [fingerprint])
    finally:
        con.close()


# --- publish ---------------------------------------------------------------------------------


def build_state(con: duckdb.DuckDBPyConnection, catalog: str = "working") -> dict | None:
    """prev_seq / new_seq / invocation of the last build in the attached working file.

    prev_seq is the mark the build started from (base_ops__last_build), new_seq the mark it
    recorded on completion (ops.dbt_incremental_state, written by dbt's on-run-end hook).
    None when the build was incomplete or its bookkeeping is missing.
    """
    from hotline.dbt_artifacts import Manifest, ManifestError

    try:
        start = Manifest.load().model("base_ops__last_build")
        prev_seq = con.execute(
            f"select processed_seq from {catalog}.{start.schema}.{start.table}").fetchone()[0]
        processed_seq, needs_full, invocation = con.execute(
            f"select processed_seq, needs_full_refresh, invocation_id "
            f"from {catalog}.ops.dbt_incremental_state").fetchone()
    except (duckdb.Error, TypeError, ManifestError):
        return None
    if needs_full:
        return None
    return {"prev_seq": prev_seq, "new_seq": processed_seq, "invocation": invocation}


def serving_seq(con: duckdb.DuckDBPyConnection, catalog: str = "working") -> int | None:
    """processed_seq of the build the current serving file was published from."""
    try:
        row = con.execute(f"select processed_seq from {catalog}.ops.serving_state").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def record_serving_seq(warehouse: Warehouse | Path, processed_seq: int | None) -> None:
    con = Warehouse.of(warehouse).connect()
    try:
        con.execute("create schema if not exists ops")
        con.execute("create or replace table ops.serving_state as "
                    "select cast(? as bigint) as processed_seq, current_timestamp as recorded_at",
                    [processed_seq])
    finally:
        con.close()
