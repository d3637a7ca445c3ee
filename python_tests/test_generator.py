"""Tests of the sample-data generator against the landing contract (small sizes, fast)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotline.contract import ENTITIES, ENTITY_BY_NAME
from hotline.devtools.generator import generate

START = date(2026, 3, 2)
TZ = "Asia/Shanghai"
# one RFC 4180 field: quoted with doubled quotes inside, or unquoted without quotes/commas
_FIELD = r'(?:"(?:[^"]|"")*"|[^",]*)'
_LINE = re.compile(rf"^{_FIELD}(?:,{_FIELD})*$")

ENUMS = {
    "contacts": {
        "channel": {"voice", "chat"},
        "direction": {"inbound", "outbound", "callback"},
        "ivr_outcome": {"self_service", "agent_requested", "abandoned"},
        "disconnect_reason": {"customer_disconnect", "agent_disconnect", "transfer",
                              "queue_timeout", "system"},
    },
    "agent_states": {"state": {"available", "on_contact", "after_contact_work", "break",
                               "meeting", "training", "offline"}},
    "queues": {"channel": {"voice", "chat"}},
    "tickets": {
        "source_channel": {"voice", "chat", "email", "web", "social"},
        "priority": {"urgent", "high", "normal", "low"},
        "status": {"new", "open", "pending", "solved", "closed"},
    },
    "ticket_events": {
        "event_type": {"created", "assigned", "agent_reply", "customer_reply", "status_changed",
                       "priority_changed", "escalated", "comment"},
        "actor_type": {"agent", "customer", "system"},
    },
    "survey_responses": {"survey_type": {"csat", "nps", "ces"}, "issue_resolved": {"yes", "no"}},
}
TIMESTAMPS = {
    "contacts": ("initiated_at", "ivr_ended_at", "enqueued_at", "answered_at", "ended_at",
                 "last_updated_at"),
    "agent_states": ("started_at", "ended_at"),
    "agents": ("updated_at",),
    "queues": ("updated_at",),
    "tickets": ("created_at", "updated_at"),
    "ticket_events": ("occurred_at",),
    "survey_responses": ("sent_at", "responded_at"),
}
SCORE_RANGE = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


def _files(root: Path, entity: str) -> list[Path]:
    return sorted((root / ENTITY_BY_NAME[entity].folder).glob("*.csv"))


def _read(root: Path, entity: str) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Well-formed rows (all text, with _file), malformed raw lines, and all raw data lines."""
    rows, malformed, raw = [], [], []
    for path in _files(root, entity):
        lines = path.read_text(encoding="utf-8").splitlines()
        header = next(csv.reader([lines[0]]))
        for line in lines[1:]:
            raw.append(f"{path.name}|{line}")  # duplicates are judged within a file
            values = next(csv.reader([line])) if _LINE.match(line) else None
            if values is None or len(values) != len(header):
                malformed.append(line)
                continue
            rows.append(dict(zip(header, values, strict=True)) | {"_file": path.name})
    columns = [*ENTITY_BY_NAME[entity].columns, "_file"]
    return pd.DataFrame(rows, columns=columns), malformed, raw


def _parse_ts(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series.where(series != ""), format="ISO8601", utc=True, errors="coerce")


def _problems(entity: str, df: pd.DataFrame, raw: list[str], refs: dict) -> dict[str, int]:
    """Count rows of each bad-row kind of the contract (orphans counted apart)."""
    spec = ENTITY_BY_NAME[entity]
    out = {"missing_required": int((df[list(spec.required)] == "").any(axis=1).sum())}
    out["unknown_enum"] = int(sum(
        ((df[col] != "") & ~df[col].str.strip().str.lower().isin(values)).sum()
        for col, values in ENUMS.get(entity, {}).items()))
    bad_ts = 0
    for col in TIMESTAMPS[entity]:
        bad_ts += int(((df[col] != "") & _parse_ts(df[col]).isna()).sum())
    out["bad_timestamp"] = bad_ts
    counts = pd.Series(raw).value_counts()
    out["duplicate"] = int((counts > 1).sum())
    if entity == "contacts":
        nums = df[["talk_seconds", "hold_seconds", "acw_seconds"]].apply(
            pd.to_numeric, errors="coerce")
        out["negative_duration"] = int((nums < 0).any(axis=1).sum())
        out["ended_before_start"] = int(
            (_parse_ts(df.ended_at) < _parse_ts(df.initiated_at)).sum())
        out["orphan_queue"] = int(((df.queue_id != "") & ~df.queue_id.isin(refs["queues"])).sum())
        out["orphan_agent"] = int(((df.agent_id != "") & ~df.agent_id.isin(refs["agents"])).sum())
    if entity == "agent_states":
        out["ended_before_start"] = int(
            (_parse_ts(df.ended_at) <= _parse_ts(df.started_at)).sum())
        out["orphan_agent"] = int((~df.agent_id.isin(refs["agents"])).sum())
    if entity == "tickets":
        out["orphan_agent"] = int(((df.assignee_agent_id != "")
                                   & ~df.assignee_agent_id.isin(refs["agents"])).sum())
    if entity == "ticket_events":
        out["orphan_ticket"] = int(((df.ticket_id != "")
                                    & ~df.ticket_id.isin(refs["tickets"])).sum())
    if entity == "survey_responses":
        score = pd.to_numeric(df.score, errors="coerce")
        low = df.survey_type.map(lambda t: SCORE_RANGE.get(t, (0, 10))[0])
        high = df.survey_type.map(lambda t: SCORE_RANGE.get(t, (0, 10))[1])
        out["out_of_range"] = int(((df.score != "") & ((score < low) | (score > high))).sum())
        out["orphan_contact"] = int(((df.contact_id != "")
                                     & ~df.contact_id.isin(refs["contacts"])).sum())
    return out


def _all_problems(root: Path) -> dict[str, dict[str, int]]:
    data = {entity.name: _read(root, entity.name) for entity in ENTITIES}
    refs = {
        "queues": set(data["queues"][0].queue_id),
        "agents": set(data["agents"][0].agent_id),
        "tickets": set(data["tickets"][0].ticket_id),
        "contacts": set(data["contacts"][0].contact_id),
    }
    result = {}
    for name, (df, malformed, raw) in data.items():
        result[name] = {"malformed": len(malformed), **_problems(name, df, raw, refs)}
    return result


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("clean")
    generate(landing_dir=root, start_date=START, days=10, contacts_per_day=400, seed=3)
    return root


@pytest.fixture(scope="module")
def contacts(clean) -> pd.DataFrame:
    df, malformed, _ = _read(clean, "contacts")
    assert not malformed
    for col in TIMESTAMPS["contacts"]:
        df[col] = _parse_ts(df[col])
    for col in ("talk_seconds", "hold_seconds", "acw_seconds"):
        df[col] = pd.to_numeric(df[col].where(df[col] != ""))
    return df


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.csv"))}


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    kwargs = {"start_date": START, "days": 2, "contacts_per_day": 150}
    generate(landing_dir=tmp_path / "a", seed=5, **kwargs)
    generate(landing_dir=tmp_path / "b", seed=5, **kwargs)
    generate(landing_dir=tmp_path / "c", seed=6, **kwargs)
    a, b, c = _digest(tmp_path / "a"), _digest(tmp_path / "b"), _digest(tmp_path / "c")
    assert a == b
    assert a.keys() == c.keys()
    assert a["telephony/contacts/contacts_2026-03-02.csv"] != c[
        "telephony/contacts/contacts_2026-03-02.csv"]


def test_one_file_per_entity_per_day_with_contract_header(clean):
    for entity in ENTITIES:
        files = _files(clean, entity.name)
        prefix = entity.folder.rsplit("/", 1)[-1]
        expected = [f"{prefix}_{START + timedelta(days=i)}.csv" for i in range(10)]
        assert [p.name for p in files] == expected, entity.name
        for path in files:
            with path.open(encoding="utf-8") as handle:
                assert next(csv.reader(handle)) == list(entity.columns), path


def test_summary_counts_rows(tmp_path):
    summary = generate(landing_dir=tmp_path, start_date=START, days=1, contacts_per_day=100,
                       seed=1)
    text = str(summary)
    assert "contacts" in text and "files written: 7" in text
    assert summary.rows["contacts"] == len(_read(tmp_path, "contacts")[0])


def test_clean_mode_has_no_bad_rows(clean):
    for entity, counts in _all_problems(clean).items():
        assert all(v == 0 for v in counts.values()), (entity, counts)


def test_ids_unique_and_legs_consistent(contacts):
    c = contacts
    assert c.contact_id.is_unique
    answered = c.answered_at.notna()
    enqueued = c.enqueued_at.notna()
    assert ((c.agent_id != "") == answered).all()
    assert ((c.queue_id != "") == enqueued).all()
    assert (c.queue_id[c.direction == "outbound"] == "").all()
    ivr = c.ivr_ended_at.notna()
    assert (c.ivr_ended_at[ivr] >= c.initiated_at[ivr]).all()
    assert (c.ivr_outcome[ivr] != "").all() and (c.ivr_outcome[~ivr] == "").all()
    assert (c.ivr_ended_at[c.channel == "chat"].isna()).all()
    assert (c.enqueued_at[enqueued] >= c.ivr_ended_at.fillna(c.initiated_at)[enqueued]).all()
    assert (c.answered_at[answered & enqueued] >= c.enqueued_at[answered & enqueued]).all()
    talk_hold = pd.to_timedelta(c.talk_seconds + c.hold_seconds, unit="s")
    assert (c.ended_at[answered] >= (c.answered_at + talk_hold)[answered]).all()
    unanswered = enqueued & ~answered
    assert (c.ended_at[unanswered] >= c.enqueued_at[unanswered]).all()
    assert (c.ended_at >= c.initiated_at).all()
    # self-service in the IVR never queues
    assert (~enqueued[c.ivr_outcome == "self_service"]).all()
    # talk time realistic: a few minutes for voice, longer for chat
    voice_talk = c.talk_seconds[answered & (c.channel == "voice")].mean()
    chat_talk = c.talk_seconds[answered & (c.channel == "chat")].mean()
    assert 180 <= voice_talk <= 420 and chat_talk > voice_talk


def test_abandons_timeouts_and_service_level(contacts):
    c = contacts
    offered = c[c.enqueued_at.notna()]
    answered = offered.answered_at.notna()
    abandoned = ~answered & (offered.disconnect_reason == "customer_disconnect")
    assert abandoned.mean() > 0.01
    assert (offered.disconnect_reason == "queue_timeout").any()
    wait = (offered.answered_at - offered.enqueued_at).dt.total_seconds()
    assert 0.5 < (answered & (wait <= 30)).mean() < 0.98


def test_transfers_chain(contacts):
    c = contacts.set_index("contact_id", drop=False)
    child = c[c.previous_contact_id != ""]
    answered = c.answered_at.notna()
    assert 0.04 < (c.disconnect_reason[answered] == "transfer").mean() < 0.14
    assert len(child) > 0
    assert child.previous_contact_id.isin(c.index).all()
    assert child.initial_contact_id.isin(c.index).all()
    parents = c.loc[child.previous_contact_id]
    assert (parents.disconnect_reason == "transfer").all()
    assert (child.queue_id.to_numpy() != parents.queue_id.to_numpy()).all()
    assert (child.initiated_at.to_numpy() >= parents.ended_at.to_numpy()).all()
    # the initial id is the chain's first leg, which has no previous leg
    first = c.loc[child.initial_contact_id]
    assert (first.previous_contact_id == "").all()
    firsts = c[c.previous_contact_id == ""]
    own = firsts.initial_contact_id == firsts.contact_id
    assert own.any() and (firsts.initial_contact_id == "").any()
    assert ((firsts.initial_contact_id == "") | own).all()
    # every transfer leads to exactly one next leg
    assert set(c.index[c.disconnect_reason == "transfer"]) == set(child.previous_contact_id)


def _normalise_phone(number: pd.Series) -> pd.Series:
    digits = number.str.replace(r"\D", "", regex=True)
    digits = digits.where(~digits.str.startswith("0086"), digits.str[4:])
    return digits.where(~((digits.str.len() == 13) & digits.str.startswith("86")),
                        digits.str[2:])


def test_repeat_callers_within_seven_days(contacts):
    c = contacts.copy()
    assert {"+86 ", "0086 ", "86 "} <= {p for p in ("+86 ", "0086 ", "86 ")
                                         if c.customer_number.str.startswith(p).any()}
    has_account = c.customer_account_id != ""
    assert 0.5 < has_account.mean() < 0.7
    c["customer"] = np.where(has_account, "acct:" + c.customer_account_id,
                             np.where(c.customer_number != "",
                                      "tel:" + _normalise_phone(c.customer_number), ""))
    first = c[c.previous_contact_id == ""]
    inbound = first[(first.direction == "inbound") & (first.customer != "")].sort_values(
        "initiated_at")
    previous = inbound.groupby("customer").initiated_at.shift()
    repeat = (inbound.initiated_at - previous).dt.total_seconds() <= 7 * 86400
    assert 0.10 <= repeat.mean() <= 0.20
    # the same customer keeps the same account id and the same normalised number
    per_account = c[has_account].groupby("customer_account_id").customer_number.apply(
        lambda s: _normalise_phone(s[s != ""]).nunique())
    assert (per_account <= 1).all()
    # some repeats switch channel
    prev_channel = inbound.groupby("customer").channel.shift()
    assert (repeat & (prev_channel != inbound.channel)).sum() > 0
    assert (first.customer == "").any()  # anonymous callers


def test_agent_states_cover_answered_legs(clean, contacts):
    states, _, _ = _read(clean, "agent_states")
    states["start"] = _parse_ts(states.started_at)
    states["end"] = _parse_ts(states.ended_at)
    states = states.sort_values(["agent_id", "start"])
    assert (states.end > states.start).all()
    previous_end = states.groupby("agent_id").end.shift()
    assert not (previous_end > states.start).any(), "overlapping states"
    assert set(states.state) >= {"available", "on_contact", "after_contact_work", "break"}
    on_contact = states.loc[states.state == "on_contact", ["agent_id", "start", "end"]]
    legs = contacts[contacts.answered_at.notna()]
    merged = legs.merge(on_contact, left_on=["agent_id", "answered_at"],
                        right_on=["agent_id", "start"], how="left")
    assert merged.start.notna().all()
    assert (merged.end >= merged.ended_at).all()


def test_late_deliveries_exist(clean, contacts):
    local_day = contacts.initiated_at.dt.tz_convert(TZ).dt.date.astype(str)
    file_day = contacts._file.str.extract(r"(\d{4}-\d{2}-\d{2})")[0]
    late = local_day < file_day
    assert 0.003 < late.mean() < 0.05
    assert not (local_day > file_day).any()
    events, _, _ = _read(clean, "ticket_events")
    ev_day = _parse_ts(events.occurred_at).dt.tz_convert(TZ).dt.date.astype(str)
    assert (ev_day < events._file.str.extract(r"(\d{4}-\d{2}-\d{2})")[0]).any()


def test_tickets_span_days_and_sometimes_breach(clean):
    tickets, _, _ = _read(clean, "tickets")
    per_ticket = tickets.groupby("ticket_id")._file.nunique()
    assert (per_ticket > 1).mean() > 0.3
    assert (tickets.origin_contact_id != "").any() and (tickets.origin_contact_id == "").any()
    assert tickets.subject.str.contains(r"@|\d{11}", regex=True).any()
    events, _, _ = _read(clean, "ticket_events")
    events["occurred"] = _parse_ts(events.occurred_at)
    created = events[events.event_type == "created"].set_index("ticket_id").occurred
    first_reply = events[events.event_type == "agent_reply"].groupby("ticket_id").occurred.min()
    latest = tickets.drop_duplicates("ticket_id", keep="last").set_index("ticket_id")
    minutes = ((first_reply - created.loc[first_reply.index]).dt.total_seconds() / 60)
    target = latest.priority.loc[minutes.index].map(
        {"urgent": 60, "high": 120, "normal": 480, "low": 1440})
    breached = (minutes > target).mean()
    assert 0.03 < breached < 0.4
    reopened = events[(events.event_type == "status_changed") & (events.from_value == "solved")
                      & (events.to_value == "open")]
    assert len(reopened) > 0


def test_surveys_scores_in_range(clean):
    responses, _, _ = _read(clean, "survey_responses")
    assert set(responses.survey_type) == {"csat", "nps", "ces"}
    assert (responses.contact_id != "").any() and (responses.ticket_id != "").any()
    assert (_parse_ts(responses.responded_at) >= _parse_ts(responses.sent_at)).all()


@pytest.fixture(scope="module")
def dirty(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dirty")
    generate(landing_dir=root, start_date=START, days=4, contacts_per_day=1500, seed=4,
             dirty=True)
    return root


def test_dirty_mode_produces_each_kind_of_bad_row(dirty):
    problems = _all_problems(dirty)
    expected = {
        "contacts": ("malformed", "unknown_enum", "negative_duration", "ended_before_start",
                     "bad_timestamp", "missing_required", "duplicate", "orphan_queue",
                     "orphan_agent"),
        "agent_states": ("malformed", "unknown_enum", "ended_before_start", "bad_timestamp",
                         "missing_required", "duplicate", "orphan_agent"),
        "tickets": ("malformed", "unknown_enum", "bad_timestamp", "missing_required",
                    "duplicate", "orphan_agent"),
        "ticket_events": ("malformed", "unknown_enum", "bad_timestamp", "missing_required",
                          "duplicate", "orphan_ticket"),
        "survey_responses": ("malformed", "unknown_enum", "out_of_range", "bad_timestamp",
                             "missing_required", "duplicate", "orphan_contact"),
    }
    for entity, kinds in expected.items():
        missing = [kind for kind in kinds if problems[entity][kind] == 0]
        assert not missing, (entity, missing, problems[entity])
    # about 1 % of rows, never enough to trip the 5 % quarantine gate on its own
    df, malformed, raw = _read(dirty, "contacts")
    assert len(malformed) / len(raw) < 0.02


def test_dirty_files_still_rfc4180_except_the_bad_lines(dirty):
    path = _files(dirty, "contacts")[0]
    text = path.read_text(encoding="utf-8")
    bad = [line for line in text.splitlines() if not _LINE.match(line)]
    # malformed lines: wrong field count (still matching the pattern) or broken quotes
    assert 0 < len(bad) < 10
    assert list(csv.reader(io.StringIO(text.splitlines()[0])))[0] == list(
        ENTITY_BY_NAME["contacts"].columns)
