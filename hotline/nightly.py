"""`hotline nightly`: land, build, audit, and only then publish (write-audit-publish).

    land     new landing files -> raw.* of the working file hotline.duckdb (per-file transactions)
    build    dbt build (models, unit and data tests) into the same working file
    audit    Great Expectations on the built file + dbt test outcomes, weighed by gate.yml
    publish  new serving file built beside serving.duckdb, fsynced, atomically renamed onto it

Exit codes (see NightlyError): 0 published; 1 other error (serving.duckdb untouched);
2 usage/configuration error; 3 gate blocked (serving.duckdb untouched, failures on stderr);
4 another nightly holds <warehouse-dir>/nightly.lock.

Crash safety: serving.duckdb is only ever replaced by rename, so a kill at any moment leaves the
last good version. The next run (the kernel has dropped the dead run's flock) deletes stale
temp files, marks the dead run 'failed' in the history, rebuilds with --full-refresh and ends
where an uninterrupted run would have: already-landed files are skipped by checksum, files the
dead run did not finish land again (each file is one transaction).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from rich.console import Console

from hotline.lock import LockBusy, nightly_lock
from hotline.settings import SettingError, Warehouse, duckdb_limits

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BLOCKED = 3
EXIT_LOCKED = 4

RUNS_DDL = """
create table if not exists ops.runs (
    run_id varchar primary key,
    started_at timestamp,
    finished_at timestamp,
    status varchar,           -- running (while it runs) | published | blocked | failed
                              -- | unchanged (nothing new: serving.duckdb kept as it was)
    batch_id varchar,
    files_landed bigint,
    files_failed bigint,
    rows_landed bigint,
    quarantined_rows bigint,
    checks bigint,
    gate_summary varchar,     -- json: counts per gate rule
    blocking_failures varchar,  -- json list of readable lines
    warnings varchar,         -- json list of readable lines
    message varchar,
    docs_path varchar
)"""
# Columns added after the first release: ALTERed into an older ops.runs.
RUNS_ADDED_COLUMNS = {
    "files_skipped": "bigint",  # names landing never loads (incomplete uploads, formats, folders)
    "skipped_files": "varchar",  # json list of "path (reason)"
    "failed_files": "varchar",  # json list of "path: reason"
}


# The run history's documentation: comments on ops.runs, which publish copies onto dq_runs
# (every published column carries its description; hotline/publish.py).
RUNS_TABLE_DOC = ("History of nightly runs (grain: run_id), newest run included: what landed, "
                  "what the quality gate found, whether the build was published. Times in UTC.")
RUNS_COLUMN_DOCS = {
    "run_id": "Nightly run id: UTC start time and a random suffix (YYYYMMDDTHHMMSSZ-xxxxxx).",
    "started_at": "When the run started (UTC).",
    "finished_at": "When the run ended (UTC); null while it runs or when it was killed.",
    "status": "running, published (serving.duckdb replaced), blocked (the quality gate "
              "stopped it) or failed (an error; serving.duckdb unchanged).",
    "batch_id": "Landing batch of the files this run landed.",
    "files_landed": "Landing files this run loaded.",
    "files_failed": "Landing files that could not be landed (retried next run).",
    "rows_landed": "Rows this run landed into raw.",
    "quarantined_rows": "Rows of this run's files rejected into dq_quarantined_rows.",
    "checks": "Quality-gate checks evaluated.",
    "gate_summary": "JSON: passed / failed checks per gate rule.",
    "blocking_failures": "JSON list of the failed checks that blocked the publish.",
    "warnings": "JSON list of the failed checks that only warn.",
    "message": "Error or status message of the run.",
    "docs_path": "Great Expectations Data Docs of the run's audit (path on the build machine).",
    "files_skipped": "Names in the landing directory never loaded (incomplete uploads, other "
                     "formats, other folders).",
    "skipped_files": "JSON list of the skipped names with the reason.",
    "failed_files": "JSON list of the files that failed to land, with the reason.",
}


class NightlyError(RuntimeError):
    """The nightly did not publish; `exit_code` says why (see module docstring)."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class NightlyOutcome:
    run_id: str
    status: str
    serving_path: Path | None = None
    tables: dict[str, int] = field(default_factory=dict)
    files_landed: int = 0
    files_failed: list[tuple[str, str]] = field(default_factory=list)
    files_ignored: list[str] = field(default_factory=list)  # "path (reason: text)"
    rows_landed: int = 0
    quarantined_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    docs_path: Path | None = None
    seconds: float = 0.0

    def __str__(self) -> str:
        lines = [
            f"nightly {self.run_id}: {self.status} in {self.seconds:.1f} s",
            f"  landed {self.files_landed} file(s), {self.rows_landed:,} rows; "
            f"quarantined {self.quarantined_rows:,}",
        ]
        if self.serving_path and self.status == "unchanged":
            lines.append(f"  {self.serving_path} unchanged (nothing new to publish)")
        elif self.serving_path:
            rows = sum(self.tables.values())
            lines.append(f"  published {len(self.tables)} tables ({rows:,} rows) "
                         f"to {self.serving_path}")
        lines += [f"  failed to land (will be retried): {message}"
                  for _, message in self.files_failed]
        lines += [f"  skipped, not loaded: {line}" for line in self.files_ignored]
        lines += [f"  {line}" for line in self.warnings]
        if self.docs_path:
            lines.append(f"  Data Docs: {self.docs_path}")
        return "\n".join(lines)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_run_id(now: datetime | None = None) -> str:
    return f"{(now or _now()):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def release_dbt_connections() -> None:
    """Close the DuckDB connection dbt-duckdb keeps open after an in-process dbtRunner run.

    dbt-duckdb holds one environment per process (`DuckDBConnectionManager._ENV`) whose handle
    keeps the working file open and write-locked; another component (GX, the publisher, a
    second process) must not find it locked.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a hard dependency
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        if env is not None:
            env.close()
        DuckDBConnectionManager._ENV = None
    import gc

    gc.collect()


# --- run history -----------------------------------------------------------------------------

def _connect_working(warehouse: Warehouse) -> duckdb.DuckDBPyConnection:
    con = warehouse.connect()
    con.execute("create schema if not exists ops")
    con.execute(RUNS_DDL)
    for column, data_type in RUNS_ADDED_COLUMNS.items():
        con.execute(f"alter table ops.runs add column if not exists {column} {data_type}")
    _comment_runs(con)
    return con


def _comment_runs(con: duckdb.DuckDBPyConnection) -> None:
    """Write RUNS_TABLE_DOC / RUNS_COLUMN_DOCS onto ops.runs where they are missing or stale."""
    from hotline.publish import _literal

    current = dict(con.execute(
        "select column_name, coalesce(comment, '') from duckdb_columns() "
        "where schema_name = 'ops' and table_name = 'runs'").fetchall())
    if all(current.get(column) == doc for column, doc in RUNS_COLUMN_DOCS.items()):
        return
    con.execute(f"comment on table ops.runs is {_literal(RUNS_TABLE_DOC)}")
    for column, doc in RUNS_COLUMN_DOCS.items():
        con.execute(f"comment on column ops.runs.{column} is {_literal(doc)}")


def record_run(warehouse: Warehouse | Path, run_id: str, **values) -> None:
    """Insert or update this run's row of ops.runs (short write transaction)."""
    warehouse = Warehouse.of(warehouse)
    con = _connect_working(warehouse)
    try:
        exists = con.execute("select count(*) from ops.runs where run_id = ?", [run_id]).fetchone()
        if not exists[0]:
            con.execute("insert into ops.runs (run_id) values (?)", [run_id])
        if values:
            assignments = ", ".join(f"{column} = ?" for column in values)
            con.execute(f"update ops.runs set {assignments} where run_id = ?",
                        [*values.values(), run_id])
    finally:
        con.close()


def unpublished_batches(warehouse: Warehouse | Path) -> tuple[str, ...]:
    """Landing batches since the last published run (blocked, killed or manual `hotline land`
    batches included), oldest first: the deliveries the gate has not let through yet."""
    warehouse = Warehouse.of(warehouse)
    con = _connect_working(warehouse)
    try:
        if not con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = '_batches'"
        ).fetchone()[0]:
            return ()
        rows = con.execute(
            """
            select batch_id from raw._batches
            where started_at > coalesce(
                (select max(finished_at) from ops.runs where status = 'published'),
                timestamp '1900-01-01'
            )
            order by started_at
            """
        ).fetchall()
    finally:
        con.close()
    return tuple(row[0] for row in rows)


def serving_is_current(warehouse: Warehouse, config, run_id: str,
                       now: datetime) -> tuple[str, str | None] | None:
    """(why serving.duckdb already holds everything this night would publish, the freshness
    warning or None), or None when the night must build, audit and publish.

    Current when the last nightly before this one published, no landing batch since then
    loaded a file (a manual `hotline land` counts), the last build is complete and is the one
    the serving file holds. The freshness rule is the one audit finding that changes with
    the clock alone: it is checked here; when it fails and blocks, the whole night runs (and
    is blocked by the audit), when it only warns, the warning is the night's result. The
    caller has checked that this night landed nothing, failed nothing, and that models,
    macros, seeds and vars are unchanged.
    """
    if not warehouse.serving.exists():
        return None
    con = _connect_working(warehouse)
    try:
        last = con.execute(
            "select run_id, status, finished_at from ops.runs "
            "where run_id <> ? and status <> 'unchanged' "
            "order by started_at desc nulls last limit 1", [run_id]).fetchone()
        if last is None or last[1] != "published" or last[2] is None:
            return None
        landed_since = con.execute(
            "select count(*) from raw._batches where started_at > ? and files_loaded > 0",
            [last[2]]).fetchone()[0]
        build = con.execute(
            "select processed_seq, needs_full_refresh from ops.dbt_incremental_state"
        ).fetchone()
        served = con.execute("select processed_seq from ops.serving_state").fetchone()
        if landed_since or build is None or build[1] or served is None \
                or served[0] != build[0]:
            return None
        stale = None
        if config.enabled("freshness"):
            from hotline.dbt_artifacts import Manifest

            watermark = Manifest.load().model("int_data_watermark")
            as_of = con.execute(
                f"select max(as_of) from {watermark.schema}.{watermark.table}").fetchone()[0]
            hours = float(config.rule("freshness").param("max_age_hours"))
            if as_of is None or (now - as_of).total_seconds() > hours * 3600:
                if config.severity("freshness") == "block":
                    return None
                stale = (f"[freshness] the data watermark (as_of) is at most {hours:g} h old: "
                         f"as_of {as_of}, checked {now:%Y-%m-%d %H:%M:%S} UTC")
    except (duckdb.CatalogException, RuntimeError):  # RuntimeError: ManifestError
        return None  # bookkeeping of an older version or no manifest: do the whole night
    finally:
        con.close()
    return f"serving.duckdb already holds run {last[0]}'s build", stale


def recover_interrupted_runs(warehouse: Warehouse | Path) -> list[str]:
    """Close the history rows of runs that died (status still 'running'); return their ids.

    Called under the lock, so a 'running' row belongs to a dead process. If the dead run got as
    far as swapping in its serving file, it did publish; otherwise it failed.
    """
    warehouse = Warehouse.of(warehouse)
    if not warehouse.working.exists():
        return []
    con = _connect_working(warehouse)
    try:
        dead = [row[0] for row in con.execute(
            "select run_id from ops.runs where status = 'running'").fetchall()]
        published = set()
        if dead and warehouse.serving.exists():
            try:
                reader = warehouse.connect_serving()
                try:
                    published = {row[0] for row in reader.execute(
                        "select run_id from dq_runs where status = 'published'").fetchall()}
                finally:
                    reader.close()
            except duckdb.Error:
                published = set()
        for run_id in dead:
            if run_id in published:
                con.execute("update ops.runs set status = 'published', message = "
                            "coalesce(message, 'published; history closed by the next run') "
                            "where run_id = ?", [run_id])
            else:
                con.execute(
                    "update ops.runs set status = 'failed', message = ? where run_id = ?",
                    [f"interrupted (process killed or crashed); detected {_now():%Y-%m-%d %H:%M:%S}"
                     " UTC by the next run", run_id])
        return dead
    finally:
        con.close()


def remove_stale_landing_scratch(warehouse: Warehouse | Path) -> None:
    """Scratch directories `hotline land` leaves behind when it is killed (under the lock)."""
    warehouse = Warehouse.of(warehouse)
    for path in warehouse.directory.glob("landing-*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def quarantined_rows_of_batch(warehouse: Warehouse | Path, batch_id: str | None) -> int:
    """Quarantined rows (incl. malformed lines) of the files this run landed."""
    warehouse = Warehouse.of(warehouse)
    if not batch_id:
        return 0
    con = warehouse.connect(read_only=True)
    try:
        present = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts' "
            "and table_name = 'dq_quarantined_rows'").fetchone()[0]
        if not present:
            return 0
        return int(con.execute(
            "select count(*) from marts.dq_quarantined_rows where batch_id = ?",
            [batch_id]).fetchone()[0])
    except duckdb.Error:
        return 0
    finally:
        con.close()


# --- the steps -----------------------------------------------------------------------------------

def _land(landing_dir: Path, warehouse: Warehouse | Path, encoding: str | None = None):
    from hotline import landing

    return landing.land(landing_dir, warehouse, encoding=encoding)


def nightly_build_args(full_refresh: bool) -> list[str]:
    """`dbt build` of the nightly: every model, seed and data test; unit tests stay in CI.

    Unit tests check SQL logic against fixed fixture rows, not the night's data: they cannot
    change from one delivery to the next, so dbt recommends running them in development and CI
    only (`make test-dbt` runs them). HOTLINE_NIGHTLY_UNIT_TESTS=1 includes them anyway.
    """
    args = ["build", "--quiet"]
    if os.environ.get("HOTLINE_NIGHTLY_UNIT_TESTS", "") not in {"1", "true", "yes"}:
        args += ["--exclude-resource-type", "unit_test"]
    if full_refresh:
        args.append("--full-refresh")
    return args


def _split_dbt_failures(failures: list[str]) -> tuple[list[str], list[str]]:
    """(failing tests, other errors): a failing test is a gate finding, an error is a failure."""
    tests = [f for f in failures if f.startswith(("test.", "unit_test."))]
    return tests, [f for f in failures if f not in tests]


def run_nightly(
    landing_dir: Path,
    warehouse: Warehouse | Path,
    dbt_vars: dict | None = None,
    full_refresh: bool = False,
    gate_config_path: Path | None = None,
    console: Console | None = None,
    encoding: str | None = None,
    target: str = "duckdb",
) -> NightlyOutcome:
    """Land, build, audit and publish; raise NightlyError (with an exit code) when not published.

    `encoding` is landing's setting (`hotline land --encoding`; None: HOTLINE_LANDING_ENCODING,
    else auto-detection per file). `target` is the engine of the build step: duckdb, or spark
    (hotline/spark.py: raw exported to Spark, the built tables mirrored back for the audit
    and the publish, which stay on DuckDB).
    """
    from hotline.gate.config import GateConfigError, load_gate_config
    from hotline.landing import LandingError, encoding_policy

    console = console or Console(stderr=True, soft_wrap=True)  # log lines stay whole in CI
    try:
        config = load_gate_config(gate_config_path)
        encoding_policy(encoding)  # a bad setting is a usage error before anything runs
        duckdb_limits()  # HOTLINE_DUCKDB_MEMORY_LIMIT / _THREADS are checked before any work
    except (GateConfigError, LandingError, SettingError) as exc:
        raise NightlyError(str(exc), EXIT_USAGE) from exc
    from hotline.site_config import SiteConfigError, check_config_dir

    try:
        check_config_dir()  # HOTLINE_CONFIG_DIR: the center's own seeds (README)
    except SiteConfigError as exc:
        raise NightlyError(str(exc), EXIT_USAGE) from exc
    if not Path(landing_dir).is_dir():
        raise NightlyError(f"landing directory {landing_dir} does not exist", EXIT_USAGE)
    warehouse = Warehouse.of(warehouse).prepare()
    try:
        with nightly_lock(warehouse):
            return _run_locked(Path(landing_dir), warehouse, dbt_vars or {}, full_refresh,
                               config, console, encoding, target)
    except LockBusy as exc:
        raise NightlyError(str(exc), EXIT_LOCKED) from exc
    except duckdb.Error as exc:
        # Before the run could start: e.g. another process (a manual `hotline build`, a BI tool
        # pointed at the working file) holds hotline.duckdb.
        raise NightlyError(f"cannot open the working warehouse {warehouse.working}: "
                           f"{exc}", EXIT_ERROR) from exc


def _run_locked(landing_dir, warehouse, dbt_vars, full_refresh, config, console,
                encoding=None, target="duckdb"):
    from hotline.publish import publish, remove_stale_temp_files

    started = time.monotonic()
    run_id = new_run_id()
    outcome = NightlyOutcome(run_id=run_id, status="running")
    stale = remove_stale_temp_files(warehouse)
    remove_stale_landing_scratch(warehouse)
    dead = recover_interrupted_runs(warehouse)
    if dead or stale:
        console.print(f"[yellow]recovered from an interrupted nightly[/yellow] "
                      f"({len(dead)} run(s) marked failed, {len(stale)} temp file(s) removed); "
                      "rebuilding with --full-refresh")
        full_refresh = True
    # Incremental builds are exact only after a complete build of the same models and vars
    # (DECISIONS.md, "Incremental nightly"); otherwise rebuild from scratch.
    from hotline.incremental import (
        BuildPlan,
        plan_build,
        project_fingerprint,
        record_fingerprint,
        vars_fingerprint,
    )

    # a build by the other engine is not the previous build of this one
    engine_vars = dbt_vars if target == "duckdb" else {**dbt_vars, "(build engine)": target}
    fingerprint, vars_print = project_fingerprint(engine_vars), vars_fingerprint(engine_vars)
    plan = BuildPlan() if full_refresh else plan_build(warehouse, fingerprint, vars_print)
    if plan.state is not None and target != "duckdb":
        plan = BuildPlan("models, macros or seeds changed (a Spark build rebuilds everything)")
    if plan.full_refresh_reason:
        console.print(f"[yellow]rebuilding with --full-refresh[/yellow]: "
                      f"{plan.full_refresh_reason}")
        full_refresh = True
    project_unchanged = plan.unchanged
    record_run(warehouse, run_id, started_at=_now(), status="running")
    console.print(f"[bold]nightly {run_id}[/bold] on {warehouse}")

    def finish(status: str, message: str | None = None, **values) -> None:
        outcome.status = status
        outcome.seconds = time.monotonic() - started
        record_run(warehouse, run_id, finished_at=_now(), status=status, message=message,
                   **values)

    try:
        # 1. land
        step = time.monotonic()
        from hotline.landing import LandingError

        try:
            report = _land(landing_dir, warehouse, encoding)
        except LandingError as exc:
            finish("failed", str(exc))
            raise NightlyError(str(exc), EXIT_USAGE) from exc
        outcome.files_landed, outcome.rows_landed = len(report.files_loaded), report.rows_loaded
        outcome.files_failed = list(report.files_failed)
        outcome.files_ignored = report.ignored_lines()
        record_run(warehouse, run_id, batch_id=report.batch_id,
                   files_landed=outcome.files_landed, files_failed=len(report.files_failed),
                   rows_landed=outcome.rows_landed, files_skipped=len(report.files_ignored),
                   skipped_files=json.dumps(outcome.files_ignored),
                   failed_files=json.dumps([f"{path}: {message.removeprefix(path + ': ')}"
                                            for path, message in report.files_failed]))
        # a step that had failures shows a warning mark, never a check mark
        mark = "[yellow]⚠[/yellow]" if report.files_failed else "[green]✓[/green]"
        console.print(f"{mark} land     {outcome.files_landed} new file(s), "
                      f"{outcome.rows_landed:,} rows, {report.rejected_lines:,} malformed lines, "
                      f"{len(report.files_skipped)} already landed, "
                      f"{len(report.files_failed)} failed, {len(report.files_ignored)} skipped "
                      f"name(s) ({time.monotonic() - step:.1f} s)", highlight=False)
        for _, message in report.files_failed:
            console.print(f"    failed:  {message}", markup=False, highlight=False)
        for line in outcome.files_ignored:
            console.print(f"    skipped: {line}", markup=False, highlight=False)
        if not full_refresh and project_unchanged and not report.files_loaded \
                and not report.files_failed:
            current = serving_is_current(warehouse, config, run_id, _now())
            if current:
                why, stale = current
                outcome.serving_path = warehouse.serving
                outcome.warnings = [f"WARN {stale}"] if stale else []
                finish("unchanged", f"nothing new: {why}",
                       warnings=json.dumps(outcome.warnings))
                mark = "[yellow]⚠[/yellow]" if stale else "[green]✓[/green]"
                console.print(f"{mark} nothing new: {why}; build, audit and publish skipped",
                              highlight=False)
                if stale:
                    console.print(f"    warning: {stale}", markup=False, highlight=False)
                return outcome

        # 2. build
        step = time.monotonic()
        from hotline.build import run_dbt

        rebuilt: list[str] = []
        if plan.state is not None and not full_refresh:
            from hotline.incremental import rebuild_modified

            with console.status("build    dbt ls --select state:modified+ …"):
                try:
                    rebuilt = rebuild_modified(warehouse, plan.state, dbt_vars)
                finally:
                    release_dbt_connections()
            console.print(f"  models, macros or seeds changed since the last build: "
                          f"{len(rebuilt)} model(s) modified or downstream of a change are "
                          f"rebuilt from scratch (state:modified+): "
                          f"{', '.join(rebuilt[:12])}{' …' if len(rebuilt) > 12 else ''}",
                          highlight=False, markup=False)

        with console.status("build    dbt build …"):
            try:
                if target == "spark":
                    from hotline.spark import build_on_spark

                    result = build_on_spark(nightly_build_args(full_refresh), warehouse,
                                            dbt_vars)
                else:
                    result = run_dbt(nightly_build_args(full_refresh), warehouse, dbt_vars)
            finally:
                release_dbt_connections()
        failing_tests, errors = _split_dbt_failures(result.failures)
        if errors or (not result.success and not failing_tests):
            message = "dbt build failed: " + "; ".join((errors or result.failures)[:5])
            finish("failed", message)
            raise NightlyError(message, EXIT_ERROR)
        record_fingerprint(warehouse, fingerprint, vars_print)
        mark = "[green]✓[/green]" if not failing_tests else "[red]✗[/red]"
        console.print(f"{mark} build    {result.node_count} dbt nodes"
                      f"{' on Spark' if target == 'spark' else ''}, {len(failing_tests)} "
                      f"failing test(s) ({time.monotonic() - step:.1f} s)")

        # 3. audit
        step = time.monotonic()
        gate = _audit(warehouse, config, report, failing_tests, console,
                      incremental=not full_refresh, rebuilt=frozenset(rebuilt))
        outcome.quarantined_rows = quarantined_rows_of_batch(warehouse, report.batch_id)
        outcome.docs_path = gate.docs_index
        outcome.warnings = [line for line in gate.failure_lines(50)
                            if line.startswith("WARN")][:10]
        history = {
            "quarantined_rows": outcome.quarantined_rows,
            "checks": len(gate.findings),
            "gate_summary": gate.summary_json(),
            "blocking_failures": json.dumps([f.line() for f in gate.blocking_failures]),
            "warnings": json.dumps([f.line() for f in gate.warnings]),
            "docs_path": str(gate.docs_index) if gate.docs_index else None,
        }
        summary = gate.summary()
        mark = "[red]✗" if gate.blocked else "[yellow]⚠" if gate.warnings else "[green]✓"
        console.print(f"{mark}[/] audit    "
                      f"{summary['checks']} checks, {summary['blocking_failures']} blocking, "
                      f"{summary['warnings']} warning(s) ({time.monotonic() - step:.1f} s)")
        if gate.blocked:
            lines = gate.failure_lines(15)
            finish("blocked", f"{len(gate.blocking_failures)} blocking check(s) failed", **history)
            docs = f"\nData Docs: {gate.docs_index}" if gate.docs_index else ""
            raise NightlyError(
                "quality gate blocked the publish; serving.duckdb left unchanged.\n"
                + "\n".join(f"  {line}" for line in lines) + docs,
                EXIT_BLOCKED,
            )

        # 4. publish
        step = time.monotonic()
        finished_at = _now()
        published = publish(
            warehouse, run_id,
            run_updates={**history, "status": "published", "finished_at": finished_at},
            rebuilt=frozenset(rebuilt),
        )
        outcome.serving_path, outcome.tables = published.path, published.tables
        finish("published", None, **history)
        console.print(f"[green]✓[/green] publish  {len(published.tables)} tables → "
                      f"{published.path} ({time.monotonic() - step:.1f} s)")
        return outcome
    except NightlyError:
        raise
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}"
        # The history is best effort when the working file itself is broken.
        with contextlib.suppress(Exception):
            finish("failed", message[:2000])
        raise NightlyError(f"nightly failed, serving.duckdb left unchanged: {message}",
                           EXIT_ERROR) from exc


def _audit_scope(warehouse: Warehouse) -> tuple[int | None, bool]:
    """(the delivery mark serving.duckdb holds, whether this build's change models list every
    mart row not yet published): what an incremental audit may leave out (AuditContext)."""
    from hotline.incremental import build_marks, serving_holds_previous_build

    build, published = build_marks(warehouse.working)
    if build is None or published is None or not warehouse.serving.exists():
        return None, False
    return published, serving_holds_previous_build(build, published)


def _audit(warehouse, config, report, failing_tests, console, incremental=False,
           rebuilt=frozenset()):
    from hotline.gate.runner import Finding, run_audit
    from hotline.gate.suites import AuditContext

    # An incremental night validates the rows it changed (DECISIONS.md, "Nightly at scale");
    # a full refresh, a first night or one after a crash validates every row.
    published_seq, by_keys = _audit_scope(warehouse) if incremental else (None, False)

    extra = [
        Finding("dbt_tests", config.severity("dbt_tests"), "dbt", f"dbt test {name}", False)
        for name in failing_tests
    ] if config.enabled("dbt_tests") else []
    if config.enabled("dbt_tests") and not failing_tests:
        extra.append(Finding("dbt_tests", config.severity("dbt_tests"), "dbt",
                             "every dbt unit and data test passes", True))
    if config.enabled("landing_failures"):
        severity = config.severity("landing_failures")
        extra += [Finding("landing_failures", severity, "landing", f"file {path} loads", False,
                          message.removeprefix(path + ": "))
                  for path, message in report.files_failed]
        if not report.files_failed:
            extra.append(Finding("landing_failures", severity, "landing",
                                 "every new landing file loaded", True))
    with console.status("audit    Great Expectations …"):
        return run_audit(
            warehouse.working, config,
            # A night with new files is judged on its own delivery (a bad night blocks, the
            # next good night publishes). A rerun that lands nothing is judged on every batch
            # not yet published, so retrying a blocked night does not quietly accept it:
            # accepting is an explicit --gate-config with the rule relaxed.
            AuditContext(
                batch_id=report.batch_id if report.files_loaded else None,
                batch_ids=() if report.files_loaded else unpublished_batches(warehouse),
                now=_now(),
                published_seq=published_seq,
                marts_by_changed_keys=by_keys,
                rebuilt=rebuilt,
            ),
            docs_dir=warehouse.data_docs_dir,
            extra_findings=extra,
        )


# --- status ----------------------------------------------------------------------------------

STATUS_COLUMNS = ("run_id", "started_at", "finished_at", "status", "files_landed",
                  "rows_landed", "quarantined_rows", "blocking_failures", "message")


def read_runs(warehouse: Warehouse | Path, limit: int = 10) -> tuple[str, list[dict]]:
    """Last runs, newest first, from the working file, or from serving.duckdb when it is busy."""
    warehouse = Warehouse.of(warehouse)
    columns = ", ".join(STATUS_COLUMNS)
    candidates = [(warehouse.working, "ops.runs", "working"),
                  (warehouse.serving, "main.dq_runs", "serving")]
    last_error: Exception | None = None
    for path, table, label in candidates:
        if not path.exists():
            continue
        try:
            con = Warehouse.connect_file(path, read_only=True)
        except duckdb.Error as exc:  # held by a running nightly
            last_error = exc
            continue
        try:
            rows = con.execute(
                f"select {columns} from {table} order by started_at desc nulls last limit ?",
                [limit]).fetchall()
        except duckdb.CatalogException:
            rows = []
        finally:
            con.close()
        return f"{label} ({path})", [dict(zip(STATUS_COLUMNS, row, strict=True)) for row in rows]
    if last_error:
        raise NightlyError(f"cannot read the run history: {last_error}", EXIT_ERROR)
    if not any(path.exists() for path, _, _ in candidates):
        raise NightlyError(f"no warehouse in {warehouse} (neither "
                           f"{warehouse.working.name} nor "
                           f"{warehouse.serving.name})", EXIT_ERROR)
    return "none", []


def print_status(warehouse: Warehouse | Path, limit: int = 10,
                 console: Console | None = None) -> None:
    warehouse = Warehouse.of(warehouse)
    from rich.markup import escape
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:  # piped or in CI: do not squeeze the table into 80 columns
            console = Console(width=160)
    source, runs = read_runs(warehouse, limit)
    if not runs:
        console.print(f"No nightly runs recorded in {warehouse}.")
        return
    table = Table(title=f"Last nightly runs — {source}")
    for column in ("run", "started (UTC)", "took", "status", "files", "rows", "quarantined",
                   "blocking / message"):
        table.add_column(column, justify="right" if column in {"files", "rows",
                                                               "quarantined"} else "left")
    colours = {"published": "green", "unchanged": "green", "blocked": "red", "failed": "red",
               "running": "yellow"}
    for run in runs:
        took = "—"
        if run["started_at"] and run["finished_at"]:
            took = f"{(run['finished_at'] - run['started_at']).total_seconds():.0f} s"
        blocking = json.loads(run["blocking_failures"]) if run["blocking_failures"] else []
        detail = "; ".join(blocking[:3]) or (run["message"] or "")
        status = run["status"] or "?"
        table.add_row(
            run["run_id"], f"{run['started_at']:%Y-%m-%d %H:%M:%S}" if run["started_at"] else "—",
            took, f"[{colours.get(status, 'white')}]{status}[/]",
            str(run["files_landed"] or 0), f"{run['rows_landed'] or 0:,}",
            f"{run['quarantined_rows'] or 0:,}", escape(detail[:200]),
        )
    console.print(table)
