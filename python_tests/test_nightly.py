"""End to end: `hotline nightly` as a real process, killed with SIGKILL at several steps, blocked by
the gate, raced by a second nightly and read by a BI reader while it publishes.

Small data (generator: 300 legs a day). The scenarios share two warehouses built once per
module; every nightly here is a full land + dbt build + GX audit + publish, so the module
takes a few minutes on a busy 2-core machine.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

DAYS = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]
# Columns that say when/in which batch a row was loaded: they differ between two warehouses
# fed the same files, everything else must be identical.
VOLATILE = {"batch_id", "_batch_id", "loaded_at", "_loaded_at", "run_id"}

@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("nightly_env")
    values = dict(os.environ)
    values.update({
        "DBT_TARGET_PATH": str(tmp / "target"),
        "DBT_LOG_PATH": str(tmp / "logs"),
        "GX_ANALYTICS_ENABLED": "false",
        "HOTLINE_PII_SALT": "test-salt",
        "HOTLINE_TEST_PAUSE_SECONDS": "600",
    })
    for name in ("HOTLINE_GATE_CONFIG", "HOTLINE_WAREHOUSE_DIR"):
        values.pop(name, None)
    return values


PAUSE_RUNNER = Path(__file__).with_name("pause_runner.py")


def hotline(env, *args: str, pause: str | None = None) -> subprocess.Popen:
    """The CLI in a child process; with `pause`, through python_tests/pause_runner.py, which
    wraps the nightly's steps to stop there (the production code has no test hooks)."""
    command = ([sys.executable, str(PAUSE_RUNNER), pause] if pause
               else [sys.executable, "-m", "hotline.cli"])
    return subprocess.Popen([*command, *args], env=dict(env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def nightly(env, landing: Path, warehouse: Path, pause: str | None = None) -> subprocess.Popen:
    return hotline(env, "nightly", "--landing-dir", str(landing), "--warehouse-dir",
                   str(warehouse), pause=pause)


def finish(proc: subprocess.Popen, timeout: float = 600) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


class StderrWatcher:
    """Reads a process's stderr in a thread so the test can wait for one line."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(proc,), daemon=True).start()

    def _pump(self, proc: subprocess.Popen) -> None:
        for line in proc.stderr:
            self.lines.put(line)
        self.lines.put("")

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return
            if line == "":
                break
        raise AssertionError(f"never saw {text!r}; stderr was:\n{''.join(self.seen)}")


def kill_at(env, landing: Path, warehouse: Path, step: str) -> None:
    proc = nightly(env, landing, warehouse, pause=step)
    watcher = StderrWatcher(proc)
    try:
        watcher.wait_for(f"paused at {step}")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def deliver(source: Path, landing: Path, day: str) -> None:
    for path in source.rglob(f"*{day}*"):
        target = landing / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published(path: Path) -> dict[str, list[tuple]]:
    """Every published table (but the run history) as sorted rows without load lineage."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_name <> 'dq_runs' order by 1").fetchall()]
        tables = {}
        for name in names:
            columns = [row[0] for row in con.execute(
                "select column_name from information_schema.columns where table_name = ? "
                "order by ordinal_position", [name]).fetchall() if row[0] not in VOLATILE]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f'select {select} from "{name}"').fetchall()
            tables[name] = sorted(rows, key=repr)
        return tables
    finally:
        con.close()


def runs(warehouse: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(warehouse / "hotline.duckdb"), read_only=True)
    try:
        return con.execute(
            "select status, coalesce(message, '') from ops.runs order by started_at").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def source(tmp_path_factory, env) -> Path:
    path = tmp_path_factory.mktemp("source") / "landing"
    proc = hotline(env, "generate", "--landing-dir", str(path), "--start-date", DAYS[0],
                   "--days", str(len(DAYS)), "--contacts-per-day", "300", "--seed", "5")
    code, out, err = finish(proc)
    assert code == 0, err
    return path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, env, source):
    """Warehouse B: day 1 published, snapshot taken, then day 2 published uninterrupted."""
    tmp = tmp_path_factory.mktemp("baseline")
    landing, warehouse = tmp / "landing", tmp / "wh"
    deliver(source, landing, DAYS[0])
    code, out, err = finish(nightly(env, landing, warehouse))
    assert code == 0, err
    assert "published" in out and "Data Docs:" in out
    day1 = tmp / "wh_day1"
    shutil.copytree(warehouse, day1)
    deliver(source, landing, DAYS[1])
    code, out, err = finish(nightly(env, landing, warehouse))
    assert code == 0, err
    return {"landing": landing, "warehouse": warehouse, "day1": day1,
            "day2": published(warehouse / "serving.duckdb")}


READER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    query = "select count(*), max(report_date) from fct_contacts"
    print(con.execute(query).fetchone(), flush=True)
    sys.stdin.readline()
    print(con.execute(query).fetchone(), flush=True)
""")


def test_killed_at_every_step_keeps_serving_and_next_run_matches(tmp_path, env, source,
                                                                  baseline):
    warehouse = tmp_path / "wh"
    shutil.copytree(baseline["day1"], warehouse)
    landing = tmp_path / "landing"
    deliver(source, landing, DAYS[0])
    deliver(source, landing, DAYS[1])
    serving = warehouse / "serving.duckdb"
    good = digest(serving)

    for step in ("land", "build", "publish"):
        if step == "build":
            # Killed while dbt is writing the working file (not at a pause point): a few
            # seconds after landing finished, dbt is in the middle of its ~20 s build.
            proc = nightly(env, landing, warehouse)
            watcher = StderrWatcher(proc)
            try:
                watcher.wait_for("new file(s)")
                time.sleep(5)
                assert proc.poll() is None, "the nightly finished before the kill"
            finally:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=60)
        elif step == "publish":
            # While this nightly holds the lock, a second one exits at once with code 4.
            proc = nightly(env, landing, warehouse, pause="publish")
            watcher = StderrWatcher(proc)
            try:
                watcher.wait_for("paused at publish")
                started = time.monotonic()
                code, _, err = finish(nightly(env, landing, warehouse), timeout=120)
                assert code == 4, err
                assert "another nightly is running" in err
                assert time.monotonic() - started < 60
            finally:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=60)
            assert list(warehouse.glob("serving.duckdb.tmp-*")), "kill left no temp file"
        else:
            kill_at(env, landing, warehouse, step)
        assert digest(serving) == good, f"serving.duckdb changed by a kill at {step}"
        con = duckdb.connect(str(serving), read_only=True)
        assert con.execute("select count(*) from fct_contacts").fetchone()[0] > 0
        con.close()

    # A BI reader holds the last good file open while the next nightly publishes.
    reader = subprocess.Popen([sys.executable, "-c", READER, str(serving)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        before = reader.stdout.readline().strip()
        assert before.startswith("(")
        code, out, err = finish(nightly(env, landing, warehouse))  # stale lock is recovered
        assert code == 0, err
        assert "recovered from an interrupted nightly" in err
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == before  # old snapshot, no error
        assert reader.wait(timeout=60) == 0, reader.stderr.read()
    finally:
        if reader.poll() is None:
            reader.kill()

    assert not list(warehouse.glob("serving.duckdb.tmp-*"))
    assert published(serving) == baseline["day2"]
    statuses = [status for status, _ in runs(warehouse)]
    assert statuses == ["published", "failed", "failed", "failed", "published"]
    assert all("interrupted" in message for status, message in runs(warehouse)[1:4])


def corrupt(path: Path, share: float) -> None:
    """Make `share` of the data lines malformed (two extra fields, one unterminated quote)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    body = lines[1:]
    step = round(1 / share * 2)  # 2 of every `step` lines
    bad = [line.rstrip("\n") + ',"x,"y\n' if index % step < 2 else line
           for index, line in enumerate(body)]
    path.write_text(lines[0] + "".join(bad), encoding="utf-8")


def test_blocked_delivery_leaves_serving_identical_and_next_night_publishes(env, source,
                                                                             baseline):
    landing, warehouse = baseline["landing"], baseline["warehouse"]
    serving = warehouse / "serving.duckdb"
    good = digest(serving)
    deliver(source, landing, DAYS[2])
    contacts = next((landing / "telephony" / "contacts").glob(f"*{DAYS[2]}*"))
    corrupt(contacts, 0.4)

    code, out, err = finish(nightly(env, landing, warehouse))
    assert code == 3, err
    assert digest(serving) == good
    assert "quality gate blocked the publish" in err
    assert "BLOCK [quarantine_share]" in err and "Data Docs:" in err

    # Retrying the blocked night without a fix lands nothing new and is still blocked: the
    # gate judges every batch not yet published, so a retry cannot quietly accept it.
    code, out, err = finish(nightly(env, landing, warehouse))
    assert code == 3, err
    assert digest(serving) == good
    assert "BLOCK [quarantine_share]" in err

    deliver(source, landing, DAYS[3])
    code, out, err = finish(nightly(env, landing, warehouse))
    assert code == 0, err
    assert digest(serving) != good
    con = duckdb.connect(str(serving), read_only=True)
    try:
        assert con.execute("select max(report_date) from fct_contacts").fetchone()[0] == \
            date.fromisoformat(DAYS[3])
        history = con.execute("select status from dq_runs order by started_at").fetchall()
        assert [row[0] for row in history] == [
            "published", "published", "blocked", "blocked", "published"]
        blocked = con.execute(
            "select quarantined_rows, blocking_failures from dq_runs where status = 'blocked'"
        ).fetchone()
        assert blocked[0] > 0 and "quarantine_share" in blocked[1]
    finally:
        con.close()

    code, out, err = finish(hotline({**env, "COLUMNS": "200"}, "status", "--warehouse-dir",
                                    str(warehouse)))
    assert code == 0, err
    assert "blocked" in out and "published" in out
    assert "[quarantine_share]" in out


def test_nothing_new_keeps_serving_and_skips_the_build(tmp_path, env, source, baseline):
    """A night with nothing new lands nothing, builds nothing and leaves serving.duckdb as
    it is (status 'unchanged'); a manual `hotline land` in between, or a freshness rule that
    blocks, makes the next night a whole one again."""
    landing, warehouse = tmp_path / "landing", tmp_path / "wh"
    shutil.copytree(baseline["landing"], landing)  # copy2: modification times kept
    shutil.copytree(baseline["warehouse"], warehouse)
    serving = warehouse / "serving.duckdb"
    before = digest(serving)

    code, out, err = finish(nightly(env, landing, warehouse))
    assert code == 0, err
    assert "unchanged" in out and "nothing new" in err
    steps = [line.split()[1] for line in err.splitlines()
             if line[:1] in ("✓", "✗", "⚠") and len(line.split()) > 1]
    assert steps == ["land", "nothing"]  # no build, audit or publish step
    assert digest(serving) == before
    status, message = runs(warehouse)[-1]
    assert status == "unchanged" and "serving.duckdb already holds run" in message

    # the generated days are long past: with freshness blocking, the night runs whole and
    # the audit blocks it
    config = tmp_path / "gate.yml"
    from hotline.settings import PROJECT_DIR

    text = (PROJECT_DIR / "gate.yml").read_text(encoding="utf-8")
    assert "freshness: {severity: warn" in text
    config.write_text(text.replace("freshness: {severity: warn", "freshness: {severity: block"),
                      encoding="utf-8")
    code, out, err = finish(nightly({**env, "HOTLINE_GATE_CONFIG": str(config)}, landing,
                                    warehouse))
    assert code == 3, err
    assert "BLOCK [freshness]" in err and digest(serving) == before

    # a delivery landed by hand since the last publish: the night builds and publishes it
    deliver(source, landing, DAYS[2])
    code, out, err = finish(hotline(env, "land", "--landing-dir", str(landing),
                                    "--warehouse-dir", str(warehouse)))
    assert code == 0, err
    code, out, err = finish(nightly(env, landing, warehouse))
    assert code == 0, err
    assert "nothing new" not in err and digest(serving) != before
    assert runs(warehouse)[-1][0] == "published"
