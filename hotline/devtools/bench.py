"""Benchmarks: `python -m hotline.devtools.bench` (what `make bench` runs).

One run generates `--days` + 2 days of sample data (default 62 × 20,000 contact legs a day, with
tickets, events, surveys and agent states) and measures, each in its own child process so that
its peak RSS is its own (os.wait4):

    floor        DuckDB alone reading every landing file of the first N days into tables
                 (one `create table as select * from read_csv([...], all_varchar=true)` per
                 entity, fresh file, the profile's memory_limit/threads): the physical floor
    full         `hotline nightly` on an empty warehouse (land + build + audit + publish),
                 step times parsed from its progress lines
    incremental  one more day's files delivered, `hotline nightly` again
    report       `hotline report` (day, week, month) on the published main-size warehouse

at N = --days and N = --days / 2 (so linearity can be judged), plus `--year`: 365 × 30,000.
The native section (`--only native` alone) generates the same center as an Asterisk queue_log
and as Amazon Connect contact records and times `hotline land` + the dbt build of each, next
to Hotline's own format.
Results and the machine description go into BENCHMARKS.md, each benchmark family in its own
section between markers (the generator section and the nightly section), with every goal of
the issue "Nightly incremental at scale" marked met / not met.

The nightly runs on a snapshot of the project tree taken at the start (models, macros, the
hotline package, ...), so edits others make while the benchmark runs cannot break it halfway.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hotline.settings import PROJECT_DIR

DEFAULT_OUTPUT = PROJECT_DIR / "BENCHMARKS.md"
BENCH_ROOT = PROJECT_DIR / "bench"  # git-ignored
HEADER = "# Benchmarks\n\nWritten by `make bench` (`python -m hotline.devtools.bench`).\n"
START_DATE = date(2026, 3, 2)
SEED = 42
YEAR_DAYS, YEAR_LEGS = 365, 50_000  # a 1,000-seat center: ~50k contact legs a day
# Beside generated data: what the generation measured (a kept workdir reuses the year's data).
GENERATION_SUMMARY = "generation.json"
# The generator holds a whole run in memory (~2.7 GB per million legs): bigger runs are
# generated in chunks of this many days, ids made unique per chunk (see _generate_chunked).
CHUNK_LEGS = 1_500_000

# Goals of the issue "A year of a 1,000-seat center on a laptop" (and, kept, of the earlier
# "Nightly incremental at scale": memory at the main size, linear growth).
GOAL_FLOOR_FACTOR = 3.0  # full nightly <= 3 x the landing floor
GOAL_LAND_FACTOR = 1.5  # landing step <= 1.5 x the landing floor
GOAL_INCREMENTAL_SHARE = 0.10  # incremental nightly <= 10 % of the full nightly
GOAL_NOOP_SECONDS = 8.0  # a nightly with nothing new
GOAL_INCREMENTAL_GROWTH = 1.1  # incremental nightly after 60 days <= 1.1 x after 30 days
GOAL_YEAR_SECONDS = 30 * 60  # full nightly of the year
GOAL_YEAR_INCREMENTAL_SECONDS = 60.0  # incremental nightly on a year of history
GOAL_EDIT_FACTOR = 2.0  # nightly after editing one mart <= 2 x an incremental nightly
GOAL_RSS_MB = {"main": 4096, "year": 8192}  # peak memory
GOAL_LINEAR_SLACK = 1.25  # doubling the days may cost at most 2 x 1.25 the time
# The mart the "edited mart" nightly edits (a comment line: its SQL text, so its checksum,
# changes; dbt's state:modified+ then names it and its descendants).
EDITED_MART = Path("models/marts/contacts/kpi_queue_interval.sql")

STEPS = ("land", "build", "audit", "publish")

# Business calendars (spec calendars.md): the nightlies run with the sample centre's calendar
# seeds (HOTLINE_CONFIG_DIR) and every ticket priority on the office schedule, so each of the
# ~780k tickets of 60 days x 20k legs gets business-time SLAs, waits and next replies; the
# cost of these models is reported from dbt's run_results (section "business time").
BUSINESS_TIME_MODELS = (
    "int_business_calendar_bounds", "int_business_open_intervals", "int_business_clock",
    "int_business_due_buckets", "int_queue_business_clock", "int_ticket_schedules",
    "int_ticket_status_segments", "int_ticket_clock", "int_ticket_replies",
    "int_ticket_business_times", "fct_ticket_replies",
)
BUSINESS_TIME_TABLES = (
    "intermediate.int_business_open_intervals", "intermediate.int_business_clock",
    "intermediate.int_ticket_clock", "marts.fct_ticket_replies", "marts.fct_tickets",
)
_STEP_LINE = re.compile(r"^\s*[✓✗⚠]\s+(land|build|audit|publish)\b.*\(([\d.]+) s\)\s*$")


# ---------------------------------------------------------------------------------------
# Machine


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "models", "macros",
                                "hotline", "dbt_project.yml", "profiles", "gate.yml"],
                               cwd=PROJECT_DIR, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes to models/macros/code" if dirty else "")


def machine_description() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": _version("duckdb"),
        "dbt-core": _version("dbt-core"),
        "dbt-duckdb": _version("dbt-duckdb"),
        "great_expectations": _version("great_expectations"),
        "git": _git_revision(),
        "load average at start": " ".join(f"{x:.2f}" for x in load),
    }


# ---------------------------------------------------------------------------------------
# Child processes


@dataclass
class ChildRun:
    """One child process: exit code, wall-clock seconds, its own peak RSS and its output."""

    returncode: int
    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str


def run_child(cmd: list[str], env: dict[str, str], cwd: Path, log: Path,
              timeout: float | None = None) -> ChildRun:
    """Run cmd; peak RSS comes from os.wait4 (this child and its reaped descendants only)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - start > timeout:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, not Popen
    return ChildRun(proc.returncode, seconds, usage.ru_maxrss / 1024,  # KiB on Linux
                    out_path.read_text(errors="replace"), err_path.read_text(errors="replace"))


def _python_call(function: str, payload: dict) -> list[str]:
    """Command line calling bench.<function>(**payload) and printing its JSON result."""
    code = (f"import json, sys; from hotline.devtools.bench import {function}; "
            f"print('BENCH-RESULT ' + json.dumps({function}(**json.loads(sys.argv[1]))))")
    return [sys.executable, "-c", code, json.dumps(payload)]


def _result_of(run: ChildRun) -> dict:
    for line in reversed(run.stdout.splitlines()):
        if line.startswith("BENCH-RESULT "):
            return json.loads(line.removeprefix("BENCH-RESULT "))
    raise RuntimeError(f"child failed (exit {run.returncode}):\n{run.stderr[-3000:]}")


# ---------------------------------------------------------------------------------------
# Data: generate days + 2 days once, deliver a prefix of them per measurement


def generate_source(landing_dir: str, days: int, legs_per_day: int, seed: int = SEED) -> dict:
    """Generate `days` days into landing_dir (chunked when large); return rows per entity."""
    landing = Path(landing_dir)
    chunk_days = max(1, CHUNK_LEGS // max(legs_per_day, 1))
    if days <= chunk_days:
        from hotline.devtools.generator import generate

        summary = generate(landing_dir=landing, start_date=START_DATE, days=days,
                           contacts_per_day=legs_per_day, seed=seed)
        rows = dict(summary.rows)
    else:
        rows = _generate_chunked(landing, days, legs_per_day, seed, chunk_days)
    size = sum(p.stat().st_size for p in landing.rglob("*.csv"))
    return {"rows": rows, "csv_bytes": size}


# Id columns the generator numbers from the same start in every run: prefixed per chunk.
_CHUNK_ID_COLUMNS = {
    "contacts": ("contact_id", "initial_contact_id", "previous_contact_id"),
    "tickets": ("ticket_id", "origin_contact_id"),
    "ticket_events": ("event_id", "ticket_id"),
    "survey_responses": ("response_id", "contact_id", "ticket_id"),
}


def _generate_chunked(landing: Path, days: int, legs_per_day: int, seed: int,
                      chunk_days: int) -> dict:
    """Generate in chunks of chunk_days (bounded memory); each chunk's ids get a chunk tag.

    The chunks are independent simulations (agents and customers restart), which is fine for
    measuring volume; ids of contacts, tickets, events and responses are made unique by
    inserting the chunk number after their letter prefix (C0000000001 -> C030000000001).
    """
    import duckdb

    from hotline.contract import ENTITIES
    from hotline.devtools.generator import generate

    rows: dict[str, int] = {}
    for chunk, first in enumerate(range(0, days, chunk_days)):
        n = min(chunk_days, days - first)
        scratch = landing.parent / f"{landing.name}-chunk"
        shutil.rmtree(scratch, ignore_errors=True)
        summary = generate(landing_dir=scratch, start_date=START_DATE + timedelta(days=first),
                           days=n, contacts_per_day=legs_per_day, seed=seed + chunk)
        for name, count in summary.rows.items():
            rows[name] = rows.get(name, 0) + count
        con = duckdb.connect()
        for entity in ENTITIES:
            for path in sorted((scratch / entity.folder).glob("*.csv")):
                target = landing / path.relative_to(scratch)
                target.parent.mkdir(parents=True, exist_ok=True)
                columns = _CHUNK_ID_COLUMNS.get(entity.name)
                if chunk == 0 or not columns:
                    shutil.move(path, target)
                    continue
                replace = ", ".join(
                    f"regexp_replace({col}, '^([A-Z]+)', '\\1{chunk:02d}') as {col}"
                    for col in columns)
                con.execute(
                    f"copy (select * replace ({replace}) from read_csv('{path}', "
                    "all_varchar = true, header = true)) "
                    f"to '{target}' (header, delimiter ',')")
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def _day_of(path: Path) -> date | None:
    match = re.search(r"(\d{4}-\d{2}-\d{2})\.csv(\.gz)?$", path.name)
    return date.fromisoformat(match.group(1)) if match else None


def deliver(source: Path, landing: Path, first_day: int, last_day: int) -> list[Path]:
    """Hard-link (copy if impossible) the files of days [first_day, last_day) into landing."""
    lo, hi = START_DATE + timedelta(days=first_day), START_DATE + timedelta(days=last_day)
    delivered = []
    for path in sorted(source.rglob("*.csv")):
        day = _day_of(path)
        if day is None or not lo <= day < hi:
            continue
        target = landing / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        delivered.append(target)
    return delivered


# ---------------------------------------------------------------------------------------
# The landing floor


def profile_settings() -> dict[str, str]:
    """memory_limit and threads the dbt profile gives DuckDB (same env vars, same defaults)."""
    return {
        "memory_limit": os.environ.get("HOTLINE_DUCKDB_MEMORY_LIMIT", "4GB"),
        "threads": os.environ.get("HOTLINE_DUCKDB_THREADS", "2"),
    }


def landing_floor(landing_dir: str, database: str) -> dict:
    """DuckDB alone: every file of an entity into one table, all text, with profile settings."""
    import duckdb

    from hotline.contract import ENTITIES

    settings = profile_settings()
    con = duckdb.connect(database)
    con.execute(f"set memory_limit = '{settings['memory_limit']}'")
    con.execute(f"set threads = {int(settings['threads'])}")
    con.execute("set preserve_insertion_order = false")
    con.execute("set enable_progress_bar = false")
    rows = {}
    for entity in ENTITIES:
        files = sorted(str(p) for p in (Path(landing_dir) / entity.folder).rglob("*.csv"))
        if not files:
            continue
        listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        con.execute(f"create table {entity.name} as select * from read_csv([{listing}], "
                    "all_varchar = true, header = true, delim = ',', quote = '\"', "
                    "escape = '\"')")
        rows[entity.name] = con.execute(f"select count(*) from {entity.name}").fetchone()[0]
    memory_limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    con.close()
    return {"rows": rows, "memory_limit": memory_limit}


def duckdb_default_memory_limit() -> str:
    """What a DuckDB connection without settings (landing, audit, publish) may use."""
    import duckdb

    con = duckdb.connect()
    try:
        return con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()


# ---------------------------------------------------------------------------------------
# One measured size


@dataclass
class Measure:
    """One measured child run (floor, full or incremental nightly)."""

    seconds: float
    peak_rss_mb: float
    rows: int  # rows of all seven entities read/landed
    legs: int  # contact legs among them
    status: str  # ok / published / blocked / failed
    steps: dict[str, float] = field(default_factory=dict)  # nightly step -> seconds
    message: str = ""
    # dbt build of a nightly: seconds summed per resource type, and the slowest nodes
    dbt_seconds: dict[str, float] = field(default_factory=dict)
    slowest_nodes: list[tuple[str, float]] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def legs_per_second(self) -> float:
        return self.legs / self.seconds if self.seconds else 0.0


@dataclass
class SizeResult:
    label: str  # main / half / year
    days: int
    legs_per_day: int
    floor: Measure
    full: Measure
    incremental: Measure | None
    noop: Measure | None = None  # the nightly again, nothing new delivered
    edited: Measure | None = None  # one mart's SQL edited, one more day delivered
    rebuilt_models: list[str] = field(default_factory=list)  # what the edited night rebuilt


def parse_steps(stderr: str) -> dict[str, float]:
    steps = {}
    for line in stderr.splitlines():
        match = _STEP_LINE.match(line)
        if match:
            steps[match.group(1)] = float(match.group(2))
    return steps


def _nightly_status(run: ChildRun) -> tuple[str, str]:
    if run.returncode == 0:
        unchanged = re.search(r"^nightly \S+: unchanged in", run.stdout, re.MULTILINE)
        return ("unchanged" if unchanged else "published"), ""
    name = {3: "blocked", 4: "locked", 2: "usage error"}.get(run.returncode, "failed")
    tail = "\n".join(line for line in run.stderr.strip().splitlines()[-25:])
    return name, tail


def rebuilt_models(stderr: str) -> list[str]:
    """The models a nightly rebuilt from scratch after a project change (state:modified+)."""
    match = re.search(r"\(state:modified\+\): ([^\n]*)", stderr)
    return [name for name in match.group(1).rstrip(" …").split(", ") if name] if match else []


def _landed_rows(run: ChildRun) -> int:
    match = re.search(r"landed \d+ file\(s\), ([\d,]+) rows", run.stdout + run.stderr)
    return int(match.group(1).replace(",", "")) if match else 0


# Forecast and staffing nodes (models/*/planning and the tests on them, issue 11): their
# summed seconds are reported beside the resource types as "forecast+staffing".
PLANNING_NODES = re.compile(
    r"(int_forecast_|int_staffing_|int_alert_understaffed|fct_forecast_|kpi_forecast_|kpi_staffing_)")
PLANNING_KEY = "forecast+staffing"


def dbt_timings(run_results: Path, top: int = 5) -> tuple[dict[str, float], list]:
    """Seconds per resource type (model, test, seed) and the `top` slowest dbt nodes.

    Also the seconds of the forecast and staffing nodes (models and their data tests) under
    PLANNING_KEY (already counted in their resource types).
    """
    try:
        results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return {}, []
    totals: dict[str, float] = {}
    for node in results:
        kind = node["unique_id"].split(".", 1)[0]
        totals[kind] = round(totals.get(kind, 0.0) + node["execution_time"], 1)
    totals[PLANNING_KEY] = round(sum(node["execution_time"] for node in results
                                     if PLANNING_NODES.search(node["unique_id"])), 1)
    slowest = sorted(results, key=lambda node: -node["execution_time"])[:top]
    return totals, [(node["unique_id"].split(".")[-1] if node["unique_id"].startswith("model")
                     else node["unique_id"].split(".", 2)[-1][:60],
                     round(node["execution_time"], 1)) for node in slowest]


def _count_rows(files: list[Path]) -> dict[str, int]:
    """Rows per entity of a few files (the incremental day), with DuckDB."""
    import duckdb

    from hotline.contract import ENTITIES

    con = duckdb.connect()
    rows = {}
    try:
        for entity in ENTITIES:
            chosen = [str(f) for f in files if f"/{entity.folder}/" in f.as_posix()]
            if chosen:
                rows[entity.name] = con.execute(
                    "select count(*) from read_csv(?, all_varchar = true, header = true, "
                    "delim = ',', quote = '\"', escape = '\"')", [chosen]).fetchone()[0]
    finally:
        con.close()
    return rows


class Bench:
    """State of one benchmark run: work dir, project snapshot, environment for the children."""

    def __init__(self, workdir: Path, timeout: float | None, echo=print) -> None:
        self.workdir = workdir
        self.timeout = timeout
        self.echo = echo
        self.project = workdir / "project"
        self._snapshot_project()
        env = dict(os.environ)
        for name in ("HOTLINE_GATE_CONFIG", "HOTLINE_WAREHOUSE_DIR",
                     "HOTLINE_NIGHTLY_UNIT_TESTS"):
            env.pop(name, None)
        env.update({
            "PYTHONPATH": str(self.project),  # the snapshot's hotline package wins
            "HOTLINE_PII_SALT": env.get("HOTLINE_PII_SALT") or "bench-salt",
            "GX_ANALYTICS_ENABLED": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "NO_COLOR": "1",
        })
        self.env = env
        self.business_time: list[dict] = []  # per nightly: business-time models' cost
        self.last_rebuilt: list[str] = []  # models the last nightly rebuilt (state:modified+)

    def _snapshot_project(self) -> None:
        skip = shutil.ignore_patterns(".git", ".venv", "target", "logs", "bench", "demo",
                                      "warehouse", "*.duckdb", "*.duckdb.wal", "__pycache__",
                                      ".pytest_cache", ".ruff_cache", "gx", "*.egg-info")
        shutil.copytree(PROJECT_DIR, self.project, ignore=skip, dirs_exist_ok=True)

    def child_env(self, name: str) -> dict[str, str]:
        env = dict(self.env)
        env["DBT_TARGET_PATH"] = str(self.workdir / name / "target")
        env["DBT_LOG_PATH"] = str(self.workdir / name / "logs")
        return env

    def generate(self, source: Path, days: int, legs_per_day: int) -> tuple[ChildRun, dict]:
        self.echo(f"generating {days} days x {legs_per_day:,} legs/day into {source} …")
        run = run_child(_python_call("generate_source", {
            "landing_dir": str(source), "days": days, "legs_per_day": legs_per_day}),
            self.env, self.project, self.workdir / "logs" / "generate", self.timeout)
        return run, _result_of(run)

    def floor(self, name: str, landing: Path) -> Measure:
        database = self.workdir / name / "floor.duckdb"
        database.parent.mkdir(parents=True, exist_ok=True)
        database.unlink(missing_ok=True)
        run = run_child(_python_call("landing_floor", {
            "landing_dir": str(landing), "database": str(database)}),
            self.child_env(name), self.project, self.workdir / name / "floor", self.timeout)
        result = _result_of(run)
        database.unlink(missing_ok=True)
        rows = result["rows"]
        return Measure(run.seconds, run.peak_rss_mb, sum(rows.values()),
                       rows.get("contacts", 0), "ok",
                       message=f"memory_limit {result['memory_limit']}")

    def use_calendar_config(self, days: int) -> Path:
        """Calendar seeds of the generated period for the children (HOTLINE_CONFIG_DIR)."""
        config = self.workdir / "calendar-config"
        self.env["HOTLINE_CONFIG_DIR"] = str(write_bench_calendar_config(config, days))
        return config

    def nightly(self, name: str, landing: Path, log: str, legs: int) -> Measure:
        warehouse = self.workdir / name / "warehouse"
        cmd = [sys.executable, "-m", "hotline.cli", "nightly", "--landing-dir", str(landing),
               "--warehouse-dir", str(warehouse)]
        results = self.workdir / name / "target" / "run_results.json"
        results.unlink(missing_ok=True)
        run = run_child(cmd, self.child_env(name), self.project, self.workdir / name / log,
                        self.timeout)
        status, message = _nightly_status(run)
        self.last_rebuilt = rebuilt_models(run.stderr)
        totals, slowest = dbt_timings(results)
        self.business_time.append({"size": name, "run": log, "nightly_seconds": run.seconds,
                                   "status": status, **business_time_cost(results, warehouse)})
        return Measure(run.seconds, run.peak_rss_mb, _landed_rows(run), legs, status,
                       parse_steps(run.stderr), message, totals, slowest)

    def edit_mart(self) -> None:
        """Edit one mart's SQL in the project snapshot (a comment: rows stay the same)."""
        path = self.project / EDITED_MART
        path.write_text(path.read_text(encoding="utf-8")
                        + "-- edited by make bench: the next nightly rebuilds state:modified+\n",
                        encoding="utf-8")

    def measure_size(self, label: str, source: Path, days: int, legs_per_day: int,
                     incremental: bool = True, noop: bool = False,
                     edit: bool = False) -> SizeResult:
        name = f"{label}-{days}d"
        landing = self.workdir / name / "landing"
        shutil.rmtree(landing, ignore_errors=True)
        deliver(source, landing, 0, days)
        self.echo(f"[{name}] landing floor …")
        floor = self.floor(name, landing)
        self.echo(f"[{name}] floor: {floor.seconds:.1f} s, {floor.rows:,} rows")
        self.echo(f"[{name}] full nightly …")
        full = self.nightly(name, landing, "nightly-full", floor.legs)
        self.echo(f"[{name}] full nightly: {full.status} in {full.seconds:.1f} s {full.steps}")
        inc = None
        if incremental:
            files = deliver(source, landing, days, days + 1)
            rows = _count_rows(files)
            self.echo(f"[{name}] incremental nightly (+1 day, {sum(rows.values()):,} rows) …")
            inc = self.nightly(name, landing, "nightly-incremental", rows.get("contacts", 0))
            self.echo(f"[{name}] incremental nightly: {inc.status} in {inc.seconds:.1f} s "
                      f"{inc.steps}")
        result = SizeResult(label, days, legs_per_day, floor, full, inc)
        if noop:
            self.echo(f"[{name}] nightly with nothing new …")
            result.noop = self.nightly(name, landing, "nightly-noop", 0)
            self.echo(f"[{name}] no-op nightly: {result.noop.status} in "
                      f"{result.noop.seconds:.1f} s")
        if edit:
            self.edit_mart()
            files = deliver(source, landing, days + 1, days + 2)
            rows = _count_rows(files)
            self.echo(f"[{name}] nightly after editing {EDITED_MART.name} (+1 day) …")
            result.edited = self.nightly(name, landing, "nightly-edited", rows.get("contacts", 0))
            result.rebuilt_models = self.last_rebuilt
            self.echo(f"[{name}] edited-mart nightly: {result.edited.status} in "
                      f"{result.edited.seconds:.1f} s, rebuilt {result.rebuilt_models}")
        return result

    def report(self, name: str) -> dict:
        """`hotline report` (day, week and month) on a size's published warehouse (issue 13)."""
        warehouse = self.workdir / name / "warehouse"
        results = []
        for period in ("day", "week", "month"):
            out = self.workdir / name / f"report-{period}.html"
            cmd = [sys.executable, "-m", "hotline.cli", "report", "--warehouse-dir",
                   str(warehouse), "--period", period, "--out", str(out)]
            run = run_child(cmd, self.child_env(name), self.project,
                            self.workdir / name / f"report-{period}", self.timeout)
            status = "ok" if run.returncode == 0 and out.exists() else "failed"
            results.append({"period": period, "seconds": run.seconds,
                            "peak_rss_mb": run.peak_rss_mb, "status": status,
                            "html_mb": out.stat().st_size / 1e6 if out.exists() else None})
            self.echo(f"[{name}] report ({period}): {status} in {run.seconds:.1f} s")
        return {"size": name, "results": results}


# ---------------------------------------------------------------------------------------
# Business time


def write_bench_calendar_config(config_dir: Path, days: int) -> Path:
    """The sample centre's calendar seeds over the bench period, every priority on the office
    schedule (so every ticket pays for business time)."""
    from hotline.devtools.generator import HOLIDAYS
    from hotline.devtools.sample_calendar import (
        DEMO_SLA_POLICIES,
        OFFICE_SCHEDULE,
        sample_calendar,
        write_calendar_config,
    )

    write_calendar_config(config_dir, sample_calendar(START_DATE, days, HOLIDAYS))
    lines = ["priority,first_response_target_minutes,resolution_target_minutes,schedule_id"]
    lines += [f"{p},{fr},{res},{OFFICE_SCHEDULE}" for p, fr, res, _ in DEMO_SLA_POLICIES]
    (config_dir / "sla_policies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config_dir


def business_time_cost(run_results: Path, warehouse: Path) -> dict:
    """Seconds of each business-time model in one dbt build, and the rows they hold."""
    try:
        results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        results = []
    seconds = {node["unique_id"].split(".")[-1]: round(node["execution_time"], 2)
               for node in results if node["unique_id"].startswith("model.")
               and node["unique_id"].split(".")[-1] in BUSINESS_TIME_MODELS}
    build = sum(node["execution_time"] for node in results
                if node["unique_id"].startswith("model."))
    rows: dict[str, int] = {}
    database = warehouse / "hotline.duckdb"
    if database.exists():
        import duckdb

        queries = {table.split(".")[-1]: f"select count(*) from {table}"
                   for table in BUSINESS_TIME_TABLES}
        queries["tickets on a schedule"] = (
            "select count(*) from marts.fct_tickets where schedule_id is not null")
        con = duckdb.connect(str(database), read_only=True)
        try:
            for name, query in queries.items():
                with contextlib.suppress(duckdb.Error):  # a table a failed build never made
                    rows[name] = con.execute(query).fetchone()[0]
        finally:
            con.close()
    return {"seconds": seconds, "total_seconds": round(sum(seconds.values()), 1),
            "model_seconds": round(build, 1), "rows": rows}


def render_business_time_section(machine: dict[str, str], costs: list[dict]) -> str:
    lines = ["## Business time (calendars)", "", f"Measured {machine['date']} (git "
             f"{machine['git']}, load average at start {machine.get('load average at start')})"
             ", in the nightlies of the nightly section of the same run.", "",
             "Those nightlies run with the sample centre's calendar seeds (HOTLINE_CONFIG_DIR: "
             "office hours Monday–Friday 09–12 and 13–18 Asia/Shanghai with the official "
             "holidays and make-up workdays, queues with hours) and every ticket priority on "
             "the office schedule, so every ticket gets business-time SLA due instants, "
             "durations, waits and next replies. Seconds are dbt's execution time per model "
             "(run_results.json; 2 threads, so model seconds overlap).", "",
             "| size | run | nightly s | business-time models s | all models s | share "
             "| slowest business-time models | rows |", "|---|---|---:|---:|---:|---:|---|---|"]
    for cost in costs:
        share = cost["total_seconds"] / cost["model_seconds"] if cost["model_seconds"] else 0
        slow = ", ".join(f"{name} {sec:.1f}" for name, sec in
                         sorted(cost["seconds"].items(), key=lambda item: -item[1])[:4])
        rows = ", ".join(f"{name} {count:,}" for name, count in cost["rows"].items())
        nightly = cost.get("nightly_seconds")
        nightly_cell = f"{nightly:.0f} ({cost.get('status', '?')})" if nightly else "—"
        lines.append(f"| {cost['size']} | {cost['run'].removeprefix('nightly-')} | {nightly_cell} "
                     f"| {cost['total_seconds']:.1f} | {cost['model_seconds']:.1f} "
                     f"| {share:.0%} | {slow or '—'} | {rows or '—'} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# Goals


def evaluate_goals(sizes: list[SizeResult]) -> list[dict]:
    """Each goal of the issue with its measured value and met / not met."""
    by_label = {size.label: size for size in sizes}
    goals: list[dict] = []

    def add(goal: str, value: str, met: bool | None) -> None:
        verdict = "n/a" if met is None else ("met" if met else "NOT met")
        goals.append({"goal": goal, "measured": value, "verdict": verdict})

    main, half, year = by_label.get("main"), by_label.get("half"), by_label.get("year")
    if main:
        tag = f"{main.days} × {main.legs_per_day:,}"
        ok = main.full.status == "published"
        floor = main.floor.seconds
        factor = main.full.seconds / floor if floor else 0
        add(f"full nightly ≤ {GOAL_FLOOR_FACTOR:.0f}× the landing floor ({tag})",
            f"{main.full.seconds:.0f} s / {floor:.1f} s = {factor:.1f}×",
            factor <= GOAL_FLOOR_FACTOR and ok)
        land = main.full.steps.get("land")
        if land is not None and floor:
            add(f"landing step ≤ {GOAL_LAND_FACTOR:.1f}× the landing floor ({tag})",
                f"{land:.1f} s / {floor:.1f} s = {land / floor:.1f}×",
                land / floor <= GOAL_LAND_FACTOR)
        if main.incremental is not None:
            share = main.incremental.seconds / main.full.seconds if main.full.seconds else 0
            add(f"incremental nightly ≤ {GOAL_INCREMENTAL_SHARE:.0%} of the full nightly ({tag})",
                f"{main.incremental.seconds:.0f} s / {main.full.seconds:.0f} s = {share:.0%}",
                share <= GOAL_INCREMENTAL_SHARE and main.incremental.status == "published")
        if main.noop is not None:
            add(f"nightly with nothing new ≤ {GOAL_NOOP_SECONDS:.0f} s ({tag})",
                f"{main.noop.seconds:.1f} s ({main.noop.status})",
                main.noop.seconds <= GOAL_NOOP_SECONDS and main.noop.status == "unchanged")
    if main and half and main.incremental and half.incremental and half.incremental.seconds:
        growth = main.incremental.seconds / half.incremental.seconds
        add(f"incremental nightly, {main.days} d vs {half.days} d of history "
            f"≤ ×{GOAL_INCREMENTAL_GROWTH:.1f}",
            f"{half.incremental.seconds:.0f} s → {main.incremental.seconds:.0f} s = "
            f"×{growth:.2f}", growth <= GOAL_INCREMENTAL_GROWTH)
    if year:
        tag = f"{year.days} × {year.legs_per_day:,}"
        runs = [run for run in (year.full, year.incremental, year.noop) if run]
        peak = max(run.peak_rss_mb for run in runs)
        add(f"full nightly ≤ {GOAL_YEAR_SECONDS // 60} min, peak RSS ≤ "
            f"{GOAL_RSS_MB['year'] / 1024:.0f} GB ({tag})",
            f"{year.full.seconds / 60:.1f} min ({year.full.status}), {peak:,.0f} MB",
            year.full.seconds <= GOAL_YEAR_SECONDS and peak <= GOAL_RSS_MB["year"]
            and year.full.status == "published")
        if year.incremental is not None:
            add(f"incremental nightly on a year of history ≤ "
                f"{GOAL_YEAR_INCREMENTAL_SECONDS:.0f} s ({tag})",
                f"{year.incremental.seconds:.0f} s ({year.incremental.status})",
                year.incremental.seconds <= GOAL_YEAR_INCREMENTAL_SECONDS
                and year.incremental.status == "published")
    if main and main.edited is not None and main.incremental is not None:
        factor = main.edited.seconds / main.incremental.seconds if main.incremental.seconds else 0
        only_descendants = bool(main.rebuilt_models) and len(main.rebuilt_models) < 10
        add(f"nightly after editing {EDITED_MART.stem}: only it and its descendants rebuilt, "
            f"≤ {GOAL_EDIT_FACTOR:.0f}× an incremental night",
            f"rebuilt {', '.join(main.rebuilt_models) or 'nothing listed'}; "
            f"{main.edited.seconds:.0f} s / {main.incremental.seconds:.0f} s = {factor:.1f}×",
            only_descendants and factor <= GOAL_EDIT_FACTOR
            and main.edited.status == "published")
    if main:
        runs = [run for run in (main.full, main.incremental) if run]
        peak = max(run.peak_rss_mb for run in runs)
        add(f"peak memory ≤ {GOAL_RSS_MB['main'] / 1024:.0f} GB "
            f"({main.days} × {main.legs_per_day:,})", f"{peak:,.0f} MB",
            peak <= GOAL_RSS_MB["main"])
    if main and half and half.full.seconds and half.floor.seconds:
        ratio = main.days / half.days
        growth = main.full.seconds / half.full.seconds
        add(f"full nightly cost grows linearly ({half.days} → {main.days} days, "
            f"≤ {GOAL_LINEAR_SLACK:.2f} × {ratio:.0f})",
            f"{half.full.seconds:.0f} s → {main.full.seconds:.0f} s = ×{growth:.2f} "
            f"(floor ×{main.floor.seconds / half.floor.seconds:.2f})",
            growth <= ratio * GOAL_LINEAR_SLACK)
    return goals


# ---------------------------------------------------------------------------------------
# Report


def build_report(machine: dict[str, str], sizes: list[SizeResult], generation: dict,
                 settings: dict[str, str]) -> dict:
    def measure(m: Measure | None) -> dict | None:
        if m is None:
            return None
        return {**asdict(m), "rows_per_second": m.rows_per_second,
                "legs_per_second": m.legs_per_second}

    return {
        "machine": machine,
        "duckdb_settings": settings,
        "generation": generation,
        "sizes": [{"label": s.label, "days": s.days, "legs_per_day": s.legs_per_day,
                   "floor": measure(s.floor), "full": measure(s.full),
                   "incremental": measure(s.incremental), "noop": measure(s.noop),
                   "edited": measure(s.edited), "rebuilt_models": s.rebuilt_models}
                  for s in sizes],
        "goals": evaluate_goals(sizes),
    }


RUN_KINDS = {
    "floor": "landing floor (DuckDB alone: every landing file into all-text tables)",
    "full": "full nightly (empty warehouse)",
    "incremental": "incremental nightly (+1 day)",
    "noop": "nightly with nothing new",
    "edited": f"nightly after editing {EDITED_MART.stem} (+1 day)",
}


def _fmt_steps(steps: dict[str, float]) -> str:
    return ", ".join(f"{step} {steps[step]:.1f}" for step in STEPS if step in steps) or "—"


def render_nightly_section(report: dict, title: str = "Nightly at scale (landing floor; full, "
                           "incremental, no-op and edited-mart nightly)") -> str:
    machine = report["machine"]
    settings = report["duckdb_settings"]
    lines = [f"## {title}", "",
             f"Measured {machine['date']}.", ""]
    lines += [f"- {key}: {value}" for key, value in machine.items() if key != "date"]
    lines += [
        f"- DuckDB memory_limit in force: dbt build {settings['dbt_memory_limit']} "
        f"(profile), threads {settings['dbt_threads']}; landing, audit and publish set the "
        "same limits (HOTLINE_DUCKDB_MEMORY_LIMIT / HOTLINE_DUCKDB_THREADS); DuckDB's own "
        f"default would be {settings['default_memory_limit']} (80 % of RAM)",
        "",
        "Each measurement is one child process; peak RSS is that process's own (os.wait4). "
        "The nightly is `hotline nightly` on a snapshot of the project tree; step seconds are "
        "the ones it prints. The landing floor is DuckDB alone reading every landing file "
        "into all-text tables of a DuckDB file (one read_csv per entity, the profile's "
        "memory_limit and threads), nothing else. The incremental nightly delivers one more "
        "day's files (all seven entities) and runs the nightly again on the same warehouse; "
        "the no-op nightly runs it once more with nothing new; the edited-mart nightly adds "
        f"a comment line to {EDITED_MART} (its SQL, so its dbt checksum, changes) and "
        "delivers one more day.",
        "",
        "| size | run | status | seconds | land | build | audit | publish | rows | rows/s "
        "| legs | legs/s | peak RSS MB |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in report["sizes"]:
        tag = f"{size['days']} d × {size['legs_per_day']:,}"
        for kind in RUN_KINDS:
            m = size.get(kind)
            if m is None:
                continue
            steps = m["steps"]
            cells = [steps.get(step) for step in STEPS]
            step_cells = " | ".join(f"{c:.1f}" if c is not None else "—" for c in cells)
            name = RUN_KINDS[kind]
            lines.append(
                f"| {tag} | {name} | {m['status']} | {m['seconds']:.1f} | {step_cells} "
                f"| {m['rows']:,} | {m['rows_per_second']:,.0f} | {m['legs']:,} "
                f"| {m['legs_per_second']:,.0f} | {m['peak_rss_mb']:,.0f} |")
    lines += ["", "dbt build of each nightly: seconds summed per resource type (2 threads, so "
              "the sum exceeds the build step's wall time) and the slowest nodes:", ""]
    for size in report["sizes"]:
        for kind in ("full", "incremental", "edited"):
            m = size.get(kind)
            if m and m["dbt_seconds"]:
                totals = ", ".join(f"{k} {v:.0f} s" for k, v in m["dbt_seconds"].items())
                slow = ", ".join(f"{node} {sec:.1f} s" for node, sec in m["slowest_nodes"])
                lines.append(f"- {size['days']} d × {size['legs_per_day']:,}, {kind}: "
                             f"{totals}; slowest: {slow}")
                planning = m["dbt_seconds"].get(PLANNING_KEY)
                if planning is not None and m["seconds"]:
                    lines.append(f"  - forecast + staffing (models and their tests): "
                                 f"{planning:.1f} s, {planning / m['seconds']:.1%} of the "
                                 f"nightly's {m['seconds']:.0f} s")
    lines += ["", "### Goals", "", "| goal | measured | verdict |", "|---|---|---|"]
    lines += [f"| {g['goal']} | {g['measured']} | **{g['verdict']}** |" for g in report["goals"]]
    problems = [(size, kind, size[kind]) for size in report["sizes"]
                for kind in ("full", "incremental", "noop", "edited")
                if size.get(kind) and size[kind]["status"] not in ("published", "unchanged")]
    if problems:
        lines += ["", "### Runs that did not publish", ""]
        for size, kind, m in problems:
            lines += [f"{size['days']} d × {size['legs_per_day']:,}, {kind} nightly: "
                      f"**{m['status']}**", "", "```", m["message"][-3000:], "```", ""]
    gen = report["generation"]
    if gen:
        lines += ["", f"Data: {gen['days']} days × {gen['legs_per_day']:,} legs/day generated "
                  f"in {gen['seconds']:.0f} s ({gen['csv_mb']:,.0f} MB of CSV; "
                  + ", ".join(f"{k} {v:,}" for k, v in gen["rows"].items()) + ")."]
    return "\n".join(lines) + "\n"


# --- BENCHMARKS.md sections -------------------------------------------------------------------


def replace_section(text: str, name: str, body: str) -> str:
    """Replace (or append) the section between <!-- bench:name --> markers."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip() + "\n\n" + block + "\n"


def write_section(path: Path, name: str, body: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    path.write_text(replace_section(text, name, body), encoding="utf-8")


def render_generator_section(machine: dict[str, str], run: ChildRun, days: int,
                             legs_per_day: int, result: dict) -> str:
    rows = result["rows"]
    legs = rows.get("contacts", 0)
    machine_lines = "\n".join(f"- {key}: {value}" for key, value in machine.items()
                              if key != "date")
    detail = (f"{result['csv_bytes'] / 1e6:,.0f} MB of CSV; "
              + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
    return (f"## Sample-data generator\n\nMeasured {machine['date']}.\n\n{machine_lines}\n\n"
            "| run | legs | seconds | legs/s | peak RSS MB | output |\n"
            "|---|---:|---:|---:|---:|---|\n"
            f"| generate {days} days x {legs_per_day:,} legs/day | {legs:,} | {run.seconds:.1f} "
            f"| {legs / run.seconds if run.seconds else 0:,.0f} | {run.peak_rss_mb:,.0f} "
            f"| {detail} |\n\n"
            "Wall-clock time of the generator (simulation and CSV writing, all seven entities; "
            f"runs above {CHUNK_LEGS:,} legs are generated in chunks); the machine may be "
            "shared, see the load average.\n")


# ---------------------------------------------------------------------------------------
# Native exports: the same center delivered as Asterisk queue_log / Amazon Connect CTR
# (issue 14; hotline/adapters). Landing + build of each format, next to Hotline's own.

NATIVE_FORMATS = ("hotline", "asterisk", "amazon_connect")


def generate_native(landing_dir: str, days: int, legs_per_day: int, fmt: str,
                    seed: int = SEED) -> dict:
    """Generate `days` days of one center in export format `fmt` (not chunked)."""
    from hotline.devtools.generator import generate

    landing = Path(landing_dir)
    summary = generate(landing_dir=landing, start_date=START_DATE, days=days,
                       contacts_per_day=legs_per_day, seed=seed, fmt=fmt)
    size = sum(p.stat().st_size for p in landing.rglob("*") if p.is_file())
    return {"rows": dict(summary.rows), "bytes": size}


def native_build(warehouse_dir: str) -> dict:
    """The nightly's dbt build on a landed warehouse, and what it published to the marts."""

    from hotline.build import run_dbt
    from hotline.nightly import nightly_build_args, release_dbt_connections
    from hotline.settings import Warehouse

    try:
        result = run_dbt(nightly_build_args(full_refresh=False), Path(warehouse_dir))
    finally:
        release_dbt_connections()
    con = Warehouse.of(warehouse_dir).connect(read_only=True)
    try:
        legs = con.execute("select count(*) from marts.fct_contacts").fetchone()[0]
        unreconciled = con.execute("select count(*) from marts.dq_reconciliation "
                                   "where not is_reconciled").fetchone()[0]
    finally:
        con.close()
    return {"success": result.success, "failures": result.failures[:5], "nodes":
            result.node_count, "legs": legs, "unreconciled": unreconciled}


def measure_native(bench: Bench, days: int, legs_per_day: int,
                   formats: tuple[str, ...] = NATIVE_FORMATS) -> list[dict]:
    """Per format: generate, `hotline land` and the nightly's dbt build, each a child."""
    results = []
    for fmt in formats:
        name = f"native-{fmt}-{days}d"
        landing, warehouse = bench.workdir / name / "landing", bench.workdir / name / "warehouse"
        shutil.rmtree(bench.workdir / name, ignore_errors=True)
        bench.echo(f"[{name}] generating {days} days x {legs_per_day:,} legs/day as {fmt} …")
        gen = run_child(_python_call("generate_native", {
            "landing_dir": str(landing), "days": days, "legs_per_day": legs_per_day,
            "fmt": fmt}), bench.env, bench.project, bench.workdir / name / "generate",
            bench.timeout)
        generated = _result_of(gen)
        bench.echo(f"[{name}] landing …")
        land = run_child([sys.executable, "-m", "hotline.cli", "land", "--landing-dir",
                          str(landing), "--warehouse-dir", str(warehouse)],
                         bench.child_env(name), bench.project, bench.workdir / name / "land",
                         bench.timeout)
        match = re.search(r"rows loaded: ([\d,]+)", land.stdout)
        bench.echo(f"[{name}] build …")
        build = run_child(_python_call("native_build", {"warehouse_dir": str(warehouse)}),
                          bench.child_env(name), bench.project, bench.workdir / name / "build",
                          bench.timeout)
        built = _result_of(build) if build.returncode == 0 else {
            "success": False, "failures": [build.stderr[-500:]], "legs": 0, "unreconciled": 0}
        status = "ok" if land.returncode == 0 and built["success"] else "failed"
        if built.get("unreconciled"):
            status = "not reconciled"
        results.append({
            "format": fmt, "days": days, "legs_per_day": legs_per_day,
            "files_mb": generated["bytes"] / 1e6, "generate_seconds": gen.seconds,
            "raw_rows": int(match.group(1).replace(",", "")) if match else 0,
            "land_seconds": land.seconds, "land_rss_mb": land.peak_rss_mb,
            "build_seconds": build.seconds, "build_rss_mb": build.peak_rss_mb,
            "legs": built.get("legs", 0), "status": status,
            "message": "; ".join(built.get("failures") or [])[:500],
        })
        bench.echo(f"[{name}] land {land.seconds:.1f} s, build {build.seconds:.1f} s, {status}")
        shutil.rmtree(bench.workdir / name, ignore_errors=True)  # tens of GB at full size
    return results


def render_native_section(machine: dict[str, str], results: list[dict]) -> str:
    lines = ["## Native exports: landing + build per delivery format", "",
             f"Measured {machine['date']} (load average at start "
             f"{machine['load average at start']}; {machine['nproc']} cores, "
             f"{machine['memory']}).", "",
             "The same simulated center delivered in Hotline's own layout, as an Asterisk "
             "queue_log (queued voice legs and agent states; chat, outbound and IVR-only legs "
             "are not in a queue_log) and as Amazon Connect contact records (every leg). Each "
             "step is one child process on an empty warehouse: `hotline land`, then the "
             "nightly's dbt build (models, seeds, data tests; no audit, no publish).", "",
             "| format | days × legs/day | files MB | raw rows landed | land s | build s "
             "| land + build s | legs published | peak RSS land / build MB | status |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in results:
        lines.append(
            f"| {r['format']} | {r['days']} × {r['legs_per_day']:,} | {r['files_mb']:,.0f} "
            f"| {r['raw_rows']:,} | {r['land_seconds']:.1f} | {r['build_seconds']:.1f} "
            f"| {r['land_seconds'] + r['build_seconds']:.1f} | {r['legs']:,} "
            f"| {r['land_rss_mb']:,.0f} / {r['build_rss_mb']:,.0f} | {r['status']} |")
    failed = [r for r in results if r["status"] != "ok"]
    for r in failed:
        lines += ["", f"{r['format']}: {r['message']}"]
    return "\n".join(lines) + "\n"


# Report (issue 13)


def render_report_section(machine: dict[str, str], measured: dict, legs_per_day: int,
                          days: int) -> str:
    lines = [
        "## The morning report (`hotline report`)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on the published warehouse of the "
        f"{days} days x {legs_per_day:,} legs/day nightly; git "
        f"{machine.get('git', '?')}, load average at start "
        f"{machine.get('load average at start', '?')}.",
        "",
        "| period | seconds | peak RSS MB | HTML MB | status |",
        "|---|---:|---:|---:|---|",
    ]
    for row in measured["results"]:
        html = f"{row['html_mb']:.2f}" if row["html_mb"] is not None else "—"
        lines.append(f"| {row['period']} | {row['seconds']:.1f} | {row['peak_rss_mb']:,.0f} | "
                     f"{html} | {row['status']} |")
    lines += ["", "Wall-clock time of the whole command (Python start, reading serving.duckdb, "
                  "charts, writing the file); the report reads the published marts only, so "
                  "its cost hardly grows with the legs."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# Main


def run_bench(days: int, legs_per_day: int, year: bool = False, only: str | None = None,
              workdir: Path | None = None, timeout: float | None = None, echo=print) -> dict:
    """Run the benchmark; return the report dict (and the generator section under 'sections')."""
    machine = machine_description()
    echo("machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()))
    workdir = Path(workdir or tempfile.mkdtemp(prefix="hotline-bench-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(workdir, timeout, echo)
    source = workdir / "source"
    shutil.rmtree(source, ignore_errors=True)
    # The generator's last day is a partial one (fewer late records, no spill-over into it):
    # generate one day beyond the incremental day so that day is a typical full day.
    # Two more days: the incremental night's and the edited-mart night's.
    gen_days = days if only == "generator" else days + 3
    sections, generation = {}, {}
    if only == "year":  # the year alone (its own section): generation, floor, nightlies
        bench.use_calendar_config(YEAR_DAYS + 3)
        year_source = workdir / "source-year"
        summary = year_source / GENERATION_SUMMARY
        if summary.is_file():  # generated by an earlier run in this workdir (--keep)
            generation = json.loads(summary.read_text(encoding="utf-8"))
            echo(f"reusing the year's data in {year_source} (generated in "
                 f"{generation['seconds']:.0f} s by an earlier run)")
        else:
            shutil.rmtree(year_source, ignore_errors=True)
            gen_run, gen_result = bench.generate(year_source, YEAR_DAYS + 2, YEAR_LEGS)
            echo(f"generated in {gen_run.seconds:.1f} s, peak RSS "
                 f"{gen_run.peak_rss_mb:,.0f} MB")
            generation = {"days": YEAR_DAYS + 2, "legs_per_day": YEAR_LEGS,
                          "seconds": gen_run.seconds, "peak_rss_mb": gen_run.peak_rss_mb,
                          "rows": gen_result["rows"], "csv_mb": gen_result["csv_bytes"] / 1e6}
            summary.write_text(json.dumps(generation), encoding="utf-8")
        sizes = [bench.measure_size("year", year_source, YEAR_DAYS, YEAR_LEGS, noop=True)]
        settings = profile_settings()
        report = build_report(machine, sizes, generation, {
            "dbt_memory_limit": settings["memory_limit"], "dbt_threads": settings["threads"],
            "default_memory_limit": duckdb_default_memory_limit()})
        sections["year"] = render_nightly_section(
            report, f"A year: {YEAR_DAYS} days × {YEAR_LEGS:,} legs/day (`--only year`)")
        report["sections"], report["workdir"] = sections, str(workdir)
        return report
    if only != "native":  # the native section generates its own data per format
        gen_run, gen_result = bench.generate(source, gen_days, legs_per_day)
        echo(f"generated in {gen_run.seconds:.1f} s, peak RSS {gen_run.peak_rss_mb:,.0f} MB, "
             f"{gen_result['csv_bytes'] / 1e6:,.0f} MB of CSV")
        sections["generator"] = render_generator_section(machine, gen_run, gen_days,
                                                         legs_per_day, gen_result)
        generation = {"days": gen_days, "legs_per_day": legs_per_day,
                      "seconds": gen_run.seconds, "peak_rss_mb": gen_run.peak_rss_mb,
                      "rows": gen_result["rows"], "csv_mb": gen_result["csv_bytes"] / 1e6}
    sizes: list[SizeResult] = []
    if only not in ("generator", "native"):
        bench.use_calendar_config(YEAR_DAYS + 3 if year else gen_days)
        if days >= 2:
            sizes.append(bench.measure_size("half", source, days // 2, legs_per_day))
        sizes.append(bench.measure_size("main", source, days, legs_per_day, noop=True,
                                        edit=True))
        if year:
            year_source = workdir / "source-year"
            shutil.rmtree(year_source, ignore_errors=True)
            bench.generate(year_source, YEAR_DAYS + 2, YEAR_LEGS)
            sizes.append(bench.measure_size("year", year_source, YEAR_DAYS, YEAR_LEGS,
                                            noop=True))
    settings = profile_settings()
    report = build_report(machine, sizes, generation, {
        "dbt_memory_limit": settings["memory_limit"], "dbt_threads": settings["threads"],
        "default_memory_limit": duckdb_default_memory_limit()})
    if sizes:
        sections["nightly"] = render_nightly_section(report)
        sections["business-time"] = render_business_time_section(machine, bench.business_time)
        report["business_time"] = bench.business_time
        main = next(size for size in sizes if size.label == "main")
        report["report"] = bench.report(f"main-{main.days}d")
        sections["report"] = render_report_section(machine, report["report"], legs_per_day,
                                                   main.days)
    if only in (None, "native"):  # native export formats (issue 14)
        native = measure_native(bench, days, legs_per_day)
        report["native"] = native
        sections["native"] = render_native_section(machine, native)
    report["sections"] = sections
    report["workdir"] = str(workdir)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hotline.devtools.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=60,
                        help="days of history for the full nightly (default 60; half of it "
                             "is measured too, for linearity)")
    parser.add_argument("--legs-per-day", type=int, default=20_000,
                        help="contact legs per day (default 20000)")
    parser.add_argument("--year", action="store_true",
                        help=f"also measure {YEAR_DAYS} days x {YEAR_LEGS:,} legs/day (long)")
    parser.add_argument("--only", choices=("generator", "nightly", "native", "year"),
                        help="measure and write only this section")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="markdown file to update (default BENCHMARKS.md)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--keep", action="store_true",
                        help="keep the bench directory (data, warehouses, logs)")
    parser.add_argument("--workdir", type=Path,
                        help="bench directory (default: a new one under ./bench/)")
    parser.add_argument("--timeout", type=float, default=4 * 3600,
                        help="seconds after which one child process is killed")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    workdir = args.workdir
    if workdir is None:
        BENCH_ROOT.mkdir(exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix=f"{datetime.now():%Y%m%dT%H%M%S}-",
                                        dir=BENCH_ROOT))
    try:
        report = run_bench(args.days, args.legs_per_day, year=args.year, only=args.only,
                           workdir=workdir, timeout=args.timeout)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    sections = report.pop("sections")
    for name, body in sections.items():
        if args.only and name != args.only and not (args.only == "nightly"
                                                    and name in ("business-time", "report")):
            continue
        print(body)
        if not args.no_write:
            write_section(args.output, name, body)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    if not args.no_write:
        print(f"results written to {args.output}")
    if args.keep:
        print(f"bench directory kept: {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
