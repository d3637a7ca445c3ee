"""Business calendars end to end (../shared/spec/calendars.md): landing CSVs + a center's own
calendar seeds (HOTLINE_CONFIG_DIR) -> land -> dbt build -> mart values worked out by hand.

The center's configuration (written to a config directory, not to seeds/):
  cn   Asia/Shanghai, Monday-Friday 09:00-12:00 and 13:00-18:00 (lunch 12-13)
  ny   America/New_York, Sunday 01:00-04:00 only (the 2026-03-08 spring-forward night)
  2026 National Day for every schedule: holidays 10-01 .. 10-07, make-up workdays
       Sunday 09-20 and Saturday 10-10 (Monday hours)
  sla_policies: urgent 60/240 calendar; high 120/480 on ny; normal 480/1440 on cn;
       low 60/120 on cn
  queue_schedules: Q_CN keeps cn hours; Q_FREE has none (always open)
The reporting zone stays UTC. as_of = 2026-10-12T00:00:00Z (ticket K2's updated_at).
"""

from __future__ import annotations

import csv
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from scenario_helpers import approx, land_and_build, write_csv

CONFIG = {
    "business_schedules.csv": (
        ["schedule_id", "time_zone", "weekday", "open_time", "close_time"],
        [["cn", "Asia/Shanghai", wd, o, c] for wd in range(1, 6)
         for o, c in (("09:00", "12:00"), ("13:00", "18:00"))]
        + [["ny", "America/New_York", 7, "01:00", "04:00"]],
    ),
    "business_calendar.csv": (
        ["schedule_id", "calendar_date", "day_type", "workday_as"],
        [["", f"2026-10-0{d}", "holiday", ""] for d in range(1, 8)]
        + [["", "2026-09-20", "workday", ""], ["", "2026-10-10", "workday", "1"]],
    ),
    "queue_schedules.csv": (["queue_id", "schedule_id"], [["Q_CN", "cn"]]),
    "sla_policies.csv": (
        ["priority", "first_response_target_minutes", "resolution_target_minutes",
         "schedule_id"],
        [["urgent", 60, 240, ""], ["high", 120, 480, "ny"], ["normal", 480, 1440, "cn"],
         ["low", 60, 120, "cn"]],
    ),
}


def write_config(directory: Path, files: dict = CONFIG) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in files.items():
        with (directory / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    return directory


def ticket(ticket_id, created, priority, status, updated=None):
    return {"ticket_id": ticket_id, "created_at": created, "updated_at": updated or created,
            "source_channel": "email", "priority": priority, "status": status}


def event(event_id, ticket_id, at, kind, actor="agent", to=None):
    return {"event_id": event_id, "ticket_id": ticket_id, "occurred_at": at,
            "event_type": kind, "actor_type": actor, "to_value": to}


def leg(contact_id, queue, enq):
    return {"contact_id": contact_id, "channel": "voice", "direction": "inbound",
            "initiated_at": enq, "queue_id": queue, "enqueued_at": enq, "ended_at": enq,
            "disconnect_reason": "queue_timeout"}


def calendar_landing(root: Path) -> None:
    write_csv(root, "queues", "queues.csv", [
        {"queue_id": q, "queue_name": q, "channel": "voice", "updated_at": "2026-09-01T00:00:00Z"}
        for q in ("Q_CN", "Q_FREE")])
    write_csv(root, "contacts", "contacts.csv", [
        leg("C1", "Q_CN", "2026-09-14T09:00:00+08:00"),  # at the opening: in hours
        leg("C2", "Q_CN", "2026-09-14T12:00:00+08:00"),  # at the closing: out (exclusive)
        leg("C3", "Q_CN", "2026-09-14T12:30:00+08:00"),  # lunch: out
        leg("C4", "Q_CN", "2026-10-01T10:00:00+08:00"),  # National Day: out
        leg("C5", "Q_CN", "2026-09-20T10:00:00+08:00"),  # make-up Sunday: in
        leg("C6", "Q_CN", "2026-09-19T10:00:00+08:00"),  # ordinary Saturday: out
        leg("C7", "Q_FREE", "2026-09-14T03:00:00+08:00"),  # queue without hours: in
    ])
    write_csv(root, "tickets", "tickets.csv", [
        ticket("K1", "2026-09-14T11:00:00+08:00", "normal", "open"),
        ticket("K2", "2026-09-30T17:00:00+08:00", "normal", "solved", "2026-10-12T00:00:00Z"),
        ticket("K3", "2026-09-18T17:30:00+08:00", "normal", "open"),
        ticket("K4", "2026-09-15T19:00:00+08:00", "normal", "open"),
        ticket("K5", "2026-09-14T17:00:00+08:00", "low", "open"),
        ticket("K6", "2026-09-14T11:30:00+08:00", "low", "open"),
        ticket("K7", "2026-03-08T00:00:00-05:00", "high", "open"),
        ticket("K8", "2026-09-14T08:00:00Z", "urgent", "open"),
        ticket("K9", "2026-09-14T09:00:00+08:00", "normal", "solved"),
    ])
    write_csv(root, "ticket_events", "events.csv", [
        event("E1", "K1", "2026-09-14T14:00:00+08:00", "agent_reply"),
        event("E2", "K2", "2026-10-08T09:30:00+08:00", "agent_reply"),
        event("E3", "K2", "2026-10-08T10:00:00+08:00", "status_changed", to="solved"),
        event("E4", "K3", "2026-09-20T10:00:00+08:00", "agent_reply"),
        event("E5", "K4", "2026-09-15T20:00:00+08:00", "agent_reply"),
        event("E6", "K5", "2026-09-15T08:30:00+08:00", "agent_reply"),
        event("E7", "K6", "2026-09-14T13:30:00+08:00", "agent_reply"),
        event("E8", "K7", "2026-03-08T05:00:00-04:00", "agent_reply"),
        event("E9", "K8", "2026-09-14T08:30:00Z", "agent_reply"),
        event("F1", "K9", "2026-09-14T09:00:00+08:00", "status_changed", to="open"),
        event("F2", "K9", "2026-09-14T09:45:00+08:00", "agent_reply"),
        event("F3", "K9", "2026-09-14T10:00:00+08:00", "status_changed", to="pending"),
        event("F4", "K9", "2026-09-14T11:00:00+08:00", "customer_reply", actor="customer"),
        event("F5", "K9", "2026-09-14T11:00:00+08:00", "status_changed", actor="system",
              to="open"),
        event("F6", "K9", "2026-09-14T11:30:00+08:00", "comment"),
        event("F7", "K9", "2026-09-14T13:30:00+08:00", "agent_reply"),
        event("F8", "K9", "2026-09-14T15:00:00+08:00", "status_changed", to="solved"),
    ])


@pytest.fixture(scope="module")
def cal(tmp_path_factory):
    root = tmp_path_factory.mktemp("calendars")
    calendar_landing(root / "landing")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_CONFIG_DIR", str(write_config(root / "config")))
        warehouse = land_and_build(root / "landing", root / "wh", root)
    yield warehouse
    warehouse.close()


def check(row, **expected):
    wrong = {column: (row[column], value) for column, value in expected.items()
             if not (approx(row[column], float(value)) if isinstance(value, float | int)
                     and not isinstance(value, bool) and row[column] is not None
                     else row[column] == value)}
    assert not wrong, f"column: (actual, expected): {wrong}"


def utc(text: str):
    from datetime import datetime
    return datetime.fromisoformat(text)


def test_build_and_data_tests_pass(cal):
    assert cal.build_failures == []


def test_the_centers_seeds_replace_the_shipped_ones(cal):
    assert cal.one("select count(*) as n from config.business_calendar")["n"] == 9
    assert cal.one("select schedule_id from config.sla_policies where priority = 'normal'")[
        "schedule_id"] == "cn"


def test_lunch_break(cal):
    # K1 created Monday 11:00, answered 14:00: 3 h of calendar time, 11-12 and 13-14 open
    check(cal.mart("fct_tickets", ticket_id="K1"), schedule_id="cn",
          first_response_seconds=10800, first_response_business_seconds=7200,
          # 8 business hours from 11:00: 1 h + 5 h Monday, 2 h Tuesday -> Tue 11:00 (+08)
          first_response_due_at=utc("2026-09-15T03:00:00"), sla_first_response_status="met")


def test_ticket_spanning_the_holiday_week(cal):
    # K2 created Wed 09-30 17:00, National Day 10-01..10-07 closed, answered Thu 10-08 09:30,
    # solved 10:00. Response: 17-18 (1 h) + 09:00-09:30 = 5400 s; resolution 7200 s.
    # Calendar: 7 days 16.5 h = 664200 s; 7 days 17 h = 666000 s.
    # Due: 8 business h = 1 h on 09-30 + 3 h + 4 h on 10-08 -> 10-08 17:00 (+08);
    # 24 business h = 1 + 8 (10-08) + 8 (10-09) + 7 on the make-up Saturday 10-10 -> 17:00.
    check(cal.mart("fct_tickets", ticket_id="K2"),
          first_response_seconds=664200, first_response_business_seconds=5400,
          full_resolution_seconds=666000, full_resolution_business_seconds=7200,
          first_response_due_at=utc("2026-10-08T09:00:00"),
          resolution_due_at=utc("2026-10-10T09:00:00"),
          sla_first_response_status="met", sla_resolution_status="met")


def test_reply_on_a_make_up_sunday(cal):
    # K3 created Friday 09-18 17:30; Saturday closed; Sunday 09-20 is a make-up workday with
    # Monday's hours: 17:30-18:00 + 09:00-10:00 = 5400 s (calendar 40.5 h = 145800 s)
    check(cal.mart("fct_tickets", ticket_id="K3"),
          first_response_seconds=145800, first_response_business_seconds=5400)


def test_created_and_answered_outside_hours(cal):
    # K4 created Tuesday 19:00, answered 20:00, both after closing: 0 business seconds
    check(cal.mart("fct_tickets", ticket_id="K4"), first_response_seconds=3600,
          first_response_business_seconds=0, sla_first_response_status="met",
          # the 8 business hours start Wednesday 09:00 -> due Wednesday 18:00 (+08)
          first_response_due_at=utc("2026-09-16T10:00:00"))


def test_due_instant_exactly_at_a_closing_time(cal):
    # K5 (low: 60 business min) created Monday 17:00: the hour is used up at the 18:00
    # closing -> due 18:00, not 09:00 next morning; the reply at 08:30 before the next opening
    # took exactly 3600 business seconds but came after the due instant -> breached
    check(cal.mart("fct_tickets", ticket_id="K5"), first_response_due_at=utc("2026-09-14T10:00:00"),
          first_response_business_seconds=3600, sla_first_response_status="breached")
    # K6 created 11:30: 30 min before lunch, 30 min after -> due 13:30; answered at 13:30 -> met
    check(cal.mart("fct_tickets", ticket_id="K6"), first_response_due_at=utc("2026-09-14T05:30:00"),
          first_response_business_seconds=3600, sla_first_response_status="met")


def test_schedule_in_another_zone_on_a_dst_day(cal):
    # K7 (high, ny: Sunday 01:00-04:00 New York). 2026-03-08 springs forward at 02:00 EST:
    # the window holds 2 real hours (06:00-08:00 UTC). Created 00:00 EST (05:00Z), answered
    # 05:00 EDT (09:00Z): calendar 4 h, business 2 h. The 120-minute target is used up at
    # the 04:00 EDT closing (08:00Z) -> the reply is late.
    check(cal.mart("fct_tickets", ticket_id="K7"), schedule_id="ny",
          first_response_seconds=14400, first_response_business_seconds=7200,
          first_response_due_at=utc("2026-03-08T08:00:00"), sla_first_response_status="breached")


def test_calendar_time_without_a_schedule(cal):
    check(cal.mart("fct_tickets", ticket_id="K8"), schedule_id=None,
          first_response_seconds=1800, first_response_business_seconds=1800,
          first_response_due_at=utc("2026-09-14T09:00:00"), sla_first_response_status="met")


def test_requester_and_agent_wait(cal):
    # K9 (cn) created 09:00: open 09-10, pending 10-11, open 11-15, solved 15:00.
    # requester: 1 h + 4 h = 18000 s; business 09-10, 11-12, 13-15 = 14400 s.
    # agent: pending 10-11 = 3600 s, all open time.
    check(cal.mart("fct_tickets", ticket_id="K9"), requester_wait_seconds=18000,
          requester_wait_business_seconds=14400, agent_wait_seconds=3600,
          agent_wait_business_seconds=3600, next_replies=2)


def test_next_replies(cal):
    rows = cal.mart_rows("fct_ticket_replies", order_by="message_seq", ticket_id="K9")
    # the creation 09:00 -> first agent reply 09:45 (2700 s, all open); the customer reply
    # 11:00 -> next agent reply 13:30 (the 11:30 comment is internal): 9000 s, of which
    # 11-12 and 13-13:30 are open = 5400 s
    assert [(r["message_seq"], r["is_ticket_creation"]) for r in rows] == [(1, True), (2, False)]
    check(rows[0], next_reply_seconds=2700, next_reply_business_seconds=2700)
    check(rows[1], customer_message_event_id="F4", next_reply_seconds=9000,
          next_reply_business_seconds=5400)
    # kpi_ticket_daily (UTC dates): normal tickets created 09-14 are K1 and K9 -> replies
    # K1 10800/7200, K9 2700/2700 and 9000/5400 -> 3 replies, avg 7500 s and 5100 s;
    # first response business average (7200 + 2700) / 2 = 4950
    day = cal.mart("kpi_ticket_daily", priority="normal", report_date=date(2026, 9, 14))
    check(day, tickets_created=2, next_replies=3, next_reply_avg_seconds=7500,
          next_reply_business_avg_seconds=5100, first_response_business_avg_seconds=4950)


def test_contacts_offered_in_hours(cal):
    legs = {r["contact_id"]: r["is_offered_in_hours"] for r in cal.mart_rows("fct_contacts")}
    assert legs == {"C1": True, "C2": False, "C3": False, "C4": False, "C5": True,
                    "C6": False, "C7": True}
    daily = {(r["queue_id"], r["report_date"]): (r["offered"], r["offered_out_of_hours"])
             for r in cal.mart_rows("kpi_queue_daily")}
    assert daily[("Q_CN", date(2026, 9, 14))] == (3, 2)
    assert daily[("Q_CN", date(2026, 10, 1))] == (1, 1)
    assert daily[("Q_CN", date(2026, 9, 20))] == (1, 0)
    assert daily[("Q_FREE", date(2026, 9, 13))] == (1, 0)  # 03:00 +08 is 09-13 19:00 UTC
    intervals = {r["interval_start_utc"].isoformat(): r["offered_out_of_hours"]
                 for r in cal.mart_rows("kpi_queue_interval", queue_id="Q_CN")
                 if r["report_date"] == date(2026, 9, 14)}
    assert intervals == {"2026-09-14T01:00:00": 0, "2026-09-14T04:00:00": 1,
                         "2026-09-14T04:30:00": 1}


# --------------------------------------------------------------------------- shipped defaults
@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    root = tmp_path_factory.mktemp("calendars_shipped")
    landing = root / "landing"
    write_csv(landing, "queues", "queues.csv", [
        {"queue_id": "Q_CN", "queue_name": "Q_CN", "channel": "voice",
         "updated_at": "2026-09-01T00:00:00Z"}])
    write_csv(landing, "contacts", "contacts.csv", [leg("C1", "Q_CN", "2026-09-13T23:00:00Z")])
    write_csv(landing, "tickets", "tickets.csv", [
        ticket("S1", "2026-09-14T11:00:00+08:00", "normal", "open")])
    write_csv(landing, "ticket_events", "events.csv", [
        event("S2", "S1", "2026-09-14T14:00:00+08:00", "agent_reply")])
    assert "HOTLINE_CONFIG_DIR" not in os.environ
    warehouse = land_and_build(landing, root / "wh", root)
    yield warehouse
    warehouse.close()


def test_shipped_defaults_keep_calendar_time(shipped):
    # no policy names a schedule and no queue keeps hours: business = calendar time
    assert shipped.build_failures == []
    check(shipped.mart("fct_tickets", ticket_id="S1"), schedule_id=None,
          first_response_seconds=10800, first_response_business_seconds=10800,
          first_response_due_at=utc("2026-09-14T11:00:00"), sla_first_response_status="met")
    assert shipped.mart("fct_contacts", contact_id="C1")["is_offered_in_hours"] is True
    assert shipped.one("select count(*) as n from config.business_calendar")["n"] == 0


# --------------------------------------------------------------------------- mechanism
def test_unknown_config_file_is_a_usage_error(tmp_path, monkeypatch):
    from hotline.site_config import SiteConfigError, check_config_dir

    (tmp_path / "business_calender.csv").write_text("schedule_id\n")
    monkeypatch.setenv("HOTLINE_CONFIG_DIR", str(tmp_path))
    with pytest.raises(SiteConfigError, match="business_calender.csv"):
        check_config_dir()
    monkeypatch.setenv("HOTLINE_CONFIG_DIR", str(tmp_path / "missing"))
    with pytest.raises(SiteConfigError, match="not a directory"):
        check_config_dir()


def test_effective_seeds_overlay(tmp_path, monkeypatch):
    from hotline.settings import PROJECT_DIR
    from hotline.site_config import SEEDS_DIR_ENV, fingerprint_bytes, prepare_seeds

    config = write_config(tmp_path / "config", {"queue_schedules.csv": CONFIG[
        "queue_schedules.csv"]})
    monkeypatch.setenv("HOTLINE_CONFIG_DIR", str(config))
    target = prepare_seeds()
    assert os.environ[SEEDS_DIR_ENV] == target.relative_to(PROJECT_DIR).as_posix()
    assert (target / "queue_schedules.csv").read_text() == "queue_id,schedule_id\nQ_CN,cn\n"
    # every other seed (and the seeds' YAML) is the shipped one
    assert (target / "sla_policies.csv").read_bytes() == (
        PROJECT_DIR / "seeds" / "sla_policies.csv").read_bytes()
    assert (target / "_calendars__seeds.yml").is_file()
    before = fingerprint_bytes()
    (config / "queue_schedules.csv").write_text("queue_id,schedule_id\nQ_CN,default\n")
    assert fingerprint_bytes() != before  # a changed calendar forces a full rebuild
    monkeypatch.delenv("HOTLINE_CONFIG_DIR")
    assert prepare_seeds() is None and SEEDS_DIR_ENV not in os.environ


# --------------------------------------------------------------------------- sample data
def test_generator_holiday_week_and_its_seeds(tmp_path):
    from hotline.devtools.generator import HOLIDAYS, generate
    from hotline.devtools.sample_calendar import sample_calendar, write_calendar_config

    # from a Sunday: the golden week is 11-19..11-25 with Sunday 11-15 worked; Saturday 11-28
    # would be the other make-up day, but it is the period's last day (kept ordinary)
    start = date(2026, 11, 15)
    generate(landing_dir=tmp_path / "landing", start_date=start, days=15,
             contacts_per_day=400, seed=5, holiday_week=True)
    calendar = sample_calendar(start, 15, HOLIDAYS, holiday_week=True)
    assert {d for d in calendar.holidays if d.month == 11} == {
        date(2026, 11, 19) + timedelta(days=i) for i in range(7)}
    assert calendar.makeup_workdays == {date(2026, 11, 15): 1, date(2026, 11, 28): 1}
    assert sample_calendar(start, 14, HOLIDAYS, holiday_week=True).makeup_workdays == {
        date(2026, 11, 15): 1}
    rows = {}
    for path in (tmp_path / "landing" / "telephony" / "contacts").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            rows[path.stem[-10:]] = sum(1 for _ in handle) - 1
    # a make-up Sunday carries a weekday's volume, holidays far less
    assert rows["2026-11-15"] > 1.5 * rows["2026-11-22"]
    assert rows["2026-11-28"] > 1.5 * rows["2026-11-21"]
    assert rows["2026-11-19"] < 0.7 * rows["2026-11-17"]
    written = write_calendar_config(tmp_path / "config", calendar)
    with (tmp_path / "config" / "business_calendar.csv").open(encoding="utf-8") as handle:
        days = {(r["calendar_date"], r["day_type"]) for r in csv.DictReader(handle)}
    assert ("2026-11-15", "workday") in days and ("2026-11-22", "holiday") in days
    assert {p.name for p in written} == set(CONFIG)


# --------------------------------------------------------------------------- incremental == full
# The incremental equivalence test of test_incremental.py, run again with business calendars in
# force: queues keep hours (is_offered_in_hours is decided with each incrementally built leg)
# and every ticket priority runs on the office schedule.
from test_incremental import DAYS as INCREMENTAL_DAYS  # noqa: E402
from test_incremental import START as INCREMENTAL_START  # noqa: E402
from test_incremental import generated  # noqa: E402,F401  (the fixture)
from test_incremental import test_incremental_nights_equal_full_rebuild as _equivalence  # noqa: E402


def test_incremental_equals_full_with_business_calendars(generated, tmp_path,  # noqa: F811
                                                         monkeypatch):
    from hotline.devtools.generator import HOLIDAYS
    from hotline.devtools.sample_calendar import (
        DEMO_SLA_POLICIES,
        OFFICE_SCHEDULE,
        sample_calendar,
        write_calendar_config,
    )

    config = tmp_path / "config"
    write_calendar_config(config, sample_calendar(INCREMENTAL_START, INCREMENTAL_DAYS, HOLIDAYS))
    write_config(config, {"sla_policies.csv": (
        ["priority", "first_response_target_minutes", "resolution_target_minutes",
         "schedule_id"],
        [[p, fr, res, OFFICE_SCHEDULE] for p, fr, res, _ in DEMO_SLA_POLICIES])})
    monkeypatch.setenv("HOTLINE_CONFIG_DIR", str(config))
    _equivalence(generated, tmp_path / "run", monkeypatch)
    import duckdb

    con = duckdb.connect(str(tmp_path / "run" / "incremental" / "hotline.duckdb"), read_only=True)
    try:
        out_of_hours, on_schedule = con.execute(
            "select (select count(*) from marts.fct_contacts where not is_offered_in_hours), "
            "(select count(*) from marts.fct_tickets where schedule_id is not null)").fetchone()
    finally:
        con.close()
    assert out_of_hours > 0 and on_schedule > 0  # the calendars were really exercised


# --------------------------------------------------------------------------- bench report
def test_bench_reports_business_time_cost(tmp_path):
    import json

    from hotline.devtools.bench import business_time_cost, render_business_time_section

    results = tmp_path / "run_results.json"
    results.write_text(json.dumps({"results": [
        {"unique_id": "model.hotline.int_ticket_clock", "execution_time": 3.25},
        {"unique_id": "model.hotline.int_business_clock", "execution_time": 0.5},
        {"unique_id": "model.hotline.fct_contacts", "execution_time": 6.25},
        {"unique_id": "test.hotline.not_null_x", "execution_time": 9.0},
    ]}))
    cost = business_time_cost(results, tmp_path / "no-warehouse")
    assert cost["seconds"] == {"int_ticket_clock": 3.25, "int_business_clock": 0.5}
    assert cost["total_seconds"] == 3.8 and cost["model_seconds"] == 10.0 and cost["rows"] == {}
    section = render_business_time_section(
        {"date": "2026-11-29", "git": "abc"}, [{"size": "main-60d", "run": "nightly-full", **cost}])
    assert "## Business time" in section
    row = "| main-60d | full | — | 3.8 | 10.0 | 38% | int_ticket_clock 3.2, int_business_clock 0.5"
    assert row in section
