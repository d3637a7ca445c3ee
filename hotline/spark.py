"""The same dbt project built by Apache Spark (README "Running on Spark").

Spark does the build; everything around it stays on the driver, as on DuckDB:

    land      `hotline land` into raw.* of the working DuckDB file (unchanged)
    export    raw.* -> parquet under <spark-dir>/raw/<table>/, registered as Spark's raw schema
    build     `dbt build --target spark` (dbt-spark, `session` method: a SparkSession in this
              process; local[2] by default, a cluster through HOTLINE_SPARK_MASTER)
    mirror    every table the build made (and the incremental mark) copied back into the
              working DuckDB file, so the audit and the publish read exactly what Spark built
    audit, publish   unchanged (Great Expectations and the serving file on DuckDB)

The Spark settings are the `spark` output of profiles/profiles.yml, rendered by dbt's own
profile renderer (env vars included): the session this module starts is the one dbt-spark's
`session` method picks up (`SparkSession.builder.getOrCreate()`), so one JVM serves the export,
every dbt invocation and the mirror of a process.

dbt-spark's `session` method has no runner for dbt Python models (its helpers submit to
Databricks). `register_session_python_runner()` adds one, `session`, that executes the model
code dbt compiled in this process's SparkSession; the two Python models select it with
`submission_method: session` (dbt_project.yml). On Databricks use its own helpers instead.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from hotline.settings import PROFILES_DIR, Warehouse

TARGET = "spark"
PROFILE = "hotline"
RAW_SCHEMA = "raw"
SUBMISSION_METHOD = "session"
# Schema and table names that reach SQL text (Spark DDL, DuckDB DDL) are checked against this.
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SparkSetupError(RuntimeError):
    """Spark is not installed, not configured, or a name is not a plain identifier."""


def _identifier(name: str) -> str:
    if not IDENTIFIER.fullmatch(name or ""):
        raise SparkSetupError(f"not a plain identifier: {name!r}")
    return name


def _quoted(name: str) -> str:
    """A DuckDB identifier, quoted."""
    return '"' + _identifier(name) + '"'


def spark_dir(warehouse_dir: Path) -> Path:
    """Where Spark keeps its tables, metastore and the exported raw parquet."""
    configured = os.environ.get("HOTLINE_SPARK_DIR")
    return Path(configured) if configured else Path(warehouse_dir) / "spark"


def profile_settings(warehouse_dir: Path) -> dict[str, str]:
    """server_side_parameters of the `spark` output of profiles/profiles.yml, rendered."""
    Warehouse.of(warehouse_dir).prepare()
    from dbt.config.profile import read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    set_invocation_context(os.environ)
    raw = read_profile(str(PROFILES_DIR))
    try:
        output = raw[PROFILE]["outputs"][TARGET]
    except KeyError as exc:
        raise SparkSetupError(f"profiles/profiles.yml has no '{TARGET}' output") from exc
    rendered = ProfileRenderer({}).render_data(output)
    settings = {str(k): str(v) for k, v in (rendered.get("server_side_parameters") or {}).items()}
    settings["spark.sql.ansi.enabled"] = "false"  # what dbt-spark forces on its connections
    return settings


def spark_session(warehouse_dir: Path):
    """The process's SparkSession with the profile's settings (created on first use)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - installed by `make setup`
        raise SparkSetupError("pyspark is not installed (make setup installs it)") from exc
    settings = profile_settings(warehouse_dir)
    spark_dir(warehouse_dir).mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def stop_spark_session() -> None:
    """Stop this process's SparkSession (and its JVM's metastore lock) if one is running."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover
        return
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


# --- raw: DuckDB -> parquet -> Spark ------------------------------------------------------------

@dataclass
class RawExport:
    tables: dict[str, int]  # raw table -> rows
    path: Path


def export_raw(warehouse_dir: Path) -> RawExport:
    """Write every raw.* table of the working DuckDB file to <spark-dir>/raw/<table>/ as parquet.

    A table is written to a new folder beside the old one and swapped in by rename, so a kill
    leaves the previous export whole. Raw is small next to what the build makes of it (text as
    delivered); the whole schema is exported every night (a delivery is immutable, so an
    append-only export by delivery_seq is the next step when this shows up in the timings).
    """
    from hotline.settings import duckdb_limits

    root = spark_dir(warehouse_dir) / RAW_SCHEMA
    root.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(Warehouse.of(warehouse_dir).working), read_only=True)
    tables: dict[str, int] = {}
    try:
        for setting, value in duckdb_limits().items():
            con.execute(f"set {setting} = '{value}'")
        names = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ? "
            "order by table_name", [RAW_SCHEMA]).fetchall()]
        for name in names:
            folder = root / _identifier(name)
            fresh = root / f".{name}.new"
            shutil.rmtree(fresh, ignore_errors=True)
            fresh.mkdir()
            target = fresh / "part-0.parquet"
            # the path is a bound parameter; the table name a checked identifier
            con.execute(
                f"copy (select * from {RAW_SCHEMA}.{_quoted(name)}) to "
                f"'{_sql_path(target)}' (format parquet)")
            tables[name] = con.execute(
                f"select count(*) from {RAW_SCHEMA}.{_quoted(name)}").fetchone()[0]
            stale = root / f".{name}.old"
            shutil.rmtree(stale, ignore_errors=True)
            if folder.exists():
                folder.rename(stale)
            fresh.rename(folder)
            shutil.rmtree(stale, ignore_errors=True)
    finally:
        con.close()
    return RawExport(tables=tables, path=root)


def _sql_path(path: Path) -> str:
    """A local path as a DuckDB string literal body (COPY ... TO takes no bound parameter)."""
    text = str(Path(path).resolve())
    if "'" in text or "\\" in text or "\n" in text:
        raise SparkSetupError(f"unsupported character in path {text!r}")
    return text


def register_raw(session, export: RawExport) -> None:
    """(Re)register every exported table as <raw>.<table> in Spark's catalog (external parquet).

    Dropped and created again each time: landing may add a column (an extra column a file
    delivered) and Spark reads a parquet table's schema when the table is created.
    """
    session.sql(f"create database if not exists {RAW_SCHEMA}")
    existing = {row.tableName for row in session.sql(f"show tables in {RAW_SCHEMA}").collect()}
    for name in export.tables:
        relation = f"{RAW_SCHEMA}.{_identifier(name)}"
        if name.lower() in existing:
            session.sql(f"drop table {relation}")
        session.catalog.createTable(relation, path=str((export.path / name).resolve()),
                                    source="parquet")


def load_raw(warehouse_dir: Path) -> RawExport:
    """Export the landed raw schema and register it in Spark (`hotline spark-load`)."""
    export = export_raw(warehouse_dir)
    register_raw(spark_session(warehouse_dir), export)
    return export


# --- dbt Python models on the session method ----------------------------------------------------

class SessionPythonJobHelper:
    """Runs a dbt Python model's compiled code in this process's SparkSession.

    dbt-spark compiles the model plus its own materialization code (model() called with a
    `dbt` object whose ref() returns Spark DataFrames, the result written with saveAsTable);
    the code expects a global `spark`. This helper only supplies it. See the module docstring.
    """

    def __init__(self, parsed_model: dict, credentials: Any) -> None:
        self.parsed_model = parsed_model
        self.credentials = credentials

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        session = SparkSession.builder.getOrCreate()
        name = self.parsed_model.get("alias") or self.parsed_model.get("name", "model")
        code = compile(compiled_code, f"<dbt python model {name}>", "exec")
        exec(code, {"spark": session, "__name__": f"dbt_python_model_{name}"})  # noqa: S102


def register_session_python_runner() -> None:
    """Make `submission_method: session` available to dbt-spark in this process."""
    from dbt.adapters.spark.impl import SparkAdapter

    if getattr(SparkAdapter, "_hotline_session_runner", False):
        return
    original = SparkAdapter.python_submission_helpers

    def helpers(self):
        return {**original.fget(self), SUBMISSION_METHOD: SessionPythonJobHelper}

    SparkAdapter.python_submission_helpers = property(helpers)
    SparkAdapter._hotline_session_runner = True


# --- build on Spark and mirror the result -------------------------------------------------------

def run_spark_dbt(args: list[str], warehouse_dir: Path, dbt_vars: dict | None = None):
    """One dbt command against the spark target, in this process (BuildResult)."""
    from hotline.build import run_dbt

    spark_session(warehouse_dir)
    register_session_python_runner()
    return run_dbt([*args, "--target", TARGET], warehouse_dir, dbt_vars)


def build_on_spark(args: list[str], warehouse_dir: Path, dbt_vars: dict | None = None):
    """The build step on Spark: export and register raw, run dbt there, mirror the result.

    The mirror runs whatever dbt reported (a failing data test is the gate's finding, and the
    audit reads the mirrored tables); a model that failed leaves its previous table.
    """
    load_raw(warehouse_dir)
    result = run_spark_dbt(args, warehouse_dir, dbt_vars)
    if result.node_count:
        mirror_to_duckdb(warehouse_dir)
    return result


def built_relations(session) -> list[tuple[str, str]]:
    """(schema, table) of every model the dbt manifest defines that Spark holds, plus the
    incremental state table (ops.dbt_incremental_state)."""
    from hotline.dbt_artifacts import Manifest

    wanted = {(m.schema, m.table) for m in Manifest.load().models.values()}
    wanted.add(("ops", "dbt_incremental_state"))
    present = set()
    for schema in sorted({schema for schema, _ in wanted}):
        if not session.catalog.databaseExists(_identifier(schema)):
            continue
        present |= {(schema, table.name) for table in session.catalog.listTables(schema)
                    if not table.isTemporary}
    return sorted(wanted & present)


def mirror_to_duckdb(warehouse_dir: Path, relations: list[tuple[str, str]] | None = None,
                     target_db: Path | None = None) -> dict[str, int]:
    """Copy the tables Spark built into a DuckDB file (same schema and table names).

    `target_db` defaults to the working file, so the audit and the publish read what Spark
    built. A plain parquet table on a local path is read by DuckDB from its files (fast);
    anything else (a cluster's storage, Delta, Iceberg) through Spark as Arrow. Timestamps are
    UTC instants (the session time zone) and are stored as naive UTC TIMESTAMP, the warehouse's
    convention. Each table is replaced in one transaction.
    """
    session = spark_session(warehouse_dir)
    relations = relations if relations is not None else built_relations(session)
    copied: dict[str, int] = {}
    con = duckdb.connect(str(target_db or Warehouse.of(warehouse_dir).working))
    try:
        for schema, table in relations:
            name = f"{_identifier(schema)}.{_identifier(table)}"
            files = _local_parquet_files(session, name)
            con.execute("begin")
            con.execute(f"create schema if not exists {_quoted(schema)}")
            if files is not None:
                source = f"read_parquet({_sql_list(files)})"
            else:
                con.register("spark_table", _arrow_of(session, name))
                source = "spark_table"
            columns = con.execute(f"describe select * from {source}").fetchall()
            select = ", ".join(
                f"timezone('UTC', {_quoted(column)}) as {_quoted(column)}"
                if data_type.upper() in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
                else _quoted(column)
                for column, data_type, *_ in columns)
            con.execute(f"create or replace table {_quoted(schema)}.{_quoted(table)} as "
                        f"select {select} from {source}")
            if files is None:
                con.unregister("spark_table")
            con.execute("commit")
            copied[name] = con.execute(
                f"select count(*) from {_quoted(schema)}.{_quoted(table)}").fetchone()[0]
    finally:
        con.close()
    return copied


def _local_parquet_files(session, name: str) -> list[Path] | None:
    """The data files of a plain parquet table on a local path, or None."""
    details = {row.col_name: row.data_type
               for row in session.sql(f"describe table extended {name}").collect()}
    location = details.get("Location") or ""
    if (details.get("Provider") or "").lower() != "parquet" or not location.startswith("file:"):
        return None
    files = sorted(Path(location.removeprefix("file:")).glob("*.parquet"))
    return files or None


def _arrow_of(session, name: str):
    return session.table(name).toArrow()


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join(f"'{_sql_path(path)}'" for path in paths) + "]"
