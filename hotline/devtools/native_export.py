"""The simulated center written in a native export format (`hotline generate --format ...`).

The generator simulates one center and produces contract-shaped tables (one per entity and
delivery day). This module rewrites some of them as the product would have exported them, so
the demo, the benchmark and the tests exercise each adapter with the same center:

* asterisk: the queued voice legs and the agent states become an Asterisk queue_log per day
  (asterisk/queue_log/queue_log-YYYYMMDD). queue_log knows only what passed through a queue:
  IVR, legs never queued (outbound, IVR-only) and chat are not in it. The queue and agent
  directories, tickets and surveys stay in Hotline's own folders (a center delivers several
  sources at once); contact ids in them are rewritten to the ids the mapping gives the legs.
* amazon_connect: every contact leg becomes a contact record (CTR) as Kinesis Data Firehose
  delivers them to S3 (amazon_connect/ctr/ctr-YYYY-MM-DD: records back to back without a
  separator; every third day one record per line, every third day a gzipped JSON array).
  Connect exports no agent states and no IVR detail: agent states stay in Hotline's format.
* zendesk: tickets and ticket events become Zendesk Incremental Export records (tickets as
  API pages, ticket events as audits with child events, one per line; users once). Ids are
  Zendesk's numbers (ticket T00500000 is 500000); survey ticket ids are rewritten to match.

Everything here converts delivered rows; nothing is re-simulated.
"""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa

FORMATS = ("hotline", "asterisk", "amazon_connect", "zendesk")
LOCAL_OFFSET = 8 * 3600  # the simulated center is in Asia/Shanghai (hotline/devtools/generator.py)

_PAUSE_REASONS = {"break": "Break", "meeting": "Meeting", "training": "Training"}
_OUTCOME_BY_REASON = {"customer_disconnect": "COMPLETECALLER", "agent_disconnect": "COMPLETEAGENT",
                      "system": "COMPLETEAGENT"}


def _epoch(text: str | None) -> int | None:
    if not text:
        return None
    return int(datetime.fromisoformat(text).timestamp())


def _digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


class NativeWriter:
    """Takes over the entities a native format carries; rewrites references in the others."""

    takes: frozenset[str] = frozenset()

    def __init__(self, landing_dir: Path, start: date, per_day: dict[str, list[pa.Table]],
                 dirty: bool, seed: int) -> None:
        self.landing_dir = Path(landing_dir)
        self.start = start
        self.per_day = per_day
        self.dirty = dirty
        self.rng = random.Random(seed)
        self.files = 0
        self.rows: dict[str, int] = defaultdict(int)

    def rewrite(self, entity: str, table: pa.Table) -> pa.Table:
        return table

    def write_day(self, day: int) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class AsteriskWriter(NativeWriter):
    """Queued voice legs and agent states as an Asterisk queue_log, one file per day."""

    takes = frozenset({"contacts", "agent_states"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # contact_id -> the id the queue_log mapping gives the leg (ast:<callid>:<queue>:1);
        # the simulation never sends one call through the same queue twice
        self.contact_ids: dict[str, str] = {}
        for table in self.per_day["contacts"]:
            for row in table.select(["contact_id", "initial_contact_id", "queue_id", "enqueued_at",
                                     "channel"]).to_pylist():
                if row["queue_id"] and row["enqueued_at"] and row["channel"] == "voice":
                    callid = self._callid(row["initial_contact_id"] or row["contact_id"])
                    self.contact_ids[row["contact_id"]] = f"ast:{callid}:{row['queue_id']}:1"

    def _callid(self, contact_id: str) -> str:
        # Asterisk's uniqueid is "<epoch>.<sequence>"; the sequence carries the interaction
        epoch = (self.start - date(1970, 1, 1)).days * 86400
        return f"{epoch}.{int(_digits(contact_id) or 0)}"

    def rewrite(self, entity: str, table: pa.Table) -> pa.Table:
        column = {"survey_responses": "contact_id", "tickets": "origin_contact_id"}.get(entity)
        if column is None or column not in table.column_names:
            return table
        values = [self.contact_ids.get(value) if value else None
                  for value in table[column].to_pylist()]
        return table.set_column(table.column_names.index(column), column,
                                pa.array(values, type=pa.string()))

    def _call_lines(self, table: pa.Table) -> list[tuple[int, int, str]]:
        lines = []
        for row in table.to_pylist():
            if not (row["queue_id"] and row["enqueued_at"]) or row["channel"] != "voice":
                continue
            callid = self._callid(row["initial_contact_id"] or row["contact_id"])
            queue = row["queue_id"]
            enqueued = _epoch(row["enqueued_at"])
            ended = _epoch(row["ended_at"])
            caller = _digits(row["customer_number"]) or "anonymous"
            lines.append((enqueued, 0, f"{enqueued}|{callid}|{queue}|NONE|ENTERQUEUE||{caller}|1"))
            reason = row["disconnect_reason"]
            if row["answered_at"] and row["agent_id"]:
                answered = _epoch(row["answered_at"])
                agent = f"Agent/{row['agent_id']}"
                hold = answered - enqueued
                # calltime is the time connected to the agent, customer hold included
                call = int(float(row["talk_seconds"] or 0) + float(row["hold_seconds"] or 0))
                lines.append((answered, 2, f"{answered}|{callid}|{queue}|{agent}|CONNECT|{hold}|"
                                           f"{callid}1|3"))
                if reason == "transfer":
                    outcome = f"BLINDTRANSFER|8{queue[-3:]}|from-internal|{hold}|{call}|1"
                else:
                    outcome = f"{_OUTCOME_BY_REASON.get(reason, 'COMPLETEAGENT')}|{hold}|{call}|1"
                lines.append((ended, 3, f"{ended}|{callid}|{queue}|{agent}|{outcome}"))
                acw = int(float(row["acw_seconds"] or 0))
                if acw > 0:
                    lines.append((ended, 4, f"{ended}|{callid}|{queue}|{agent}|WRAPUPSTART|{acw}"))
            else:
                wait = ended - enqueued
                event = {"customer_disconnect": "ABANDON",
                         "queue_timeout": "EXITWITHTIMEOUT"}.get(reason, "EXITEMPTY")
                lines.append((ended, 3, f"{ended}|{callid}|{queue}|NONE|{event}|1|1|{wait}"))
        return lines

    def _agent_lines(self, table: pa.Table) -> list[tuple[int, int, str]]:
        lines = []
        by_agent: dict[str, list[dict]] = defaultdict(list)
        for row in table.to_pylist():
            by_agent[row["agent_id"]].append(row)
        for agent_id, rows in by_agent.items():
            rows.sort(key=lambda r: _epoch(r["started_at"]))
            agent = f"Agent/{agent_id}"
            login = None
            last_end = None
            for row in rows:
                start, end = _epoch(row["started_at"]), _epoch(row["ended_at"])
                if row["state"] == "offline":
                    if login is not None:
                        lines.append((last_end, 1, f"{last_end}|NONE|NONE|{agent}|AGENTLOGOFF|"
                                                   f"PJSIP/{agent_id}|{last_end - login}"))
                        login = None
                    continue
                if login is None or start != last_end:
                    if login is not None:
                        lines.append((last_end, 1, f"{last_end}|NONE|NONE|{agent}|AGENTLOGOFF|"
                                                   f"PJSIP/{agent_id}|{last_end - login}"))
                    login = start
                    lines.append((start, 0, f"{start}|NONE|NONE|{agent}|AGENTLOGIN|"
                                            f"PJSIP/{agent_id}"))
                if row["state"] in _PAUSE_REASONS:
                    lines.append((start, 1, f"{start}|NONE|NONE|{agent}|PAUSEALL|"
                                            f"{_PAUSE_REASONS[row['state']]}"))
                    lines.append((end, 0, f"{end}|NONE|NONE|{agent}|UNPAUSEALL|"))
                last_end = end
            if login is not None:
                lines.append((last_end, 1, f"{last_end}|NONE|NONE|{agent}|AGENTLOGOFF|"
                                           f"PJSIP/{agent_id}|{last_end - login}"))
        return lines

    def _lines_by_day(self) -> dict[int, list[str]]:
        """Every line of the period, in the file of the local (UTC+8) day it was written."""
        lines = []
        for table in self.per_day["contacts"]:
            lines += self._call_lines(table)
        lines += self._agent_lines(pa.concat_tables(self.per_day["agent_states"]))
        lines.sort(key=lambda item: (item[0], item[1]))
        day0 = (self.start - date(1970, 1, 1)).days * 86400 - LOCAL_OFFSET
        last = len(self.per_day["contacts"]) - 1
        by_day: dict[int, list[str]] = defaultdict(list)
        for epoch, _, line in lines:
            by_day[min(max((epoch - day0) // 86400, 0), last)].append(line)
        return by_day

    def write_day(self, day: int) -> None:
        if not hasattr(self, "_by_day"):
            self._by_day = self._lines_by_day()
        text = self._by_day.get(day, [])
        if self.dirty and len(text) >= 20:
            # about 1 % lines a parser must quarantine: cut short, or with a broken time
            for i in range(max(1, len(text) // 100)):
                position = self.rng.randrange(len(text) + 1)
                broken = ("garbage: queue_log line cut|" if i % 2 == 0
                          else "2026-13-45 99:99:99|NONE|NONE|NONE|QUEUESTART|")
                text.insert(position, broken)
        stamp = (self.start + timedelta(days=day)).strftime("%Y%m%d")
        path = self.landing_dir / "asterisk" / "queue_log" / f"queue_log-{stamp}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(text) + ("\n" if text else ""), encoding="utf-8")
        self.files += 1
        self.rows["asterisk_queue_log"] += len(text)


class AmazonConnectWriter(NativeWriter):
    """Every contact leg as an Amazon Connect contact record (CTR), one file per day."""

    takes = frozenset({"contacts"})
    _DISCONNECT = {"customer_disconnect": "CUSTOMER_DISCONNECT",
                   "agent_disconnect": "AGENT_DISCONNECT"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.next_contact: dict[str, str] = {}
        for table in self.per_day["contacts"]:
            for row in table.select(["contact_id", "previous_contact_id"]).to_pylist():
                if row["previous_contact_id"]:
                    self.next_contact[row["previous_contact_id"]] = row["contact_id"]

    @staticmethod
    def _utc(text: str | None) -> str | None:
        """Connect writes UTC ISO 8601 with a Z."""
        if not text:
            return None
        value = datetime.fromisoformat(text).astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _record(self, row: dict) -> dict:
        contact_id = row["contact_id"]
        initial = row["initial_contact_id"] if row["initial_contact_id"] != contact_id else None
        method = "TRANSFER" if row["previous_contact_id"] else row["direction"].upper()
        next_id = self.next_contact.get(contact_id)
        answered = row["answered_at"] is not None and row["agent_id"] is not None
        record = {
            "AWSAccountId": "123456789012",
            "AWSContactTraceRecordFormatVersion": "2017-03-10",
            "ContactId": contact_id,
            "InitialContactId": initial,
            "PreviousContactId": row["previous_contact_id"],
            "NextContactId": next_id,
            "Channel": row["channel"].upper(),
            "InitiationMethod": method,
            "InitiationTimestamp": self._utc(row["initiated_at"]),
            "DisconnectTimestamp": self._utc(row["ended_at"]),
            "DisconnectReason": self._DISCONNECT.get(row["disconnect_reason"],
                                                      "CONTACT_FLOW_DISCONNECT"),
            "LastUpdateTimestamp": self._utc(row["last_updated_at"]),
            "TransferCompletedTimestamp": self._utc(row["ended_at"]) if next_id else None,
            "CustomerEndpoint": ({"Address": row["customer_number"], "Type": "TELEPHONE_NUMBER"}
                                 if row["customer_number"] else None),
            "SystemEndpoint": ({"Address": row["dialed_number"], "Type": "TELEPHONE_NUMBER"}
                               if row["dialed_number"] else None),
            "Queue": None,
            "Agent": None,
            "Attributes": {"wrap_code": row["wrap_code"]} if row["wrap_code"] else {},
        }
        if row["queue_id"] and row["enqueued_at"]:
            dequeued = row["answered_at"] or row["ended_at"]
            record["Queue"] = {
                "Name": row["queue_id"],
                "ARN": f"arn:aws:connect:ap-northeast-1:123456789012:instance/demo/queue/"
                       f"{row['queue_id'].lower()}",
                "EnqueueTimestamp": self._utc(row["enqueued_at"]),
                "DequeueTimestamp": self._utc(dequeued),
                "Duration": _epoch(dequeued) - _epoch(row["enqueued_at"]),
            }
        if answered:
            record["Agent"] = {
                "Username": row["agent_id"],
                "ARN": f"arn:aws:connect:ap-northeast-1:123456789012:instance/demo/agent/"
                       f"{row['agent_id'].lower()}",
                "ConnectedToAgentTimestamp": self._utc(row["answered_at"]),
                "AgentInteractionDuration": int(float(row["talk_seconds"] or 0)),
                "CustomerHoldDuration": int(float(row["hold_seconds"] or 0)),
                "AfterContactWorkDuration": int(float(row["acw_seconds"] or 0)),
            }
        return record

    def write_day(self, day: int) -> None:
        records = [self._record(row) for row in self.per_day["contacts"][day].to_pylist()]
        texts = [json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                 for record in records]
        if self.dirty and len(texts) >= 20:
            for i in range(max(1, len(texts) // 100)):
                position = self.rng.randrange(len(texts) + 1)
                broken = ('{"ContactId": "cut-off-record", "Channel": "VOICE"' if i % 2 == 0
                          else '{"Channel":"VOICE","InitiationMethod":"INBOUND"}')
                texts.insert(position, broken)
        stamp = (self.start + timedelta(days=day)).isoformat()
        folder = self.landing_dir / "amazon_connect" / "ctr"
        folder.mkdir(parents=True, exist_ok=True)
        if day % 3 == 0:  # Firehose: records back to back, no separator
            (folder / f"ctr-{stamp}").write_text("".join(texts), encoding="utf-8")
        elif day % 3 == 1:  # one record per line
            (folder / f"ctr-{stamp}.jsonl").write_text("\n".join(texts) + "\n", encoding="utf-8")
        else:  # a gzipped JSON array
            body = "[\n" + ",\n".join(texts) + "\n]\n"
            with gzip.open(folder / f"ctr-{stamp}.json.gz", "wt", encoding="utf-8") as handle:
                handle.write(body)
        self.files += 1
        self.rows["amazon_connect_ctr"] += len(texts)


class ZendeskWriter(NativeWriter):
    """Tickets and ticket events as Zendesk Support Incremental Export records."""

    takes = frozenset({"tickets", "ticket_events"})
    _VIA = {"voice": "voice", "chat": "chat", "email": "email", "web": "web",
            "social": "twitter"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.users: dict[tuple, dict] = {}
        self.groups: dict[str, int] = {}
        self.requester: dict[str, int] = {}
        self.initial_priority: dict[str, str] = {}
        self.initial_group: dict[str, str] = {}
        first_priority: dict[str, str] = {}
        for table in self.per_day["tickets"]:
            for row in table.to_pylist():
                key = ("end-user", row["customer_account_id"], row["requester_email"])
                self.requester.setdefault(row["ticket_id"], self._user(key)["id"])
                first_priority.setdefault(row["ticket_id"], row["priority"])
                self._agent(row["assignee_agent_id"])
        events = sorted((row for table in self.per_day["ticket_events"]
                         for row in table.to_pylist()), key=lambda r: _epoch(r["occurred_at"]))
        for row in events:
            self._agent(row["actor_agent_id"])
            if row["event_type"] == "priority_changed":
                # the priority a ticket was created with is the first change's "from"
                self.initial_priority.setdefault(row["ticket_id"], row["from_value"])
            elif row["event_type"] == "assigned" and row["to_value"]:
                self.initial_group.setdefault(row["ticket_id"], row["to_value"])
        for ticket, priority in first_priority.items():
            self.initial_priority.setdefault(ticket, priority)

    def _user(self, key: tuple) -> dict:
        if key not in self.users:
            role, external_id, email = key
            number = len(self.users) + 1
            self.users[key] = {"id": (20_000_000 if role == "agent" else 10_000_000) + number,
                               "role": role, "external_id": external_id, "email": email,
                               "name": f"{role} {number}",
                               "updated_at": f"{self.start.isoformat()}T00:00:00Z"}
        return self.users[key]

    def _agent(self, agent_id: str | None) -> int | None:
        if not agent_id:
            return None
        return self._user(("agent", agent_id, f"{agent_id.lower()}@center.example"))["id"]

    def _group(self, name: str | None) -> int | None:
        if not name:
            return None
        return self.groups.setdefault(name, 360_000_000 + len(self.groups) + 1)

    @staticmethod
    def _ticket_number(ticket_id: str) -> int:
        return int(_digits(ticket_id))

    def rewrite(self, entity: str, table: pa.Table) -> pa.Table:
        if entity != "survey_responses":
            return table
        values = [str(self._ticket_number(value)) if value else None
                  for value in table["ticket_id"].to_pylist()]
        index = table.column_names.index("ticket_id")
        return table.set_column(index, "ticket_id", pa.array(values, type=pa.string()))

    def _ticket(self, row: dict) -> dict:
        return {
            "id": self._ticket_number(row["ticket_id"]),
            "created_at": AmazonConnectWriter._utc(row["created_at"]),
            "updated_at": AmazonConnectWriter._utc(row["updated_at"]),
            "type": None,
            "subject": row["subject"],
            "status": row["status"],
            "priority": row["priority"],
            "requester_id": self.requester[row["ticket_id"]],
            "assignee_id": self._agent(row["assignee_agent_id"]),
            "group_id": self._group(row["assigned_group"]),
            "via": {"channel": self._VIA.get(row["source_channel"], "web")},
            "tags": [],
        }

    def _audit(self, number: int, row: dict) -> dict:
        ticket = row["ticket_id"]
        requester = self.requester.get(ticket)
        agent = self._agent(row["actor_agent_id"])
        updater = {"agent": agent, "customer": requester, "system": -1}.get(row["actor_type"])
        audit_id = 1_000_000_000 + number
        kind = row["event_type"]

        def child(k: int, **fields) -> dict:
            return {"id": audit_id * 10 + k, "via": {"channel": "web"},
                    "via_reference_id": None, **fields}

        if kind == "created":
            children = [child(1, event_type="Create", status="new"),
                        child(2, event_type="Create",
                              priority=self.initial_priority.get(ticket) or "normal"),
                        child(3, event_type="Create",
                              group_id=self._group(self.initial_group.get(ticket))),
                        child(4, event_type="Comment", public=True, author_id=updater,
                              body="(ticket description)")]
        elif kind in ("status_changed", "priority_changed"):
            field = "status" if kind == "status_changed" else "priority"
            children = [child(1, event_type="Change", previous_value=row["from_value"],
                              **{field: row["to_value"]})]
        elif kind == "assigned":
            children = [child(1, event_type="Change", previous_value=None,
                              assignee_id=self._agent(self._assignee.get(ticket)))]
        elif kind == "escalated":
            children = [child(1, type="Change", field_name="group_id",
                              previous_value=str(self._group(row["from_value"])),
                              value=str(self._group(row["to_value"])))]
        else:  # agent_reply, customer_reply, comment
            children = [child(1, event_type="Comment", public=kind != "comment",
                              author_id=updater, body="(comment text)")]
        return {"id": audit_id, "ticket_id": self._ticket_number(ticket),
                "timestamp": _epoch(row["occurred_at"]),
                "created_at": AmazonConnectWriter._utc(row["occurred_at"]),
                "updater_id": updater, "via": "Web form", "event_type": "Audit",
                "child_events": children}

    def write_day(self, day: int) -> None:
        if not hasattr(self, "_assignee"):
            self._assignee = {}
            for table in self.per_day["tickets"]:
                for row in table.select(["ticket_id", "assignee_agent_id"]).to_pylist():
                    self._assignee[row["ticket_id"]] = row["assignee_agent_id"]
            self._event_number = 0
        stamp = (self.start + timedelta(days=day)).isoformat()
        tickets = [self._ticket(row) for row in self.per_day["tickets"][day].to_pylist()]
        audits = []
        for row in self.per_day["ticket_events"][day].to_pylist():
            self._event_number += 1
            audits.append(json.dumps(self._audit(self._event_number, row), ensure_ascii=False))
        if self.dirty and len(audits) >= 20:
            audits.insert(self.rng.randrange(len(audits) + 1), '{"id": 1, "ticket_id": ')
            audits.insert(self.rng.randrange(len(audits) + 1),
                          json.dumps({"id": 2, "child_events": []}))
        base = self.landing_dir / "zendesk"
        for folder in ("tickets", "ticket_events", "users"):
            (base / folder).mkdir(parents=True, exist_ok=True)
        page = {"tickets": tickets, "count": len(tickets), "end_of_stream": True,
                "next_page": None}
        (base / "tickets" / f"tickets-{stamp}.json").write_text(
            json.dumps(page, ensure_ascii=False), encoding="utf-8")
        (base / "ticket_events" / f"ticket_events-{stamp}.jsonl").write_text(
            "\n".join(audits) + ("\n" if audits else ""), encoding="utf-8")
        self.files += 2
        self.rows["zendesk_tickets"] += len(tickets)
        self.rows["zendesk_ticket_events"] += len(audits)
        if day == 0:  # the user export: requesters and agents
            users = list(self.users.values())
            (base / "users" / "users.json").write_text(
                json.dumps({"users": users, "end_of_stream": True}, ensure_ascii=False),
                encoding="utf-8")
            self.files += 1
            self.rows["zendesk_users"] += len(users)

WRITERS: dict[str, type[NativeWriter]] = {"asterisk": AsteriskWriter,
                                         "amazon_connect": AmazonConnectWriter,
                                         "zendesk": ZendeskWriter}


def native_writer(fmt: str, landing_dir: Path, start: date,
                  per_day: dict[str, list[pa.Table]], dirty: bool, seed: int) -> NativeWriter:
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return WRITERS[fmt](landing_dir, start, per_day, dirty, seed)
