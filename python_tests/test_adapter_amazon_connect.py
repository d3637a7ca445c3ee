"""Amazon Connect contact-record adapter: hand-written CTR files at the edges (a record
re-delivered with a later LastUpdateTimestamp, a chat, a transfer of a callback, skipped
channels, broken JSON in a Firehose file), landed and built in two deliveries, checked against
figures worked out by hand from the spec (source-adapters.md, "Amazon Connect").
"""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest
from native_helpers import Marts, land_and_build, ts, write
from test_incremental import compare_marts

DAY = "2026-03-02"


def ctr(contact_id, *, channel="VOICE", method="INBOUND", initiated, ended, queue=None,
        enqueued=None, agent=None, answered=None, talk=None, hold=None, acw=None,
        reason="CUSTOMER_DISCONNECT", updated=None, initial=None, previous=None, next_id=None,
        transferred=None, customer="+8613800000001", attributes=None) -> dict:
    def z(clock):
        return f"{DAY}T{clock}Z" if clock else None

    record = {
        "AWSAccountId": "123456789012", "ContactId": contact_id, "InitialContactId": initial,
        "PreviousContactId": previous, "NextContactId": next_id, "Channel": channel,
        "InitiationMethod": method, "InitiationTimestamp": z(initiated),
        "DisconnectTimestamp": z(ended), "DisconnectReason": reason,
        "LastUpdateTimestamp": z(updated or ended), "TransferCompletedTimestamp": z(transferred),
        "CustomerEndpoint": {"Address": customer, "Type": "TELEPHONE_NUMBER"} if customer else None,
        "SystemEndpoint": {"Address": "+864008209512", "Type": "TELEPHONE_NUMBER"},
        "Queue": ({"Name": queue, "ARN": f"arn:aws:connect:queue/{queue}",
                   "EnqueueTimestamp": z(enqueued)} if queue else None),
        "Agent": ({"Username": agent, "ConnectedToAgentTimestamp": z(answered),
                   "AgentInteractionDuration": talk, "CustomerHoldDuration": hold,
                   "AfterContactWorkDuration": acw} if agent else None),
        "Attributes": attributes or {},
    }
    return record


VOICE_V1 = ctr("v1", initiated="08:59:30", queue="Q_A", enqueued="09:00:00", agent="alice",
               answered="09:00:20", talk=200, hold=30, acw=40, ended="09:04:10",
               updated="09:05:00", attributes={"wrap_code": "billing"})
VOICE_V1_LATER = {**VOICE_V1, "LastUpdateTimestamp": f"{DAY}T09:30:00Z",
                  "Agent": {**VOICE_V1["Agent"], "AfterContactWorkDuration": 90},
                  "Attributes": {"wrap_code": "refund"}}
ABANDONED = ctr("ab1", initiated="11:00:00", queue="Q_A", enqueued="11:00:00", ended="11:00:45",
                updated="11:01:00")
ABANDONED_OLDER = {**ABANDONED, "DisconnectTimestamp": f"{DAY}T11:00:30Z",
                   "LastUpdateTimestamp": f"{DAY}T10:00:00Z"}
DELIVERY_1 = [
    VOICE_V1,
    # a chat the customer started from the web widget (StartChatContact: method API)
    ctr("ch1", channel="CHAT", method="API", initiated="10:00:00", queue="Q_CHAT",
        enqueued="10:00:05", agent="bob", answered="10:01:05", talk=300, acw=10,
        ended="10:06:05", reason="AGENT_DISCONNECT", customer=None),
    # a callback transferred to another queue: the transfer takes the callback direction
    ctr("cb1", method="CALLBACK", initiated="12:00:00", queue="Q_A", enqueued="12:00:00",
        agent="alice", answered="12:00:10", talk=60, hold=0, acw=0, ended="12:01:10",
        reason="AGENT_DISCONNECT", next_id="cb2", transferred="12:01:10"),
    ctr("cb2", method="QUEUE_TRANSFER", initial="cb1", previous="cb1", initiated="12:01:10",
        queue="Q_B", enqueued="12:01:10", agent="carol", answered="12:01:40", talk=120, hold=0,
        acw=20, ended="12:03:40"),
    ABANDONED,
    ctr("t1", channel="TASK", method="API", initiated="13:00:00", ended="13:10:00"),
    ctr("m1", method="MONITOR", initiated="13:00:00", ended="13:10:00", agent="dave",
        answered="13:00:00"),
    # the contract rule "ended_at precedes initiated_at" still applies to a mapped record
    ctr("r9", initiated="14:00:00", ended="13:59:00", customer="+8613999999999"),
]


def _firehose(records: list[dict]) -> str:
    """Records back to back, no separator, with a cut-off record and one without ContactId."""
    texts = [json.dumps(record) for record in records]
    texts.insert(2, '{"ContactId": "cut", "Channel": "VOICE", "Queue": {"Name": "Q_A"}')
    texts.insert(4, json.dumps({"Channel": "VOICE", "InitiationMethod": "INBOUND"}))
    return "".join(texts)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("connect")
    landing, incremental, full = root / "landing", root / "incremental", root / "full"
    folder = landing / "amazon_connect" / "ctr"
    write(folder / "2026" / "03" / "02" / "ctr-stream-1-2026-03-02-10", _firehose(DELIVERY_1))
    assert land_and_build(landing, incremental, root) == []
    land_and_build(landing, full, root)
    # delivery 2: a newer and an older version of two records, and a gzipped JSON array
    write(folder / "2026" / "03" / "03" / "ctr-redelivered.jsonl",
          json.dumps(VOICE_V1_LATER) + "\n" + json.dumps(ABANDONED_OLDER) + "\n")
    late = ctr("x1", initiated="15:00:00", queue="Q_B", enqueued="15:00:02", agent="carol",
               answered="15:00:12", talk=50, hold=5, acw=0, ended="15:01:07")
    with gzip.open(folder / "2026" / "03" / "03" / "ctr-array.json.gz", "wt") as handle:
        json.dump([late], handle)
    assert land_and_build(landing, incremental, root) == []
    assert land_and_build(landing, full, root, full_refresh=True) == []
    marts = Marts(incremental)
    yield {"marts": marts, "incremental": incremental, "full": full, "root": root}
    marts.close()


def _leg(marts, contact_id):
    return marts.one("select * from marts.fct_contacts where contact_id = ?", [contact_id])


def test_redelivered_record_with_later_update_wins(built):
    marts = built["marts"]
    leg = _leg(marts, "v1")
    # talk 200 + hold 30 + the re-delivered acw 90
    assert (leg["talk_seconds"], leg["hold_seconds"], leg["acw_seconds"]) == (200, 30, 90)
    assert leg["handle_seconds"] == 320 and leg["wait_seconds"] == 20
    staged = marts.one("select * from staging.stg_telephony__contacts where contact_id = 'v1'")
    assert staged["wrap_code"] == "refund"
    assert staged["last_updated_at"] == ts(f"{DAY} 09:30:00")
    assert staged["initiated_at"] == ts(f"{DAY} 08:59:30")
    assert staged["dialed_number"] == "+864008209512"
    # an older version delivered later does not win
    abandoned = _leg(marts, "ab1")
    assert abandoned["is_abandoned"] and abandoned["wait_seconds"] == 45


def test_chat_record(built):
    leg = _leg(built["marts"], "ch1")
    assert (leg["channel"], leg["direction"], leg["queue_id"], leg["agent_id"]) == (
        "chat", "inbound", "Q_CHAT", "bob")
    assert (leg["wait_seconds"], leg["handle_seconds"]) == (60, 310)
    day = built["marts"].one("select * from marts.kpi_channel_daily where channel = 'chat'")
    assert day["interactions"] == 1 and day["ivr_entered"] == 0


def test_transfer_takes_the_first_legs_direction(built):
    marts = built["marts"]
    first, second = _leg(marts, "cb1"), _leg(marts, "cb2")
    assert first["is_transferred_out"] and first["direction"] == "callback"
    assert second["direction"] == "callback" and second["interaction_id"] == "cb1"
    interaction = marts.one("select * from marts.fct_customer_contacts "
                            "where interaction_id = 'cb1'")
    assert (interaction["handling_agent_id"], interaction["handling_queue_id"]) == ("carol",
                                                                                    "Q_B")


def test_every_record_is_accounted(built):
    marts = built["marts"]
    recon = marts.one("select * from marts.dq_reconciliation where entity = 'amazon_connect_ctr'")
    # 10 records in the Firehose file (8 + a cut-off one + one without ContactId), 3 later:
    # mapped ch1 cb1 cb2 ab1 v1' x1; superseded v1 (older) and ab1' (older LastUpdate);
    # ignored the TASK and the MONITOR contact; quarantined cut, no id, r9
    assert (recon["landed_rows"], recon["kept_rows"], recon["superseded_rows"],
            recon["ignored_rows"], recon["quarantined_rows"]) == (13, 6, 2, 2, 3)
    assert recon["is_reconciled"]
    quarantined = marts.rows("select reason, raw_record from marts.dq_quarantined_rows "
                             "where source = 'amazon_connect' order by reason")
    assert [row["reason"] for row in quarantined] == [
        "end_before_start", "malformed_json", "missing_required:ContactId"]
    assert "13999999999" not in quarantined[0]["raw_record"]  # the caller is masked
    contacts = marts.one("select * from marts.dq_reconciliation where entity = 'contacts'")
    assert contacts["landed_rows"] == 0 and contacts["is_reconciled"]


def test_incremental_deliveries_equal_a_full_rebuild(built):
    assert compare_marts(built["incremental"] / "hotline.duckdb",
                         built["full"] / "hotline.duckdb") == {}


def test_vars_naming_json_keys_are_validated(built):
    from hotline.build import run_dbt
    from hotline.nightly import release_dbt_connections

    try:
        result = run_dbt(["compile", "--select", "base_amazon_connect__ctr"], built["full"],
                         {"amazon_connect_wrap_code_attribute": "x') from users; --"})
    finally:
        release_dbt_connections()
    assert not result.success
    assert any("amazon_connect_wrap_code_attribute" in failure for failure in result.failures)


def test_generated_connect_center_equals_the_same_center_in_hotline_format(tmp_path):
    """`--format amazon-connect` writes every leg as a contact record; everything a CTR
    carries must publish as from Hotline's own format (not IVR, not account ids: customers are
    known by phone number, which the simulation gives one per customer)."""
    from hotline.devtools.generator import generate

    warehouses = {}
    for fmt in ("hotline", "amazon_connect"):
        landing = tmp_path / fmt / "landing"
        generate(landing_dir=landing, start_date=date(2026, 3, 2), days=3,
                 contacts_per_day=400, seed=29, fmt=fmt)
        warehouses[fmt] = tmp_path / fmt / "warehouse"
        assert land_and_build(landing, warehouses[fmt], tmp_path / fmt) == []
    native, reference = Marts(warehouses["amazon_connect"]), Marts(warehouses["hotline"])
    checks = {
        "fct_contacts": ("contact_id, interaction_id, queue_id, agent_id, channel, interval_start, "
                         "is_offered, is_answered, is_abandoned, is_short_abandoned, "
                         "is_answered_within_sl, wait_seconds, talk_seconds, hold_seconds, "
                         "acw_seconds, handle_seconds, is_transferred_out"),
        "fct_customer_contacts": ("interaction_id, report_date, channel, handling_queue_id, "
                                  "handling_agent_id, is_repeat, fcr_eligible, is_fcr, "
                                  "is_fcr_final"),
        "kpi_queue_interval": ("queue_id, interval_start_utc, offered, answered, abandoned, "
                               "short_abandoned, answered_within_sl, round(service_level, 9), "
                               "round(asa_seconds, 6), round(avg_wait_seconds, 6), "
                               "max_wait_seconds, round(aht_seconds, 6)"),
        "kpi_queue_daily": ("queue_id, report_date, offered, answered, round(aht_seconds, 6), "
                            "round(transfer_rate, 9), fcr_eligible, fcr_resolved, "
                            "repeat_eligible, repeat_contacts, csat_responses, csat_satisfied"),
        "kpi_agent_daily": "agent_id, report_date, handled, round(aht_seconds, 6), "
                           "logged_in_seconds, round(occupancy, 9), csat_responses",
    }
    try:
        for table, columns in checks.items():
            sql = f"select {columns} from marts.{table} order by all"
            got, expected = native.rows(sql), reference.rows(sql)
            assert len(expected) > 10, table
            assert got == expected, table
        # first legs keep their direction; a transfer leg takes its first leg's (spec), where
        # the simulation marks every transfer leg inbound
        direction = ("select contact_id, direction from marts.fct_contacts "
                     "where contact_id = interaction_id order by all")
        assert native.rows(direction) == reference.rows(direction)
    finally:
        native.close()
        reference.close()
