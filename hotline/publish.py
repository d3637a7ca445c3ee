"""Publish audited marts: build a new serving file beside the old one, then swap it in atomically.

The serving file `<warehouse-dir>/serving.duckdb` is never written in place. A new file
`serving.duckdb.tmp-<run_id>` receives a copy of every published table (the models of
models/marts, listed by the dbt manifest) plus the run history `dq_runs`, all in schema main; it is
checkpointed, closed and fsynced, then `os.replace`d onto serving.duckdb and the directory is
fsynced. On POSIX the rename is atomic: a reader sees the old file or the new one, never a
mix; readers that already hold the old file open keep reading their snapshot (the old inode
lives until they close it); and the nightly never waits on them. A crash at any point leaves
serving.duckdb as the last good version plus, at worst, a stale temp file that the next
nightly deletes (`remove_stale_temp_files`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from hotline.settings import Warehouse

SOURCE_SCHEMA = "marts"
RUNS_TABLE = "ops.runs"
RUNS_PUBLISHED_NAME = "dq_runs"
TEMP_MARKER = ".tmp-"


@dataclass
class PublishResult:
    path: Path
    tables: dict[str, int]  # table -> rows


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fsync_path(path: Path) -> None:
    """Flush a file's (or a directory's) data and metadata to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path(warehouse: Warehouse | Path, run_id: str) -> Path:
    target = Warehouse.of(warehouse).serving
    return target.with_name(f"{target.name}{TEMP_MARKER}{run_id}")


def remove_stale_temp_files(warehouse: Warehouse | Path) -> list[Path]:
    """Delete half-built serving files (and their WALs) left by an interrupted nightly.

    Only call while holding the nightly lock: then no live run owns any of them.
    """
    warehouse = Warehouse.of(warehouse)
    target = warehouse.serving
    removed = []
    for path in warehouse.directory.glob(f"{target.name}{TEMP_MARKER}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def published_table_names(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """The marts of the dbt project (models/marts) that the attached working file holds."""
    from hotline.dbt_artifacts import Manifest

    wanted = {model.table for model in Manifest.load().published_models()}
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = ? and table_schema = ? order by table_name",
        [catalog, SOURCE_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows if name in wanted]


def publish(
    warehouse: Warehouse | Path,
    run_id: str,
    run_updates: dict | None = None,
    rebuilt: frozenset[str] = frozenset(),
) -> PublishResult:
    """Copy the audited marts of the working file into a new serving file and swap it in.

    `run_updates` (column -> value) is applied to this run's row of dq_runs in the new file,
    so the published history already shows this run as published. `rebuilt` names models
    this build re-created from scratch (state:modified+): their marts are copied whole.
    """
    warehouse = Warehouse.of(warehouse)
    source = warehouse.working
    target = warehouse.serving
    temp = temp_path(warehouse, run_id)
    for leftover in (temp, temp.with_name(temp.name + ".wal")):
        leftover.unlink(missing_ok=True)

    tables: dict[str, int] = {}
    build = _patchable_build(source, target)
    if build is not None:
        build["rebuilt"] = rebuilt
        # Incremental publish: start from a file copy of the serving file (it holds exactly the
        # previous build) and replace only this build's rows of the large incremental marts.
        shutil.copyfile(target, temp)
    con = Warehouse.connect_file(temp)  # the profile's budget, as dbt has
    try:
        con.execute(f"attach {_literal(str(source))} as working (read_only)")
        names = published_table_names(con, "working")
        if build is not None:
            _patch_tables(con, names, build)
        for name in names:
            if build is None or name not in build["patched"]:
                con.execute(
                    f"create or replace table main.{_quote(name)} as "
                    f"select * from working.{SOURCE_SCHEMA}.{_quote(name)}"
                )
            tables[name] = con.execute(f"select count(*) from main.{_quote(name)}").fetchone()[0]
        has_runs = con.execute(
            "select count(*) from information_schema.tables "
            "where table_catalog = 'working' and table_schema = 'ops' and table_name = 'runs'"
        ).fetchone()[0]
        if has_runs:
            con.execute(
                f"create or replace table main.{RUNS_PUBLISHED_NAME} as "
                f"select * from working.{RUNS_TABLE} order by started_at"
            )
            if run_updates:
                assignments = ", ".join(f"{_quote(column)} = ?" for column in run_updates)
                con.execute(
                    f"update main.{RUNS_PUBLISHED_NAME} set {assignments} where run_id = ?",
                    [*run_updates.values(), run_id],
                )
            tables[RUNS_PUBLISHED_NAME] = con.execute(
                f"select count(*) from main.{RUNS_PUBLISHED_NAME}"
            ).fetchone()[0]
        _copy_comments(con, tables)
        con.execute("detach working")
        con.execute("checkpoint")
    finally:
        con.close()
    fsync_path(temp)
    os.replace(temp, target)
    fsync_path(target.parent)
    _record_serving_build(warehouse, source)
    return PublishResult(path=target, tables=tables)


def _copy_comments(con: duckdb.DuckDBPyConnection, tables: dict[str, int]) -> None:
    """Give every published table and column the comment its source carries in the working file.

    dbt writes each mart's YAML descriptions as comments (`persist_docs`), the nightly comments
    ops.runs; a table copied with `create table as` (or patched) loses or keeps stale ones, so
    they are copied again on every publish. The text is data: passed as an escaped literal
    (COMMENT ON takes no bound parameters), names as quoted identifiers.
    """
    sources = {name: (SOURCE_SCHEMA, name) for name in tables}
    if RUNS_PUBLISHED_NAME in tables:
        sources[RUNS_PUBLISHED_NAME] = tuple(RUNS_TABLE.split("."))
    con.execute("begin")
    for name, (schema, table) in sources.items():
        found = con.execute(
            "select comment from duckdb_tables() "
            "where database_name = 'working' and schema_name = ? and table_name = ?",
            [schema, table]).fetchone()
        if found and found[0]:
            con.execute(f"comment on table main.{_quote(name)} is {_literal(found[0])}")
        for column, comment in con.execute(
            "select column_name, comment from duckdb_columns() "
            "where database_name = 'working' and schema_name = ? and table_name = ? "
            "and comment is not null and comment <> ''",
            [schema, table]).fetchall():
            con.execute(f"comment on column main.{_quote(name)}.{_quote(column)} "
                        f"is {_literal(comment)}")
    con.execute("commit")


# --- incremental publish (DECISIONS.md, "Incremental nightly") ----------------------------

def _patchable_build(source: Path, target: Path) -> dict | None:
    """This build's change bookkeeping when serving.duckdb holds exactly the previous build."""
    from hotline.incremental import build_marks, serving_holds_previous_build

    if not target.exists():
        return None
    build, published = build_marks(source)
    if build is None or not serving_holds_previous_build(build, published):
        return None
    return {**build, "patched": set()}


def _patch_tables(con: duckdb.DuckDBPyConnection, names: list[str], build: dict) -> None:
    """Replace this build's rows of the incrementally built marts; drop tables no longer published.

    Which marts are patched, by which key, and the model listing this build's keys are
    declared in the marts' YAML (`meta.publish`), read from the dbt manifest.
    """
    from hotline.dbt_artifacts import Manifest

    patches = Manifest.load().publish_patches()
    existing = {name for (name,) in con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = 'main'").fetchall()}
    for name in existing - set(names) - {RUNS_PUBLISHED_NAME}:
        con.execute(f"drop table main.{_quote(name)}")
    for name in names:
        if name not in patches or name not in existing or name in build.get("rebuilt", ()):
            continue
        key, changes = patches[name]
        keys = f"working.{_quote(changes.schema)}.{_quote(changes.table)}"
        con.execute(f"delete from main.{_quote(name)} "
                    f"where {_quote(key)} in (select {_quote(key)} from {keys})")
        con.execute(f"insert into main.{_quote(name)} "
                    f"select * from working.{SOURCE_SCHEMA}.{_quote(name)} "
                    f"where {_quote(key)} in (select {_quote(key)} from {keys})")
        patched, built = (con.execute(f"select count(*) from {relation}").fetchone()[0]
                          for relation in (f"main.{_quote(name)}",
                                           f"working.{SOURCE_SCHEMA}.{_quote(name)}"))
        if patched == built:  # a cheap consistency check; otherwise copy the table whole
            build["patched"].add(name)


def _record_serving_build(warehouse: Warehouse, source: Path) -> None:
    """Remember which build serving.duckdb now holds (the next publish may patch it)."""
    from hotline.incremental import build_marks, record_serving_seq

    build, _ = build_marks(source)
    record_serving_seq(warehouse, build["new_seq"] if build else None)
