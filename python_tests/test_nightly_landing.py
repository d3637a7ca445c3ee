"""`hotline nightly` with hostile deliveries (issue 10), as a scheduler sees it: the exit code,
the run output, serving.duckdb untouched when blocked, and the published file-level report.

One warehouse lives through five nights (small generated data, 2 days x 100 legs):
  1. a stray-quote contacts file (with two non-ISO timestamps), skipped names, a GBK and a
     UTF-8 agents file                                                          -> 0, published
  2. a file missing a required column and a GBK file under --encoding utf-8     -> 3, blocked
  2b. the same retried with landing_failures relaxed to warn                    -> 0, published
  3. the column fixed under the same path, the encoding back to auto            -> 0, both land
  4. (in-process) a file whose lines the CSV reader does not all return         -> 3, blocked
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from landing_helpers import assert_every_line_accounted

pytestmark = pytest.mark.slow

CONTACTS = "telephony/contacts"
AGENTS = "telephony/agents"
HEADER = "contact_id,channel,direction,initiated_at,ended_at,disconnect_reason"
SKIPPED = {f"{CONTACTS}/.upload.csv": "incomplete_upload",
           f"{CONTACTS}/~lock.csv": "incomplete_upload",
           f"{CONTACTS}/contacts_x.csv.tmp": "incomplete_upload",
           f"{CONTACTS}/contacts_y.csv.part": "incomplete_upload",
           f"{CONTACTS}/contacts.tsv": "unsupported_format"}


def contact(contact_id: str, day: str = "2026-03-02") -> str:
    return (f"{contact_id},voice,inbound,{day}T09:00:00Z,{day}T09:05:00Z,"
            "customer_disconnect")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(landing: Path, rel: str, data: str | bytes) -> None:
    path = landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def serving(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("nightly_landing_env")
    values = dict(os.environ)
    values.update({"DBT_TARGET_PATH": str(tmp / "target"), "DBT_LOG_PATH": str(tmp / "logs"),
                   "GX_ANALYTICS_ENABLED": "false", "HOTLINE_PII_SALT": "test-salt",
                   "COLUMNS": "200"})
    for name in ("HOTLINE_GATE_CONFIG", "HOTLINE_WAREHOUSE_DIR",
                 "HOTLINE_LANDING_ENCODING"):
        values.pop(name, None)
    return values


def nightly(env: dict, landing: Path, warehouse: Path, *extra: str,
            **env_extra: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "nightly", "--landing-dir", str(landing),
         "--warehouse-dir", str(warehouse), *extra],
        env={**env, **env_extra}, capture_output=True, text=True, timeout=900)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def nights(tmp_path_factory, env):
    """Runs nights 1-3 once; the tests below read what each night left."""
    from hotline.devtools.generator import generate

    root = tmp_path_factory.mktemp("nightly_landing")
    source, landing, warehouse = root / "source", root / "landing", root / "wh"
    generate(landing_dir=source, start_date=date(2026, 3, 2), days=2, contacts_per_day=100,
             seed=3, dirty=False)
    results: dict[str, object] = {"landing": landing, "warehouse": warehouse}

    def deliver(day: str) -> None:
        for path in source.rglob(f"*{day}*"):
            target = landing / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)

    # night 1
    deliver("2026-03-02")
    stray = [HEADER] + [contact(f"SQ{n:03d}") for n in range(2, 487)]
    stray[199] = stray[199].replace(",voice,", ',"voice,')
    # timestamps the contract does not allow (on main the first was read as local time)
    stray[50] = stray[50].replace("2026-03-02T09:00:00Z", "2026/03/02 09:00")
    stray[60] = stray[60].replace("2026-03-02T09:00:00Z", "1772442000")
    write(landing, f"{CONTACTS}/stray_quote.csv", "\n".join(stray) + "\n")
    write(landing, f"{CONTACTS}/_late.csv", "\n".join([HEADER, contact("LATE1")]) + "\n")
    for rel in SKIPPED:
        write(landing, rel, "\n".join([HEADER, contact("NEVER")]) + "\n")
    write(landing, f"{AGENTS}/extra_gbk.csv",
          "agent_id,agent_name,team\nG001,张伟,投诉组\nG002,李娜,售后\n".encode("gbk"))
    write(landing, f"{AGENTS}/extra_utf8.csv", "agent_id,agent_name,team\nU001,王芳,投诉组\n")
    results["night1"] = nightly(env, landing, warehouse)
    results["night1_serving"] = digest(warehouse / "serving.duckdb")
    results["night1_lines"] = assert_every_line_accounted(landing, warehouse)

    # night 2: two files that fail; blocked, then accepted with the rule relaxed
    deliver("2026-03-03")
    write(landing, f"{CONTACTS}/no_direction.csv",
          "contact_id,channel,initiated_at,ended_at,disconnect_reason\n"
          "ND1,voice,2026-03-03T09:00:00Z,2026-03-03T09:05:00Z,system\n")
    write(landing, f"{AGENTS}/late_gbk.csv",
          "agent_id,agent_name,team\nG003,赵磊,投诉组\n".encode("gbk"))
    results["night2"] = nightly(env, landing, warehouse, "--encoding", "utf-8")
    results["night2_serving"] = digest(warehouse / "serving.duckdb")
    gate = (Path(__file__).resolve().parent.parent / "gate.yml").read_text(encoding="utf-8")
    relaxed = root / "gate-warn.yml"
    relaxed.write_text(gate.replace("landing_failures: {severity: block}",
                                    "landing_failures: {severity: warn}"), encoding="utf-8")
    results["night2b"] = nightly(env, landing, warehouse, "--gate-config", str(relaxed),
                                 HOTLINE_LANDING_ENCODING="utf-8")
    results["night2b_serving"] = digest(warehouse / "serving.duckdb")

    # night 3: the column fixed under the same path, the encoding detected again
    write(landing, f"{CONTACTS}/no_direction.csv",
          "contact_id,channel,direction,initiated_at,ended_at,disconnect_reason\n"
          "ND1,voice,inbound,2026-03-03T09:00:00Z,2026-03-03T09:05:00Z,system\n")
    results["night3"] = nightly(env, landing, warehouse)
    results["night3_lines"] = assert_every_line_accounted(landing, warehouse)
    return results


def test_night1_stray_quote_skipped_names_and_encodings_publish(nights):
    code, out, err = nights["night1"]
    assert code == 0, err
    warehouse = nights["warehouse"]
    # the stray quote costs one row: every other record is in the facts (but the two with
    # timestamps that are not ISO 8601, quarantined with the shape of the value)
    assert serving(warehouse, "select count(*) from fct_contacts "
                              "where contact_id like 'SQ%'") == [(482,)]
    assert serving(warehouse, "select reason, reason_detail from dq_quarantined_rows "
                              "where source_file like '%stray_quote.csv' order by 1, 2") == [
        ("malformed_line", "UNBALANCED QUOTE: a quoted value opened on this line is not closed "
         "on it, and no contacts field may span lines; the line is quarantined on its own and "
         "reading resumes at the next line"),
        ("unparseable:initiated_at", "value shaped 9999/99/99 99:99 is not an ISO 8601 "
         "timestamp (YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|+HH:MM|+HHMM|+HH])"),
        ("unparseable:initiated_at", "value shaped 9999999999 is not an ISO 8601 timestamp "
         "(YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|+HH:MM|+HHMM|+HH])")]
    assert serving(warehouse, "select source_row from dq_quarantined_rows where "
                              "source_file like '%stray_quote.csv' and reason = 'malformed_line'"
                   ) == [(200,)]
    assert nights["night1_lines"][f"{CONTACTS}/stray_quote.csv"]["reject_lines"] == [200]
    assert serving(warehouse, "select physical_lines, records_found, raw_rows, "
                              "raw_rejected_records, unaccounted_lines, is_reconciled "
                              "from dq_landed_files where source_file like '%stray_quote.csv'"
                   ) == [(486, 485, 484, 1, 0, True)]
    # every skipped name is in the run output, the run history and the published report
    for rel, reason in SKIPPED.items():
        assert rel in err and reason in err
    skipped = dict(serving(warehouse, "select source_file, skip_reason from dq_landed_files "
                                      "where status = 'skipped'"))
    assert skipped == SKIPPED
    runs = serving(warehouse, "select files_skipped, skipped_files from dq_runs")
    assert runs[0][0] == len(SKIPPED) and all(rel in runs[0][1] for rel in SKIPPED)
    assert serving(warehouse, "select count(*) from fct_contacts "
                              "where contact_id in ('LATE1', 'NEVER')") == [(1,)]
    # GBK and UTF-8 agent names of one night are both right
    names = dict(serving(warehouse, "select agent_id, agent_name from dim_agents "
                                    "where agent_id in ('G001', 'G002', 'U001')"))
    assert names == {"G001": "张伟", "G002": "李娜", "U001": "王芳"}
    assert dict(serving(warehouse, "select source_file, encoding from dq_landed_files "
                                   "where source_file like '%extra_%'")) == {
        f"{AGENTS}/extra_gbk.csv": "gb18030", f"{AGENTS}/extra_utf8.csv": "utf-8"}


def test_night2_failed_files_block_naming_file_and_reason(nights):
    code, out, err = nights["night2"]
    assert code == 3, err
    assert nights["night2_serving"] == nights["night1_serving"]  # serving untouched
    assert "BLOCK [landing_failures] file telephony/contacts/no_direction.csv loads" in err
    assert "missing required column direction" in err
    assert "BLOCK [landing_failures] file telephony/agents/late_gbk.csv loads" in err
    assert "not valid UTF-8" in err
    assert "⚠ land" in err  # a step with failures is not shown as a success


def test_night2b_warn_switch_publishes_and_lists_the_failed_files(nights):
    code, out, err = nights["night2b"]
    assert code == 0, err
    assert nights["night2b_serving"] != nights["night2_serving"]
    assert "failed to land (will be retried)" in out and "no_direction.csv" in out
    failed = serving(nights["warehouse"], "select distinct source_file from dq_landed_files "
                                          "where status = 'failed' order by 1")
    assert failed == [(f"{AGENTS}/late_gbk.csv",), (f"{CONTACTS}/no_direction.csv",)]
    # (serving now holds night 3 too: the fixture ran every night before the tests read it)
    history = serving(nights["warehouse"], "select status, failed_files from dq_runs "
                                           "order by started_at")[:3]
    assert [status for status, _ in history] == ["published", "blocked", "published"]
    assert any("no_direction.csv" in line for line in json.loads(history[2][1]))


def test_night3_fixed_and_reencoded_files_land_under_the_same_path(nights):
    code, out, err = nights["night3"]
    assert code == 0, err
    warehouse = nights["warehouse"]
    assert serving(warehouse, "select count(*) from fct_contacts where contact_id = 'ND1'") == [
        (1,)]
    assert serving(warehouse, "select agent_name from dim_agents where agent_id = 'G003'") == [
        ("赵磊",)]
    loaded = serving(warehouse, "select source_file, encoding from dq_landed_files "
                                "where status = 'loaded' and source_file in "
                                f"('{CONTACTS}/no_direction.csv', '{AGENTS}/late_gbk.csv')")
    assert sorted(loaded) == [(f"{AGENTS}/late_gbk.csv", "gb18030"),
                              (f"{CONTACTS}/no_direction.csv", "utf-8")]
    assert serving(warehouse, "select count(*) from dq_landed_files "
                              "where status = 'loaded' and not is_reconciled") == [(0,)]
    assert f"{CONTACTS}/no_direction.csv" in nights["night3_lines"]


def test_night4_unaccounted_lines_block_naming_file_and_line(nights, env, monkeypatch):
    """The CSV reader returning fewer records than the file holds (simulated) fails the file;
    the gate blocks the night naming the file and the line; serving.duckdb is untouched."""
    from hotline import landing
    from hotline.nightly import NightlyError, run_nightly

    for name, value in env.items():
        if name.startswith(("DBT_", "HOTLINE_", "GX_")):
            monkeypatch.setenv(name, value)
    landing_dir, warehouse = nights["landing"], nights["warehouse"]
    before = digest(warehouse / "serving.duckdb")
    write(landing_dir, f"{CONTACTS}/short_read.csv",
          "\n".join([HEADER] + [contact(f"SR{n}", "2026-03-03") for n in range(2, 12)]) + "\n")
    real = landing._csv_reader_sql

    def dropping(path, *args):
        if "short_read" not in path.name and ".strict." not in path.name:
            return real(path, *args)
        copy = path.with_name(path.name + ".dropped")
        kept = [line for number, line in enumerate(path.read_text().splitlines(), start=1)
                if number != 7]
        copy.write_text("\n".join(kept) + "\n")
        return real(copy, *args)

    monkeypatch.setattr(landing, "_csv_reader_sql", dropping)
    with pytest.raises(NightlyError) as blocked:
        run_nightly(landing_dir, warehouse)
    assert blocked.value.exit_code == 3
    message = str(blocked.value)
    assert "short_read.csv" in message and "line 7" in message
    assert digest(warehouse / "serving.duckdb") == before
