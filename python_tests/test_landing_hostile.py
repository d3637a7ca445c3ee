"""`hotline land` against hostile files (issue 10): nothing lost, every line accounted for.

Each test lands small hand-written files and then runs the independent line check of
landing_helpers.py: every physical line of every landed file is the header, a blank line, a
landed row or a quarantined record with its complete text.
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from landing_helpers import assert_every_line_accounted

from hotline import landing
from hotline.landing import LandingError, land
from hotline.landing_scan import MAX_RECORD_LINES, EncodingPolicy, LineStats

CONTACTS = "telephony/contacts"
AGENTS = "telephony/agents"
TICKETS = "ticketing/tickets"
RESPONSES = "survey/responses"
CONTACT_HEADER = "contact_id,channel,direction,initiated_at,ended_at,disconnect_reason"
TICKET_HEADER = "ticket_id,created_at,updated_at,source_channel,priority,status,subject"


def contact(contact_id: str) -> str:
    return (f"{contact_id},voice,inbound,2026-03-02T09:00:00Z,2026-03-02T09:05:00Z,"
            "customer_disconnect")


def ticket(ticket_id: str, subject: str = "refund") -> str:
    return f"{ticket_id},2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,voice,normal,open,{subject}"


def write(landing_dir: Path, rel: str, data: str | bytes) -> Path:
    path = landing_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "hotline.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    landing_dir = tmp_path / "landing"
    landing_dir.mkdir()
    return landing_dir, tmp_path / "wh"


# --- a stray quote costs one row ---------------------------------------------------------------


def test_stray_quote_costs_one_row_not_the_rest_of_the_file(dirs):
    """The issue's case: 485 records, quoting only where needed, a `"` at the start of a field
    on line 200. On main 198 rows were kept, 1 quarantined (cut at 10,000 characters) and 286
    lost with exit 0."""
    landing_dir, warehouse = dirs
    lines = [CONTACT_HEADER] + [contact(f"c{n:03d}") for n in range(2, 487)]
    lines[199] = lines[199].replace(",voice,", ',"voice,')
    write(landing_dir, f"{CONTACTS}/contacts.csv", "\n".join(lines) + "\n")
    report = land(landing_dir, warehouse)
    assert report.files_failed == []
    assert report.rows_loaded == 484 and report.rejected_lines == 1
    assert query(warehouse, "select _source_line, raw_line from raw._rejected_lines") == [
        (200, lines[199])]
    assert query(warehouse, "select physical_lines, header_lines, blank_lines, records_found, "
                            "row_count, rejected_line_count from raw._manifest") == [
        (486, 1, 0, 485, 484, 1)]
    summary = assert_every_line_accounted(landing_dir, warehouse)
    assert summary[f"{CONTACTS}/contacts.csv"]["reject_lines"] == [200]


def test_multiline_subject_is_one_record_and_a_stray_quote_resynchronises(dirs):
    landing_dir, warehouse = dirs
    lines = [TICKET_HEADER] + [ticket(f"t{n:02d}") for n in range(2, 40)]
    lines[4] = ticket("t05", '"line one\nline two, still the subject"')  # legit, 2 lines
    lines[10] = ticket("t11", '"stray')  # opens a quote that the next quoted value "closes"
    lines[15] = ticket("t16", '"quoted, fine"')
    long_subject = "\n".join(["x"] * (MAX_RECORD_LINES + 5))
    lines[20] = ticket("t21", f'"{long_subject}"')  # implausible: more lines than allowed
    write(landing_dir, f"{TICKETS}/tickets.csv", "\n".join(lines) + "\n")
    report = land(landing_dir, warehouse)
    assert report.files_failed == [] and report.strict_pass == [f"{TICKETS}/tickets.csv"]
    subjects = dict(query(warehouse, "select ticket_id, subject from raw.tickets"))
    assert subjects["t05"] == "line one\nline two, still the subject"
    assert subjects["t16"] == "quoted, fine"
    assert "t11" not in subjects and "t21" not in subjects
    # every good ticket after the stray quote landed
    assert {f"t{n:02d}" for n in range(12, 40) if n != 21} <= set(subjects)
    summary = assert_every_line_accounted(landing_dir, warehouse)
    stats = summary[f"{TICKETS}/tickets.csv"]
    # t11 alone (physical line 12: the subject of t05 spans two lines); the long record's first
    # line alone, its "x" lines land nowhere but quarantine, its closing line is a new stray quote
    assert stats["reject_lines"][0] == 12 and stats["rejected"] >= 2
    assert report.rejected_lines == stats["rejected"]


def test_a_record_spanning_lines_in_contacts_is_quarantined_line_by_line(dirs):
    """No contacts field may hold a line break: the opening line is quarantined on its own and
    reading resumes at the next line (whatever the continuation lines turn out to be)."""
    landing_dir, warehouse = dirs
    text = "\n".join([CONTACT_HEADER + ",wrap_code", contact("c1") + ",ok",
                      contact("c2") + ',"two', 'lines"', contact("c3") + ",ok"]) + "\n"
    write(landing_dir, f"{CONTACTS}/x.csv", text)
    report = land(landing_dir, warehouse)
    assert report.files_failed == []
    assert {row[0] for row in query(warehouse, "select contact_id from raw.contacts")} == {
        "c1", "c3"}
    assert [line for line, in query(warehouse, "select _source_line from raw._rejected_lines "
                                               "order by 1")] == [3, 4]
    assert_every_line_accounted(landing_dir, warehouse)


def test_long_fields_are_quarantined_with_their_complete_text(dirs):
    """DuckDB's own reject text stops at 10,000 characters; quarantine keeps everything."""
    landing_dir, warehouse = dirs
    long_value = "x" * 25_000
    lines = [CONTACT_HEADER, contact("c1"),
             f"c2,voice,inbound,{long_value}",  # too few columns, 25k characters
             f'c3,"{long_value}',  # unterminated quote, 25k characters
             contact("c4")]
    write(landing_dir, f"{CONTACTS}/x.csv", "\n".join(lines) + "\n")
    report = land(landing_dir, warehouse)
    assert report.files_failed == []
    rejected = query(warehouse, "select _source_line, length(raw_line) from raw._rejected_lines "
                                "order by 1")
    assert rejected == [(3, len(lines[2])), (4, len(lines[3]))]
    assert {row[0] for row in query(warehouse, "select contact_id from raw.contacts")} == {
        "c1", "c4"}
    assert_every_line_accounted(landing_dir, warehouse)


def test_crlf_blank_lines_lone_cr_and_no_final_newline(dirs):
    landing_dir, warehouse = dirs
    crlf = "\r\n".join([CONTACT_HEADER, contact("a1"), "", contact("a2"), "", "",
                        contact("a3")])  # no final newline
    write(landing_dir, f"{CONTACTS}/crlf.csv", crlf)
    lone = "\n".join([CONTACT_HEADER, contact("b1"), contact("b2").replace("voice", "vo\rice"),
                      contact("b3")]) + "\n"
    write(landing_dir, f"{CONTACTS}/lone_cr.csv", lone)
    report = land(landing_dir, warehouse)
    assert report.files_failed == []
    ids = {row[0] for row in query(warehouse, "select contact_id from raw.contacts")}
    assert ids == {"a1", "a2", "a3", "b1", "b3"}
    assert query(warehouse, "select source_file, physical_lines, blank_lines, records_found "
                            "from raw._manifest order by 1") == [
        (f"{CONTACTS}/crlf.csv", 7, 3, 3), (f"{CONTACTS}/lone_cr.csv", 4, 0, 3)]
    assert query(warehouse, "select _source_file, _source_line from raw._rejected_lines") == [
        (f"{CONTACTS}/lone_cr.csv", 3)]
    assert_every_line_accounted(landing_dir, warehouse)


def test_generated_dirty_deliveries_account_for_every_line(tmp_path):
    from hotline.devtools.generator import generate

    landing_dir = tmp_path / "landing"
    generate(landing_dir=landing_dir, start_date=date(2026, 3, 2), days=3,
             contacts_per_day=300, seed=7, dirty=True)
    report = land(landing_dir, tmp_path / "wh")
    assert report.files_failed == [] and report.rejected_lines > 0
    summary = assert_every_line_accounted(landing_dir, tmp_path / "wh")
    assert len(summary) == len(report.files_loaded)


# --- control totals that do not reconcile ------------------------------------------------------


def test_unaccounted_lines_fail_the_file_naming_the_line_and_it_lands_once_fixed(dirs,
                                                                                  monkeypatch):
    """If the CSV reader ever drops a record (simulated: it reads a copy without line 5), the
    file is not landed, the failure names the file and the line, and the next run lands it."""
    landing_dir, warehouse = dirs
    lines = [CONTACT_HEADER] + [contact(f"c{n}") for n in range(2, 10)]
    write(landing_dir, f"{CONTACTS}/x.csv", "\n".join(lines) + "\n")
    real = landing._csv_reader_sql

    def dropping(path, *args):
        copy = path.with_name(path.name + ".dropped")
        kept = [line for number, line in enumerate(path.read_text().splitlines(), start=1)
                if number != 5]
        copy.write_text("\n".join(kept) + "\n")
        return real(copy, *args)

    monkeypatch.setattr(landing, "_csv_reader_sql", dropping)
    report = land(landing_dir, warehouse)
    assert [path for path, _ in report.files_failed] == [f"{CONTACTS}/x.csv"]
    message = report.files_failed[0][1]
    assert "control totals do not reconcile" in message and "line 5" in message
    assert query(warehouse, "select count(*) from raw.contacts") == [(0,)]
    assert query(warehouse, "select status from raw._manifest") == [("failed",)]

    monkeypatch.undo()
    again = land(landing_dir, warehouse)
    assert again.files_loaded == [f"{CONTACTS}/x.csv"] and again.rows_loaded == 8
    assert_every_line_accounted(landing_dir, warehouse)


def test_parquet_rows_reconcile_with_its_metadata(dirs):
    landing_dir, warehouse = dirs
    path = landing_dir / "telephony/queues/q.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(pa.table({"queue_id": ["q1", "q2"], "queue_name": ["A", "B"],
                             "channel": ["voice", "chat"]}), path)
    land(landing_dir, warehouse)
    assert query(warehouse, "select records_found, row_count, physical_lines, header_lines "
                            "from raw._manifest") == [(2, 2, None, 0)]


# --- every file is loaded or reported --------------------------------------------------------


SKIPPED = {
    f"{CONTACTS}/.x.csv": "incomplete_upload",
    f"{CONTACTS}/~x.csv": "incomplete_upload",
    f"{CONTACTS}/x.csv.tmp": "incomplete_upload",
    f"{CONTACTS}/x.csv.part": "incomplete_upload",
    f"{CONTACTS}/X.CSV.TMP": "incomplete_upload",
    f"{CONTACTS}/.sync/inner.csv": None,  # inside a hidden folder: the folder is listed
    f"{CONTACTS}/.sync/": "incomplete_upload",
    f"{CONTACTS}/x.tsv": "unsupported_format",
    f"{CONTACTS}/x.txt": "unsupported_format",
    "telephony/contact/typo.csv": "outside_entity_folders",
    "readme.csv": "outside_entity_folders",
}


@pytest.mark.parametrize("name", [name for name, reason in SKIPPED.items()
                                  if reason and not name.endswith("/")])
def test_each_skipped_name_is_listed_not_loaded(dirs, name):
    landing_dir, warehouse = dirs
    write(landing_dir, name, "\n".join([CONTACT_HEADER, contact("s1")]) + "\n")
    write(landing_dir, f"{CONTACTS}/_late.csv", "\n".join([CONTACT_HEADER, contact("l1")]) + "\n")
    report = land(landing_dir, warehouse)
    assert report.files_loaded == [f"{CONTACTS}/_late.csv"]  # an underscore name loads
    assert report.files_ignored == [name]
    assert report.ignored_reasons[name] == SKIPPED[name]
    assert name in str(report) and SKIPPED[name] in str(report)
    assert query(warehouse, "select source_file, status, delivery_seq, message "
                            "from raw._manifest where status = 'skipped'") == [
        (name, "skipped", None, f"{SKIPPED[name]}: {landing.SKIP_REASONS[SKIPPED[name]]}")]
    assert query(warehouse, "select contact_id from raw.contacts") == [("l1",)]
    # listed again on every run, never loaded
    again = land(landing_dir, warehouse)
    assert again.files_ignored == [name] and again.files_loaded == []


def test_hidden_folders_are_listed_once_and_not_entered(dirs):
    landing_dir, warehouse = dirs
    write(landing_dir, f"{CONTACTS}/.sync/inner.csv", CONTACT_HEADER + "\n")
    write(landing_dir, f"{CONTACTS}/.sync/deeper/more.csv", CONTACT_HEADER + "\n")
    report = land(landing_dir, warehouse)
    assert report.files_ignored == [f"{CONTACTS}/.sync/"]
    assert report.files_loaded == []


# --- encodings per file ------------------------------------------------------------------------


def agents_csv(*names: str) -> str:
    return "agent_id,agent_name,team\n" + "".join(
        f"a{n},{name},投诉组\n" for n, name in enumerate(names, start=1))


def test_gbk_and_utf8_files_of_one_night_are_each_decoded_right(dirs):
    """On main a gb18030 setting decoded the night's UTF-8 files as GB18030 too (garbled
    names were published)."""
    landing_dir, warehouse = dirs
    write(landing_dir, f"{AGENTS}/a_gbk.csv", agents_csv("张伟", "李娜").encode("gbk"))
    write(landing_dir, f"{AGENTS}/b_utf8.csv", agents_csv("王芳", "刘洋"))
    write(landing_dir, f"{AGENTS}/c_bom.csv", "\ufeff" + agents_csv("陈静"))
    write(landing_dir, f"{AGENTS}/d_gb.csv.gz", gzip.compress(agents_csv("赵磊").encode("gbk")))
    for setting in ("gb18030", None):
        warehouse_dir = warehouse / (setting or "auto")
        report = land(landing_dir, warehouse_dir, encoding=setting)
        assert report.files_failed == [] and report.rejected_lines == 0
        names = query(warehouse_dir, "select _source_file, agent_name from raw.agents "
                                     "order by _source_file, agent_id")
        assert [name for _, name in names] == ["张伟", "李娜", "王芳", "刘洋", "陈静", "赵磊"]
        assert query(warehouse_dir, "select source_file, encoding from raw._manifest "
                                    "order by 1") == [
            (f"{AGENTS}/a_gbk.csv", "gb18030"), (f"{AGENTS}/b_utf8.csv", "utf-8"),
            (f"{AGENTS}/c_bom.csv", "utf-8-sig"), (f"{AGENTS}/d_gb.csv.gz", "gb18030")]
        assert_every_line_accounted(landing_dir, warehouse_dir)


def test_gbk_file_that_failed_lands_when_retried_with_the_right_setting(dirs):
    """On main a GBK file that failed once was recorded as landed: fixing the setting did not
    help, only renaming the file."""
    landing_dir, warehouse = dirs
    write(landing_dir, f"{AGENTS}/agents.csv", agents_csv("张伟", "李娜").encode("gbk"))
    first = land(landing_dir, warehouse, encoding="utf-8")
    assert [path for path, _ in first.files_failed] == [f"{AGENTS}/agents.csv"]
    assert "not valid UTF-8" in first.files_failed[0][1]
    assert query(warehouse, "select count(*) from raw.agents") == [(0,)]
    second = land(landing_dir, warehouse, encoding="gb18030")
    assert second.files_loaded == [f"{AGENTS}/agents.csv"] and second.files_skipped == []
    assert query(warehouse, "select agent_name from raw.agents order by agent_id") == [
        ("张伟",), ("李娜",)]
    third = land(landing_dir, warehouse)
    assert third.files_skipped == [f"{AGENTS}/agents.csv"]  # landed now: a no-op


def test_encoding_per_folder_and_bad_settings(dirs, monkeypatch):
    landing_dir, warehouse = dirs
    write(landing_dir, f"{AGENTS}/agents.csv", agents_csv("张伟").encode("gbk"))
    write(landing_dir, f"{RESPONSES}/r.csv",
          "response_id,survey_type,responded_at,score,comment\n"
          "r1,csat,2026-03-02T09:00:00Z,5,很好\n".encode("gbk"))
    monkeypatch.setenv("HOTLINE_LANDING_ENCODING", f"utf-8,{AGENTS}=gb18030")
    report = land(landing_dir, warehouse)
    assert report.files_loaded == [f"{AGENTS}/agents.csv"]
    assert [path for path, _ in report.files_failed] == [f"{RESPONSES}/r.csv"]
    assert EncodingPolicy.parse("gbk").for_folder(AGENTS) == "gbk"
    for bad in ("no-such-codec", "utf-16", "telephony/nope=gb18030"):
        with pytest.raises(LandingError):
            land(landing_dir, warehouse, encoding=bad)


# --- the physical scan itself --------------------------------------------------------------------


@pytest.mark.parametrize("chunks, physical, blank", [
    ([b"a\nb\n"], 2, 0),
    ([b"a\nb"], 2, 0),
    ([b"a\n\n\nb\n"], 4, 2),
    ([b"a\r\n\r\nb"], 3, 1),
    ([b"a\n", b"\n", b"b", b"c\n\n"], 4, 2),
    ([b"\n"], 1, 1),
    ([b""], 0, 0),
])
def test_line_stats_count_physical_and_blank_lines_across_chunks(chunks, physical, blank):
    stats = LineStats()
    for chunk in chunks:
        stats.feed(chunk)
    stats.finish()
    assert (stats.physical_lines, stats.blank_lines) == (physical, blank)
