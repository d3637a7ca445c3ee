"""Asterisk queue_log adapter: hand-written queue_log files at the edges, landed and built, and
the published marts checked against figures worked out by hand from the spec
(../shared/spec/source-adapters.md, "Asterisk queue_log").

One warehouse, two deliveries (the second is the same queue_log file grown by two lines, as a
center copying /var/log/asterisk/queue_log every night delivers it), an incremental build
after each, and a full rebuild of the same raw data that must publish the same marts.
Scenarios use disjoint callids, queues and agents so none changes another's figures.
"""

from __future__ import annotations

from datetime import date

import pytest
from native_helpers import Marts, land_and_build, queue_log_line, ts, write
from test_incremental import compare_marts

L = queue_log_line
DAY = "2026-03-02"
NEXT = "2026-03-03"

DELIVERY_1 = [
    # A. a transfer between queues on one callid; the second agent's WRAPUPSTART (callid NONE)
    L(f"{DAY} 09:00:00", "1772442000.1", "q_sales", "NONE", "ENTERQUEUE", "", "13800000001", 1),
    L(f"{DAY} 09:00:10", "1772442000.1", "q_sales", "PJSIP/2001", "CONNECT", 10, "1772442000.2", 3),
    L(f"{DAY} 09:02:10", "1772442000.1", "q_sales", "PJSIP/2001", "BLINDTRANSFER", "8001",
      "from-internal", 10, 120, 1),
    L(f"{DAY} 09:02:11", "1772442000.1", "q_tech", "NONE", "ENTERQUEUE", "", "13800000001", 1),
    L(f"{DAY} 09:02:31", "1772442000.1", "q_tech", "SIP/2002", "CONNECT", 20, "1772442151.3", 5),
    L(f"{DAY} 09:05:31", "1772442000.1", "q_tech", "SIP/2002", "COMPLETEAGENT", 20, 180, 1),
    L(f"{DAY} 09:05:31", "NONE", "NONE", "SIP/2002", "WRAPUPSTART", 30),
    # B. an ABANDON whose line time (60 s after entering) disagrees with its waittime (3 s)
    L(f"{DAY} 10:00:00", "B1", "q_ab", "NONE", "ENTERQUEUE", "", "13800000002", 1),
    L(f"{DAY} 10:01:00", "B1", "q_ab", "NONE", "ABANDON", 1, 1, 3),
    # C. a call split across two deliveries: entered and connected before the file was copied
    L(f"{DAY} 23:59:50", "C1", "q_split", "NONE", "ENTERQUEUE", "", "13800000003", 1),
    L(f"{DAY} 23:59:55", "C1", "q_split", "Agent/2003", "CONNECT", 5, "c", 2),
    # D. PAUSE with a reason (Meeting -> meeting through the seed; Lunch is a break)
    L(f"{DAY} 08:00:00", "NONE", "NONE", "Agent/2004", "AGENTLOGIN", "PJSIP/2004"),
    L(f"{DAY} 09:00:00", "NONE", "q_sales", "Agent/2004", "PAUSE", "Meeting"),
    L(f"{DAY} 09:30:00", "NONE", "q_sales", "Agent/2004", "UNPAUSE", ""),
    L(f"{DAY} 12:00:00", "NONE", "NONE", "Agent/2004", "PAUSEALL", "Lunch"),
    L(f"{DAY} 13:00:00", "NONE", "NONE", "Agent/2004", "UNPAUSEALL", ""),
    L(f"{DAY} 17:00:00", "NONE", "NONE", "Agent/2004", "AGENTLOGOFF", "PJSIP/2004", 32400),
    # E. an unclosed login at the end of the file (closed at the watermark)
    L(f"{DAY} 11:00:00", "NONE", "q_e", "Local/2005@from-queue/n", "ADDMEMBER", ""),
    # F. lines written out of order (the outcome first); a RINGNOANSWER of another agent
    L(f"{DAY} 10:05:00", "F1", "q_oo", "SIP/2006", "COMPLETECALLER", 15, 270, 1),
    L(f"{DAY} 10:00:15", "F1", "q_oo", "SIP/2006", "CONNECT", 15, "f", 4),
    L(f"{DAY} 10:00:08", "F1", "q_oo", "PJSIP/2008", "RINGNOANSWER", 7000),
    L(f"{DAY} 10:00:00", "F1", "q_oo", "NONE", "ENTERQUEUE", "", "13800000006", 1),
    # G. the log starts mid-call: an outcome without its ENTERQUEUE is still a leg
    L(f"{DAY} 07:00:00", "G1", "q_mc", "SIP/2007", "COMPLETECALLER", 30, 100, 1),
    # H. NONE / REALTIME callids and unlisted events: kept in raw, ignored (not quarantined)
    L(f"{DAY} 06:00:00", "NONE", "NONE", "NONE", "QUEUESTART", ""),
    L(f"{DAY} 06:00:01", "REALTIME", "q_x", "NONE", "ENTERQUEUE", "", "1", 1),
    L(f"{DAY} 06:00:02", "NONE", "q_x", "NONE", "CONFIGRELOAD", ""),
    L(f"{DAY} 06:30:00", "H1", "q_mc", "PJSIP/2009", "RINGCANCELED", 1000),
    # I. the Wazo/XiVO additions: never offered (CLOSED, DIVERT_CA_RATIO), offered and turned
    # away (FULL, JOINEMPTY), and EXITEMPTY followed by Wazo's LEAVEEMPTY (one pass)
    L(f"{DAY} 20:00:00", "W1", "q_w", "NONE", "CLOSED"),
    L(f"{DAY} 20:01:00", "W2", "q_w", "NONE", "FULL"),
    L(f"{DAY} 20:02:00", "W3", "q_w", "NONE", "JOINEMPTY"),
    L(f"{DAY} 20:03:00", "W4", "q_w", "NONE", "DIVERT_CA_RATIO"),
    L(f"{DAY} 20:10:00", "W5", "q_w", "NONE", "ENTERQUEUE", "", "13800000005", 1),
    L(f"{DAY} 20:10:02", "W5", "q_w", "NONE", "EXITEMPTY", 1, 1, 2),
    L(f"{DAY} 20:10:02", "W5", "q_w", "NONE", "LEAVEEMPTY"),
    # K. lines that must be quarantined, and a blank line (ignored)
    "garbage line",
    "abc|K1|q_k|NONE|ENTERQUEUE||1|1",
    L(f"{DAY} 10:30:00", "K2", "q_k", "NONE", "ABANDON", 1, 1, "soon"),
    "",
]
# the table export layout (header row, ISO times without offset = source_timezone UTC)
EXPORT_CSV = "\n".join([
    "time,callid,queuename,agent,event,data1,data2,data3,data4,data5",
    f"{DAY} 15:00:00,M1,q_csv,NONE,ENTERQUEUE,,13800000007,1,,",
    f"{DAY} 15:00:04.5,M1,q_csv,Agent/2010,CONNECT,4,m,1,,",
    f"{DAY} 15:02:04,M1,q_csv,Agent/2010,COMPLETEAGENT,4,120,1,,",
]) + "\n"
# delivery 2: the call split across the copies ends, and its agent's wrap-up (Wazo writes it
# with the call's callid)
DELIVERY_2_NEW = [
    L(f"{NEXT} 00:02:00", "C1", "q_split", "Agent/2003", "COMPLETECALLER", 5, 125, 1),
    L(f"{NEXT} 00:02:00", "C1", "q_split", "Agent/2003", "WRAPUPSTART", 20),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("asterisk")
    landing, incremental, full = root / "landing", root / "incremental", root / "full"
    queue_log = landing / "asterisk" / "queue_log" / "queue_log"
    write(queue_log, "\n".join(DELIVERY_1) + "\n")
    write(landing / "asterisk" / "queue_log" / "export.csv", EXPORT_CSV)
    failures = land_and_build(landing, incremental, root)
    assert failures == []
    first = Marts(incremental)
    after_first = {
        "legs": first.rows("select contact_id from marts.fct_contacts where queue_id = 'q_split'"),
        "recon": first.one("select * from marts.dq_reconciliation "
                           "where entity = 'asterisk_queue_log'"),
        "login": first.one("select * from staging.stg_telephony__agent_states "
                           "where agent_id = '2005'"),
    }
    first.close()
    land_and_build(landing, full, root)  # B lands the same deliveries ...
    write(queue_log, "\n".join(DELIVERY_1 + DELIVERY_2_NEW) + "\n")  # the file grew
    assert land_and_build(landing, incremental, root) == []
    assert land_and_build(landing, full, root, full_refresh=True) == []  # ... builds once
    marts = Marts(incremental)
    yield {"marts": marts, "first": after_first, "incremental": incremental, "full": full}
    marts.close()


def _leg(marts: Marts, contact_id: str) -> dict:
    return marts.one("select * from marts.fct_contacts where contact_id = ?", [contact_id])


def test_transfer_between_queues_on_one_callid(built):
    marts = built["marts"]
    first = _leg(marts, "ast:1772442000.1:q_sales:1")
    second = _leg(marts, "ast:1772442000.1:q_tech:1")
    # holdtime 10 s, calltime 120 s; then 20 s and 180 s with a 30 s wrap-up
    assert (first["wait_seconds"], first["talk_seconds"], first["handle_seconds"]) == (10, 120, 120)
    assert first["is_transferred_out"] and first["agent_id"] == "2001"
    assert first["hold_seconds"] is None and first["acw_seconds"] is None
    assert (second["wait_seconds"], second["talk_seconds"], second["acw_seconds"]) == (20, 180, 30)
    assert second["handle_seconds"] == 210 and second["agent_id"] == "2002"
    assert first["interaction_id"] == second["interaction_id"] == "ast:1772442000.1:q_sales:1"
    staged = marts.one("select * from staging.stg_telephony__contacts where contact_id = ?",
                       ["ast:1772442000.1:q_tech:1"])
    assert staged["previous_contact_id"] == "ast:1772442000.1:q_sales:1"
    assert staged["enqueued_at"] == ts(f"{DAY} 09:02:11")
    assert staged["answered_at"] == ts(f"{DAY} 09:02:31")
    assert staged["ended_at"] == ts(f"{DAY} 09:05:31")
    assert staged["disconnect_reason"] == "agent_disconnect"
    interaction = marts.one("select * from marts.fct_customer_contacts where interaction_id = ?",
                            ["ast:1772442000.1:q_sales:1"])
    handling = (interaction["handling_agent_id"], interaction["handling_queue_id"])
    assert handling == ("2002", "q_tech")
    sales = marts.one("select * from marts.kpi_queue_daily where queue_id = 'q_sales'")
    assert (sales["offered"], sales["answered"], sales["transfer_rate"]) == (1, 1, 1.0)


def test_abandon_uses_waittime_not_line_time(built):
    leg = _leg(built["marts"], "ast:B1:q_ab:1")
    assert leg["is_abandoned"] and leg["wait_seconds"] == 3 and leg["is_short_abandoned"]
    staged = built["marts"].one("select ended_at from staging.stg_telephony__contacts "
                                "where contact_id = 'ast:B1:q_ab:1'")
    assert staged["ended_at"] == ts(f"{DAY} 10:00:03")
    queue = built["marts"].one("select * from marts.kpi_queue_daily where queue_id = 'q_ab'")
    # 1 offered, 1 short abandon: abandon rate 0 / 0 is null, never 0
    assert (queue["offered"], queue["abandoned"], queue["short_abandoned"]) == (1, 1, 1)
    assert queue["abandon_rate"] is None and queue["max_wait_seconds"] == 3


def test_call_split_across_two_deliveries(built):
    first = built["first"]
    assert first["legs"] == []  # held back, not a leg yet ...
    assert first["recon"]["pending_rows"] == 2 and first["recon"]["is_reconciled"]  # ... counted
    leg = _leg(built["marts"], "ast:C1:q_split:1")
    assert (leg["wait_seconds"], leg["talk_seconds"], leg["acw_seconds"]) == (5, 125, 20)
    assert leg["report_date"] == date(2026, 3, 2) and leg["agent_id"] == "2003"
    staged = built["marts"].one("select ended_at from staging.stg_telephony__contacts "
                                "where contact_id = 'ast:C1:q_split:1'")
    assert staged["ended_at"] == ts(f"{NEXT} 00:02:00")


def test_pause_with_a_reason_and_login_spans(built):
    states = built["marts"].rows(
        "select state, started_at, ended_at from staging.stg_telephony__agent_states "
        "where agent_id = '2004' order by started_at")
    assert [(s["state"], s["started_at"].strftime("%H:%M"), s["ended_at"].strftime("%H:%M"))
            for s in states] == [
        ("available", "08:00", "09:00"), ("meeting", "09:00", "09:30"),
        ("available", "09:30", "12:00"), ("break", "12:00", "13:00"),
        ("available", "13:00", "17:00"),
    ]
    day = built["marts"].one("select * from marts.kpi_agent_daily where agent_id = '2004'")
    assert day["logged_in_seconds"] == 9 * 3600
    assert (day["meeting_seconds"], day["break_seconds"]) == (1800, 3600)
    assert day["shrinkage"] == pytest.approx(5400 / 32400)


def test_unclosed_login_is_closed_at_the_watermark(built):
    # delivery 1 ends with the split call's CONNECT at 23:59:55; delivery 2 at 00:02:00
    assert built["first"]["login"]["ended_at"] == ts(f"{DAY} 23:59:55")
    state = built["marts"].one("select * from staging.stg_telephony__agent_states "
                               "where agent_id = '2005'")
    assert (state["state"], state["started_at"], state["ended_at"]) == (
        "available", ts(f"{DAY} 11:00:00"), ts(f"{NEXT} 00:02:00"))


def test_out_of_order_lines_and_a_log_starting_mid_call(built):
    marts = built["marts"]
    ordered = marts.one("select * from staging.stg_telephony__contacts "
                        "where contact_id = 'ast:F1:q_oo:1'")
    assert (ordered["enqueued_at"], ordered["answered_at"], ordered["ended_at"]) == (
        ts(f"{DAY} 10:00:00"), ts(f"{DAY} 10:00:15"), ts(f"{DAY} 10:04:45"))
    assert ordered["agent_id"] == "2006" and ordered["talk_seconds"] == 270
    # only the outcome: enqueued = 07:00:00 - calltime 100 - holdtime 30
    headless = marts.one("select * from staging.stg_telephony__contacts "
                         "where contact_id = 'ast:G1:q_mc:0'")
    assert (headless["enqueued_at"], headless["answered_at"], headless["ended_at"]) == (
        ts(f"{DAY} 06:57:50"), ts(f"{DAY} 06:58:20"), ts(f"{DAY} 07:00:00"))
    assert headless["initiated_at"] == headless["enqueued_at"] and headless["agent_id"] == "2007"


def test_wazo_additions(built):
    marts = built["marts"]
    legs = {row["contact_id"]: row for row in marts.rows(
        "select * from marts.fct_contacts where queue_id = 'q_w'")}
    assert set(legs) == {f"ast:W{n}:q_w:1" for n in range(1, 6)}
    assert not legs["ast:W1:q_w:1"]["is_offered"] and not legs["ast:W4:q_w:1"]["is_offered"]
    assert legs["ast:W2:q_w:1"]["is_offered"] and legs["ast:W2:q_w:1"]["wait_seconds"] == 0
    assert legs["ast:W5:q_w:1"]["wait_seconds"] == 2  # EXITEMPTY's waittime; LEAVEEMPTY joins it
    queue = marts.one("select * from marts.kpi_queue_daily where queue_id = 'q_w'")
    assert (queue["offered"], queue["answered"], queue["abandoned"]) == (3, 0, 0)
    assert queue["avg_wait_seconds"] == pytest.approx(2 / 3)
    assert marts.one("select count(*) as n from staging.stg_telephony__contacts "
                     "where contact_id like 'ast:W%' and disconnect_reason = 'system'")["n"] == 5


def test_agent_ids_queues_and_the_table_export(built):
    marts = built["marts"]
    agents = {row["agent_id"] for row in marts.rows(
        "select distinct agent_id from marts.fct_contacts where agent_id is not null")}
    assert agents == {"2001", "2002", "2003", "2006", "2007", "2010"}
    exported = marts.one("select * from staging.stg_telephony__contacts "
                         "where contact_id = 'ast:M1:q_csv:1'")
    assert (exported["enqueued_at"], exported["answered_at"], exported["ended_at"]) == (
        ts(f"{DAY} 15:00:00"), ts(f"{DAY} 15:00:04"), ts(f"{DAY} 15:02:04"))
    queues = {row["queue_id"]: row for row in marts.rows("select * from marts.dim_queues")}
    assert set(queues) == {"q_sales", "q_tech", "q_ab", "q_split", "q_oo", "q_mc", "q_w", "q_csv"}
    assert queues["q_w"]["queue_name"] == "q_w" and queues["q_w"]["channel"] == "voice"
    assert queues["q_w"]["service_level_seconds"] == 20  # the configured default


def test_every_line_is_accounted(built):
    marts = built["marts"]
    first = built["first"]["recon"]
    # delivery 1: 38 pipe lines + 3 table-export records
    assert (first["landed_rows"], first["kept_rows"], first["pending_rows"],
            first["ignored_rows"], first["quarantined_rows"]) == (41, 31, 2, 5, 3)
    recon = marts.one("select * from marts.dq_reconciliation where entity = 'asterisk_queue_log'")
    # + the grown file (40 lines): its 34 old valid lines are superseded, its blank and garbage
    # lines are ignored / quarantined again, the 2 new lines and the 2 held back are mapped
    assert (recon["landed_rows"], recon["kept_rows"], recon["superseded_rows"],
            recon["ignored_rows"], recon["quarantined_rows"], recon["pending_rows"]) == (
        81, 35, 34, 6, 6, 0)
    assert recon["is_reconciled"]
    reasons = [row["reason"] for row in marts.rows(
        "select reason from marts.dq_quarantined_rows where source = 'asterisk' order by 1")]
    assert reasons == ["unparseable:time"] * 2 + ["unparseable:waittime"] * 2 + [
        "unsplittable_line"] * 2
    contacts = marts.one("select * from marts.dq_reconciliation where entity = 'contacts'")
    assert contacts["landed_rows"] == 0 and contacts["is_reconciled"]


def test_caller_number_is_hashed_not_published(built):
    marts = built["marts"]
    leg = marts.one("select customer_key from marts.fct_customer_contacts "
                    "where interaction_id = 'ast:B1:q_ab:1'")
    assert leg["customer_key"] is not None and "13800000002" not in leg["customer_key"]


def test_incremental_deliveries_equal_a_full_rebuild(built):
    assert compare_marts(built["incremental"] / "hotline.duckdb",
                         built["full"] / "hotline.duckdb") == {}


def test_queue_log_with_40_percent_garbage_is_blocked(tmp_path, monkeypatch):
    """The gate judges a native delivery like a bad CSV: 4 of 10 lines quarantined blocks."""
    from hotline.nightly import EXIT_BLOCKED, NightlyError, run_nightly

    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    lines = [
        L(f"{DAY} 09:00:00", "G1", "q1", "NONE", "ENTERQUEUE", "", "13800000001", 1),
        L(f"{DAY} 09:00:10", "G1", "q1", "PJSIP/1", "CONNECT", 10, "x", 1),
        L(f"{DAY} 09:01:10", "G1", "q1", "PJSIP/1", "COMPLETECALLER", 10, 60, 1),
        L(f"{DAY} 09:02:00", "G2", "q1", "NONE", "ENTERQUEUE", "", "13800000002", 1),
        L(f"{DAY} 09:02:30", "G2", "q1", "NONE", "ABANDON", 1, 1, 30),
        L(f"{DAY} 09:03:00", "NONE", "q1", "PJSIP/1", "ADDMEMBER", ""),
        "%%%% not a queue_log line",
        "still|not",
        "yesterday|G3|q1|NONE|ENTERQUEUE||1|1",
        "1772442000.5.5|G4|q1|NONE|ENTERQUEUE||1|1",
    ]
    write(tmp_path / "landing" / "asterisk" / "queue_log" / "queue_log", "\n".join(lines) + "\n")
    with pytest.raises(NightlyError) as blocked:
        run_nightly(tmp_path / "landing", tmp_path / "warehouse")
    assert blocked.value.exit_code == EXIT_BLOCKED
    assert "quarantine" in str(blocked.value).lower()
    assert not (tmp_path / "warehouse" / "serving.duckdb").exists()


def test_generated_asterisk_center_equals_the_same_center_in_hotline_format(tmp_path):
    """`hotline generate --format asterisk` and the default format simulate the same center:
    every figure the queue_log carries (queued voice legs, waits, answers, abandons, service
    level, handle time, transfers; login and pause time) must come out identical."""
    from hotline.devtools.generator import generate

    warehouses = {}
    for fmt in ("hotline", "asterisk"):
        landing = tmp_path / fmt / "landing"
        generate(landing_dir=landing, start_date=date(2026, 3, 2), days=3,
                 contacts_per_day=400, seed=23, fmt=fmt)
        warehouses[fmt] = tmp_path / fmt / "warehouse"
        assert land_and_build(landing, warehouses[fmt], tmp_path / fmt) == []
    native, reference = Marts(warehouses["asterisk"]), Marts(warehouses["hotline"])
    checks = {
        # queue KPIs of the voice queues (chat is not in an Asterisk queue_log)
        "kpi_queue_interval": (
            "queue_id, interval_start_utc, offered, answered, abandoned, short_abandoned, "
            "answered_within_sl, round(service_level, 9), round(answer_rate, 9), "
            "round(abandon_rate, 9), round(asa_seconds, 6), round(avg_wait_seconds, 6), "
            "max_wait_seconds, round(aht_seconds, 6)", "queue_id <> 'Q_CHAT'"),
        "kpi_queue_daily": (
            "queue_id, report_date, offered, answered, abandoned, answered_within_sl, "
            "round(aht_seconds, 6), round(transfer_rate, 9)", "queue_id <> 'Q_CHAT'"),
        # login spans and pauses; talk of outbound calls is not in the queue_log
        "kpi_agent_daily": (
            "agent_id, report_date, logged_in_seconds, break_seconds, meeting_seconds, "
            "training_seconds, shrinkage_seconds", "true"),
    }
    try:
        for table, (columns, where) in checks.items():
            sql = f"select {columns} from marts.{table} where {where} order by all"
            got, expected = native.rows(sql), reference.rows(sql)
            assert len(expected) > 10, table
            assert got == expected, table
        queued = ("select count(*) as n, sum(handle_seconds) as handle from marts.fct_contacts "
                  "where is_offered and channel = 'voice'")
        assert native.one(queued) == reference.one(queued)
    finally:
        native.close()
        reference.close()
