"""Zendesk incremental-export adapter: hand-written exports at the edges (a ticket whose first
comment is its creation, a private comment, status hold, a ticket created by an agent with a
status other than new, a deleted ticket, overlapping incremental exports), landed and built
in two deliveries and checked against figures worked out by hand from the spec
(source-adapters.md, "Zendesk") and kpi-definitions.md ("Tickets").
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from native_helpers import Marts, epoch, land_and_build, ts, write
from test_incremental import compare_marts

DAY = "2026-03-02"


def z(clock: str) -> str:
    return f"{DAY}T{clock}Z"


def ticket(number, created, updated, status, priority, requester, *, channel="web",
           assignee=None, group=None):
    return {"id": number, "created_at": z(created), "updated_at": z(updated), "status": status,
            "priority": priority, "requester_id": requester, "assignee_id": assignee,
            "group_id": group, "via": {"channel": channel}, "subject": "账单金额有误 13812345678"}


def audit(audit_id, ticket_id, clock, updater, children, *, epoch_only=False):
    record = {"id": audit_id, "ticket_id": ticket_id, "updater_id": updater,
              "timestamp": epoch(f"{DAY} {clock}"), "via": "Web form", "event_type": "Audit",
              "child_events": [{"id": audit_id * 10 + k, **child}
                               for k, child in enumerate(children, 1)]}
    if not epoch_only:
        record["created_at"] = z(clock)
    return record


def create(**fields):
    return [{"event_type": "Create", name: value} for name, value in fields.items()]


def comment(author, public=True):
    return {"event_type": "Comment", "author_id": author, "public": public, "body": "…"}


def change(field, previous, value):
    return {"event_type": "Change", field: value, "previous_value": previous}


USERS = {"users": [
    {"id": 5001, "role": "end-user", "email": "c1@example.com", "external_id": "ACC-1",
     "updated_at": z("08:00:00")},
    {"id": 9001, "role": "agent", "email": "a1@center.example", "updated_at": z("08:00:00")},
    {"id": 9002, "role": "admin", "email": "a2@center.example", "updated_at": z("08:00:00")},
], "end_of_stream": True}
TICKETS_PAGE = {"tickets": [
    ticket(101, "09:00:00", "11:00:00", "solved", "high", 5001, assignee=9001, group=77),
    # created by an agent on the phone, priority left empty (normal), escalated to group 78
    ticket(102, "12:00:00", "13:10:00", "open", None, 5002, channel="voice", assignee=9003,
           group=78),
    ticket(103, "13:30:00", "13:40:00", "deleted", "normal", 5001),
    ticket(104, "14:00:00", "14:00:00", "open", "low", 5001, channel="some_new_channel"),
    {"created_at": z("14:00:00"), "status": "new"},  # no id: quarantined
], "count": 5, "end_of_stream": True, "next_page": None}
AUDITS = [
    # 101: created by the requester; the creating audit's comment is the description
    audit(11, 101, "09:00:00", 5001, create(status="new", priority="high", group_id=77)
          + [comment(5001)]),
    audit(12, 101, "09:20:00", 9001,
          [comment(9001, public=False), change("status", "new", "open")]),
    audit(13, 101, "09:40:00", 9001, [comment(9001)]),  # the first (public) agent reply
    audit(14, 101, "10:00:00", 9001, [change("status", "open", "hold")]),
    audit(15, 101, "11:00:00", 9001, [change("status", "hold", "solved")]),
    # 102: created open by an agent; 5002 (the requester, no user record) and 9003 (no user
    # record, not the requester) answer; the group change comes audits-API style, epoch only
    audit(21, 102, "12:00:00", 9002, create(status="open", priority=None) + [comment(9002)]),
    audit(22, 102, "12:30:00", 5002, [comment(5002)]),
    audit(23, 102, "13:00:00", 9003, [comment(9003)]),
    audit(24, 102, "13:10:00", 9003, [{"type": "Change", "field_name": "group_id",
                                       "previous_value": "77", "value": "78"}], epoch_only=True),
    audit(31, 103, "13:30:00", 5001, create(status="new", priority="normal")),
    audit(41, 104, "14:00:00", 5001, create(status="new", priority="low") + [comment(5001)]),
    audit(42, 104, "14:30:00", 9001, [comment(9001), change("status", "new", "solved")]),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("zendesk")
    landing, incremental, full = root / "landing", root / "incremental", root / "full"
    base = landing / "zendesk"
    write(base / "users" / "users-1.json", json.dumps(USERS))
    write(base / "tickets" / "tickets-1.json", json.dumps(TICKETS_PAGE))
    write(base / "ticket_events" / "events-1.jsonl",
          "\n".join(json.dumps(a) for a in AUDITS) + '\n{"id": 99, "ticket_id": \n')
    assert land_and_build(landing, incremental, root) == []
    land_and_build(landing, full, root)
    # the next incremental export overlaps the last one: ticket 104 solved, an older version of
    # it, and audit 42 again
    write(base / "tickets" / "tickets-2.jsonl", "\n".join([
        json.dumps(ticket(104, "14:00:00", "15:00:00", "solved", "low", 5001)),
        json.dumps(ticket(104, "14:00:00", "13:50:00", "new", "low", 5001)),
    ]) + "\n")
    write(base / "ticket_events" / "events-2.jsonl", json.dumps(AUDITS[-1]) + "\n")
    assert land_and_build(landing, incremental, root) == []
    assert land_and_build(landing, full, root, full_refresh=True) == []
    marts = Marts(incremental)
    yield {"marts": marts, "incremental": incremental, "full": full}
    marts.close()


def _ticket(marts, ticket_id):
    return marts.one("select * from marts.fct_tickets where ticket_id = ?", [ticket_id])


def _events(marts, ticket_id):
    return marts.rows("select event_type, actor_type, from_value, to_value "
                      "from staging.stg_ticketing__ticket_events where ticket_id = ? "
                      "order by occurred_at, event_id", [ticket_id])


def test_first_comment_is_the_creation_and_private_comments_are_internal(built):
    marts = built["marts"]
    solved = _ticket(marts, "101")
    # the description (09:00) and the private note (09:20) are no response: 09:40 is
    assert solved["first_response_seconds"] == 2400
    assert solved["full_resolution_seconds"] == 7200
    assert (solved["sla_first_response_status"], solved["sla_resolution_status"]) == ("met", "met")
    assert [e["event_type"] for e in _events(marts, "101")] == [
        "created", "comment", "status_changed", "agent_reply", "status_changed", "status_changed"]


def test_status_hold_is_pending(built):
    changes = [(e["from_value"], e["to_value"]) for e in _events(built["marts"], "101")
               if e["event_type"] == "status_changed"]
    assert changes == [("new", "open"), ("open", "pending"), ("pending", "solved")]


def test_ticket_created_by_an_agent_and_authors_without_user_records(built):
    marts = built["marts"]
    events = _events(marts, "102")
    assert events[0]["event_type"] == "created" and events[0]["actor_type"] == "agent"
    # created open: a change from new at creation; then the requester and another person
    assert [(e["event_type"], e["actor_type"]) for e in events[1:]] == [
        ("status_changed", "agent"), ("customer_reply", "customer"), ("agent_reply", "agent"),
        ("escalated", "agent")]
    assert (events[-1]["from_value"], events[-1]["to_value"]) == ("77", "78")
    phone = _ticket(marts, "102")
    assert phone["priority"] == "normal" and phone["status"] == "open"
    assert phone["first_response_seconds"] == 3600 and phone["escalation_count"] == 1
    staged = marts.one("select * from staging.stg_ticketing__tickets where ticket_id = '102'")
    assert staged["source_channel"] == "voice" and staged["assigned_group"] == "78"
    assert staged["assignee_agent_id"] == "9003"


def test_overlapping_exports_and_deleted_tickets(built):
    marts = built["marts"]
    later = _ticket(marts, "104")
    assert later["status"] == "solved" and later["full_resolution_seconds"] == 1800
    staged = marts.one("select * from staging.stg_ticketing__tickets where ticket_id = '104'")
    assert staged["updated_at"] == ts(f"{DAY} 15:00:00") and staged["source_channel"] == "web"
    assert marts.rows("select * from marts.fct_tickets where ticket_id = '103'") == []
    created = {row["priority"]: row["tickets_created"] for row in marts.rows(
        "select priority, tickets_created from marts.kpi_ticket_daily "
        f"where report_date = date '{DAY}' and tickets_created > 0")}
    assert created == {"high": 1, "normal": 1, "low": 1}


def test_requester_maps_to_the_customer_key(built):
    marts = built["marts"]
    keyed = marts.one("select customer_key from staging.stg_ticketing__tickets "
                      "where ticket_id = '101'")
    unknown = marts.one("select customer_key from staging.stg_ticketing__tickets "
                        "where ticket_id = '102'")
    assert keyed["customer_key"] is not None and unknown["customer_key"] is None
    subject = marts.one("select subject_masked from staging.stg_ticketing__tickets "
                        "where ticket_id = '101'")
    assert "13812345678" not in subject["subject_masked"]


def test_every_record_is_accounted(built):
    recon = {row["entity"]: row for row in built["marts"].rows(
        "select * from marts.dq_reconciliation where source = 'zendesk'")}
    counts = {entity: (row["landed_rows"], row["kept_rows"], row["superseded_rows"],
                       row["ignored_rows"], row["quarantined_rows"])
              for entity, row in recon.items()}
    assert counts == {
        # 5 in the page (one deleted, one without id) + 2 versions of 104 later
        "zendesk_tickets": (7, 3, 2, 1, 1),
        # 12 audits + a broken line, audit 42 again: its first copy is superseded
        "zendesk_ticket_events": (14, 12, 1, 0, 1),
        "zendesk_users": (3, 3, 0, 0, 0),
    }
    assert all(row["is_reconciled"] for row in recon.values())
    reasons = sorted(row["reason"] for row in built["marts"].rows(
        "select reason from marts.dq_quarantined_rows where source = 'zendesk'"))
    assert reasons == ["malformed_json", "missing_required:id"]


def test_incremental_deliveries_equal_a_full_rebuild(built):
    assert compare_marts(built["incremental"] / "hotline.duckdb",
                         built["full"] / "hotline.duckdb") == {}


def test_generated_zendesk_center_equals_the_same_center_in_hotline_format(tmp_path):
    """`--format zendesk` writes tickets and audits as Zendesk exports them; every ticket
    figure must publish as from Hotline's own format (ticket ids are Zendesk's numbers)."""
    from hotline.devtools.generator import generate

    warehouses = {}
    for fmt in ("hotline", "zendesk"):
        landing = tmp_path / fmt / "landing"
        generate(landing_dir=landing, start_date=date(2026, 3, 2), days=3,
                 contacts_per_day=300, seed=31, fmt=fmt)
        warehouses[fmt] = tmp_path / fmt / "warehouse"
        assert land_and_build(landing, warehouses[fmt], tmp_path / fmt) == []
    native, reference = Marts(warehouses["zendesk"]), Marts(warehouses["hotline"])
    columns = ("created_at, priority, status, first_response_seconds, "
               "full_resolution_seconds, reopen_count, escalation_count, "
               "sla_first_response_status, sla_resolution_status")
    try:
        got = native.rows(f"select cast(ticket_id as bigint) as t, {columns} "
                          "from marts.fct_tickets order by all")
        expected = reference.rows(f"select cast(substr(ticket_id, 2) as bigint) as t, {columns} "
                                  "from marts.fct_tickets order by all")
        assert len(expected) > 50 and got == expected
        daily = "select * from marts.kpi_ticket_daily order by all"
        assert native.rows(daily) == reference.rows(daily)
    finally:
        native.close()
        reference.close()
