"""The landing contract (../shared/spec/landing-contract.md) as data.

Single source of truth for the Python side: which folders hold which entity, the raw
table each lands in, its columns and which of them are required. The dbt sources in
models/staging/*/_*__sources.yml describe the same raw tables.
"""

from __future__ import annotations

from dataclasses import dataclass

RAW_SCHEMA = "raw"
# Lineage columns every raw table carries after the contract columns.
LINEAGE_COLUMNS = ("_source_file", "_source_row", "_batch_id", "_delivery_seq", "_loaded_at")


@dataclass(frozen=True)
class Entity:
    name: str  # raw table name, e.g. "contacts"
    source: str  # source system: telephony, ticketing, survey
    folder: str  # landing sub-folder, relative to the landing dir
    columns: tuple[str, ...]  # contract columns, in contract order
    required: tuple[str, ...]  # required columns (a file without one fails to load)
    keys: tuple[str, ...]  # natural key
    # free-text columns whose values may legitimately span lines (a quoted CSV value with line
    # breaks); a record of any other entity that spans lines is malformed (DECISIONS.md, Landing)
    multiline: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return f"{RAW_SCHEMA}.{self.name}"


ENTITIES: tuple[Entity, ...] = (
    Entity(
        name="contacts",
        source="telephony",
        folder="telephony/contacts",
        columns=(
            "contact_id", "initial_contact_id", "previous_contact_id", "channel", "direction",
            "customer_number", "customer_account_id", "dialed_number", "initiated_at",
            "ivr_ended_at", "ivr_outcome", "queue_id", "enqueued_at", "answered_at", "agent_id",
            "talk_seconds", "hold_seconds", "acw_seconds", "ended_at", "disconnect_reason",
            "wrap_code", "last_updated_at",
        ),
        required=(
            "contact_id", "channel", "direction", "initiated_at", "ended_at", "disconnect_reason",
        ),
        keys=("contact_id",),
    ),
    Entity(
        name="agent_states",
        source="telephony",
        folder="telephony/agent_states",
        columns=("agent_id", "state", "started_at", "ended_at"),
        required=("agent_id", "state", "started_at", "ended_at"),
        keys=("agent_id", "started_at"),
    ),
    Entity(
        name="agents",
        source="telephony",
        folder="telephony/agents",
        columns=(
            "agent_id", "agent_name", "team", "site", "hire_date", "termination_date",
            "updated_at",
        ),
        required=("agent_id",),
        keys=("agent_id",),
    ),
    Entity(
        name="queues",
        source="telephony",
        folder="telephony/queues",
        columns=(
            "queue_id", "queue_name", "channel", "service_level_seconds",
            "service_level_target", "business_unit", "updated_at",
        ),
        required=("queue_id", "queue_name", "channel"),
        keys=("queue_id",),
    ),
    Entity(
        name="tickets",
        source="ticketing",
        folder="ticketing/tickets",
        columns=(
            "ticket_id", "created_at", "updated_at", "source_channel", "origin_contact_id",
            "customer_account_id", "requester_email", "priority", "category", "status",
            "assigned_group", "assignee_agent_id", "subject",
        ),
        required=("ticket_id", "created_at", "updated_at", "source_channel", "priority", "status"),
        keys=("ticket_id",),
        multiline=("subject",),
    ),
    Entity(
        name="ticket_events",
        source="ticketing",
        folder="ticketing/ticket_events",
        columns=(
            "event_id", "ticket_id", "occurred_at", "event_type", "actor_type",
            "actor_agent_id", "from_value", "to_value",
        ),
        required=("event_id", "ticket_id", "occurred_at", "event_type", "actor_type"),
        keys=("event_id",),
    ),
    Entity(
        name="survey_responses",
        source="survey",
        folder="survey/responses",
        columns=(
            "response_id", "survey_type", "contact_id", "ticket_id", "channel", "sent_at",
            "responded_at", "score", "issue_resolved", "comment",
        ),
        required=("response_id", "survey_type", "responded_at", "score"),
        keys=("response_id",),
        multiline=("comment",),
    ),
)

ENTITY_BY_NAME = {entity.name: entity for entity in ENTITIES}
