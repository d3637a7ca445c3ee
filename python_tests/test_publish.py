"""Publishing by atomic swap, readers during a publish, stale temp files, and the nightly lock."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

import hotline.publish
from hotline.lock import LockBusy, nightly_lock
from hotline.nightly import record_run
from hotline.publish import publish, remove_stale_temp_files, temp_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _working(warehouse: Path, legs: int) -> None:
    """A working file with marts (published and not) and the run history."""
    con = duckdb.connect(str(warehouse / "hotline.duckdb"))
    con.execute("create schema if not exists marts; create schema if not exists staging")
    con.execute(f"create or replace table marts.fct_contacts as "
                f"select 'c' || range as contact_id from range({legs})")
    con.execute("create or replace table marts.kpi_queue_daily as select 1 as offered")
    con.execute("create or replace table marts.dq_reconciliation as select true as ok")
    con.execute("create or replace table marts.helper_not_published as select 1 as x")
    con.execute("create or replace table staging.stg_x as select 1 as x")
    con.close()


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "wh"
    path.mkdir()
    _working(path, 3)
    record_run(path, "run-1", status="running")
    return path


def test_publish_builds_serving_with_only_published_tables(warehouse):
    result = publish(warehouse, "run-1", run_updates={"status": "published"})
    serving = warehouse / "serving.duckdb"
    assert result.path == serving
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables order by 2"
        ).fetchall()
        assert tables == [("main", "dq_reconciliation"), ("main", "dq_runs"),
                          ("main", "fct_contacts"), ("main", "kpi_queue_daily")]
        assert con.execute("select count(*) from fct_contacts").fetchone()[0] == 3
        # This run already shows as published in the history it publishes.
        assert con.execute("select status from dq_runs where run_id = 'run-1'").fetchall() == [
            ("published",)]
    finally:
        con.close()
    assert not list(warehouse.glob("serving.duckdb.tmp-*"))
    assert not (warehouse / "serving.duckdb.wal").exists()


def test_failed_publish_leaves_serving_byte_identical(warehouse, monkeypatch):
    publish(warehouse, "run-1")
    before = _digest(warehouse / "serving.duckdb")
    _working(warehouse, 10)

    def crash(path) -> None:
        # the new file is complete; the crash comes before it is synced and swapped in
        raise RuntimeError(f"crash before syncing {path}")

    monkeypatch.setattr(hotline.publish, "fsync_path", crash)
    with pytest.raises(RuntimeError):
        publish(warehouse, "run-2")
    assert _digest(warehouse / "serving.duckdb") == before
    assert temp_path(warehouse, "run-2").exists()  # what a kill leaves behind
    removed = remove_stale_temp_files(warehouse)
    assert removed == [temp_path(warehouse, "run-2")]
    assert not list(warehouse.glob("serving.duckdb.tmp-*"))


READER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from fct_contacts").fetchone()[0], flush=True)
    sys.stdin.readline()
    print(con.execute("select count(*) from fct_contacts").fetchone()[0], flush=True)
""")


def test_reader_holding_serving_open_keeps_its_snapshot(warehouse):
    publish(warehouse, "run-1")
    serving = warehouse / "serving.duckdb"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(serving)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "3"
        _working(warehouse, 7)
        started = time.monotonic()
        publish(warehouse, "run-2")  # must not wait on (or disturb) the reader
        assert time.monotonic() - started < 30
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "3"  # old snapshot, no error
        assert reader.wait(timeout=30) == 0
    finally:
        if reader.poll() is None:
            reader.kill()
    con = duckdb.connect(str(serving), read_only=True)
    assert con.execute("select count(*) from fct_contacts").fetchone()[0] == 7
    con.close()


def test_lock_is_exclusive(tmp_path):
    with nightly_lock(tmp_path), pytest.raises(LockBusy, match="another nightly"), \
            nightly_lock(tmp_path):
        pass
    with nightly_lock(tmp_path):  # released on exit
        pass


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from hotline.lock import nightly_lock
    with nightly_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(120)
""")


def test_lock_of_a_killed_process_is_recovered(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockBusy) as busy, nightly_lock(tmp_path):
            pass
        assert f"pid {holder.pid}" in str(busy.value)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
    with nightly_lock(tmp_path):  # the kernel released the dead holder's lock
        pass


WRITER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])  # a nightly writing the working file
    print("open", flush=True)
    time.sleep(120)
""")


def test_status_reads_serving_while_the_working_file_is_busy(warehouse):
    from hotline.nightly import read_runs

    publish(warehouse, "run-1", run_updates={"status": "published"})
    source, rows = read_runs(warehouse)
    assert source.startswith("working") and rows[0]["status"] == "running"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(warehouse / "hotline.duckdb")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        source, rows = read_runs(warehouse)
        assert source.startswith("serving") and rows[0]["status"] == "published"
    finally:
        writer.kill()
        writer.wait(timeout=30)
