"""When the nightly may build incrementally, and which build the serving file holds.

See docs/incremental.md. What changed in a build is dbt's alone (models/intermediate/changes,
and the processed-delivery mark `ops.dbt_incremental_state` its on-run-end hook keeps).
This module adds the two things dbt cannot know:

* a fingerprint of the project (models, macros, seeds, dbt_project.yml) and of the dbt vars:
  when the vars changed since the last build, rows the change sets know nothing about change,
  so the nightly rebuilds from scratch; when only project files changed, dbt compares the
  project with the manifest of the last complete build (`state:modified+`, kept in
  `<warehouse-dir>/dbt-state/`) and only the incremental models it names are rebuilt from
  scratch (every table and view model is rebuilt on every build anyway);
* which serving file the published marts came from (`ops.serving_state`): the publish step
  may patch the previous serving file with this build's changes only when that file holds
  exactly the previous build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
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


def vars_fingerprint(dbt_vars: dict | None) -> str:
    """sha256 of the dbt vars alone: a change may touch every model, so it rebuilds all."""
    return hashlib.sha256(json.dumps(dbt_vars or {}, sort_keys=True).encode()).hexdigest()


STATE_DIR = "dbt-state"  # under the warehouse dir: the manifest of the last complete build


def state_dir(warehouse: Warehouse | Path) -> Path:
    return Warehouse.of(warehouse).directory / STATE_DIR


@dataclass(frozen=True)
class BuildPlan:
    """How the next build must run, compared with the last complete build."""

    full_refresh_reason: str | None = None  # rebuild every model from scratch, and why
    state: Path | None = None  # project files changed: dbt compares with this manifest dir
    unchanged: bool = False  # project files and vars exactly as at the last complete build


def plan_build(warehouse: Warehouse | Path, fingerprint: str, vars_print: str) -> BuildPlan:
    """Full refresh, state-aware rebuild or plain incremental build (docs/incremental.md)."""
    warehouse = Warehouse.of(warehouse)
    if not warehouse.working.exists():
        return BuildPlan()  # first build: dbt builds every model from scratch anyway
    con = warehouse.connect(read_only=True)
    try:
        if not _table_exists(con, "ops", "dbt_incremental_state"):
            return BuildPlan("no record of a complete incremental build")
        flagged = con.execute(
            "select bool_or(needs_full_refresh) from ops.dbt_incremental_state").fetchone()[0]
        if flagged is None or flagged:
            return BuildPlan("the last build was incomplete")
        if not _table_exists(con, "ops", "build_fingerprint"):
            return BuildPlan("no project fingerprint recorded")
        columns = {row[0] for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'ops' and table_name = 'build_fingerprint'").fetchall()}
        stored = con.execute(
            "select fingerprint, "
            + ("vars_fingerprint" if "vars_fingerprint" in columns else "null")
            + " from ops.build_fingerprint").fetchone()
    finally:
        con.close()
    if stored is None:
        return BuildPlan("no project fingerprint recorded")
    if stored[0] == fingerprint:
        return BuildPlan(unchanged=True)
    if stored[1] != vars_print:
        return BuildPlan("dbt vars (or the build engine) changed since the last build")
    state = state_dir(warehouse)
    if not (state / "manifest.json").is_file():
        return BuildPlan("models, macros or seeds changed and the last build's manifest "
                         f"is not kept in {state}")
    return BuildPlan(state=state)


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? "
        "and table_name = ?", [schema, table]).fetchone()[0])


def record_fingerprint(warehouse: Warehouse | Path, fingerprint: str,
                       vars_print: str | None = None) -> None:
    """Remember the complete build: its fingerprints and (for state:modified) its manifest."""
    warehouse = Warehouse.of(warehouse)
    con = warehouse.connect()
    try:
        con.execute("create schema if not exists ops")
        con.execute("create or replace table ops.build_fingerprint as "
                    "select ? as fingerprint, ? as vars_fingerprint, "
                    "current_timestamp as recorded_at", [fingerprint, vars_print])
    finally:
        con.close()
    from hotline.dbt_artifacts import Manifest

    state = state_dir(warehouse)
    state.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.path()
    if manifest.is_file():
        temp = state / "manifest.json.tmp"
        shutil.copyfile(manifest, temp)
        os.replace(temp, state / "manifest.json")


def rebuild_modified(warehouse: Warehouse | Path, state: Path,
                     dbt_vars: dict | None) -> list[str]:
    """Drop the incremental models dbt finds modified (or downstream of a modification).

    `dbt ls --select state:modified+` compares the project with the last complete build's
    manifest (models, macros, seeds, configs); the incremental ones among the nodes it lists
    are dropped from the working file, so the build that follows creates them from scratch
    while every other incremental model takes only the new deliveries. Returns the names of
    all listed models (the publish step copies those marts whole instead of patching them).
    """
    from hotline.build import list_nodes
    from hotline.dbt_artifacts import Manifest

    names = list_nodes(["--select", "state:modified+", "--state", str(state),
                        "--resource-type", "model"], warehouse, dbt_vars)
    models = Manifest.load().models
    con = Warehouse.of(warehouse).connect()
    try:
        for name in names:
            model = models.get(name)
            if model is not None and model.materialized == "incremental":
                con.execute(f"drop table if exists {_quote(model.schema)}.{_quote(model.table)}")
    finally:
        con.close()
    return sorted(names)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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


def build_marks(working: Path) -> tuple[dict | None, int | None]:
    """(build_state, serving_seq) of a working file, read through a read-only attach."""
    con = duckdb.connect()
    try:
        con.execute("attach '" + str(working).replace("'", "''") + "' as working (read_only)")
        return build_state(con), serving_seq(con)
    finally:
        con.close()


def serving_holds_previous_build(build: dict | None, published: int | None) -> bool:
    """True when serving.duckdb holds the build this one started from: then this build's
    change models list every mart row not yet published (patch publish, incremental audit)."""
    return build is not None and build["prev_seq"] >= 0 and published == build["prev_seq"]


def record_serving_seq(warehouse: Warehouse | Path, processed_seq: int | None) -> None:
    con = Warehouse.of(warehouse).connect()
    try:
        con.execute("create schema if not exists ops")
        con.execute("create or replace table ops.serving_state as "
                    "select cast(? as bigint) as processed_seq, current_timestamp as recorded_at",
                    [processed_seq])
    finally:
        con.close()
