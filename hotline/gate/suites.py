"""The audit's expectation suites, kept as code.

One suite per audited table (raw layer, staging, every published mart) built from the tables
and columns actually present in the built DuckDB file, plus one suite of cross-table SQL rules
(quarantine share, orphan share, reconciliation, freshness, day-over-day volume). Every
expectation carries `meta.rule`, the gate rule it belongs to; gate.yml decides whether that
rule blocks, warns or is off. Nothing here decides severity.

Suites are described as plain data (`TableSuite`, `Check`) and turned into GX expectation
objects only when run, so building them needs no GX import and is cheap to unit-test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hotline.contract import ENTITIES, LINEAGE_COLUMNS, RAW_SCHEMA
from hotline.gate.config import GateConfig

MARTS_SCHEMA = "marts"
STAGING_SCHEMA = "staging"
PUBLISHED_PREFIXES = ("dim_", "fct_", "kpi_", "dq_")

# Published marts (spec/kpi-definitions.md "The published marts"): grain and minimum columns.
# A grain may list alternatives, the first whose columns all exist is checked (the models
# document e.g. interval_start_utc as the interval grain: local labels repeat on DST days).
MART_GRAIN: dict[str, tuple[tuple[str, ...], ...]] = {
    "dim_queues": (("queue_id",),),
    "dim_agents": (("agent_version_key",), ("agent_id", "valid_from")),
    "fct_contacts": (("contact_id",),),
    "fct_customer_contacts": (("interaction_id",),),
    "fct_tickets": (("ticket_id",),),
    "fct_survey_responses": (("response_id",),),
    "kpi_queue_interval": (("queue_id", "interval_start_utc"), ("queue_id", "interval_start")),
    "kpi_queue_daily": (("queue_id", "report_date"),),
    "kpi_channel_daily": (("channel", "report_date"),),
    "kpi_agent_daily": (("agent_id", "report_date"),),
    "kpi_ticket_daily": (("priority", "report_date"),),
    "kpi_scorecard": (("report_date", "kpi_name"),),
    "kpi_alerts": (("alert_id",),),
    "dq_quarantined_rows": (("entity", "delivery_seq", "source_row", "reason"),),
    "dq_reconciliation": (("entity",),),
    "dq_orphans": (("entity", "column_name"),),
    "dq_landed_files": (("batch_id", "source_file"),),
}
_QUEUE_MEASURES = (
    "offered", "answered", "abandoned", "short_abandoned", "answered_within_sl",
    "service_level", "answer_rate", "abandon_rate", "asa_seconds", "avg_wait_seconds",
    "max_wait_seconds", "aht_seconds",
)
_CUSTOMER_MEASURES = (
    "fcr_eligible", "fcr_resolved", "fcr_rate", "repeat_eligible", "repeat_contacts",
    "repeat_contact_rate", "csat_responses", "csat_satisfied", "csat_rate", "nps_responses",
    "nps_promoters", "nps_detractors", "nps",
)
MART_COLUMNS: dict[str, tuple[str, ...]] = {
    "dim_queues": (
        "queue_id", "queue_name", "channel", "service_level_seconds", "service_level_target",
    ),
    "dim_agents": ("agent_id", "team", "site", "hire_date", "valid_from", "valid_to", "is_current"),
    "fct_contacts": (
        "contact_id", "interaction_id", "queue_id", "agent_id", "channel", "direction",
        "interval_start", "report_date", "is_offered", "is_answered", "is_abandoned",
        "is_short_abandoned", "is_answered_within_sl", "wait_seconds", "talk_seconds",
        "hold_seconds", "acw_seconds", "handle_seconds", "is_transferred_out",
    ),
    "fct_customer_contacts": (
        "interaction_id", "customer_key", "report_date", "channel", "handling_queue_id",
        "handling_agent_id", "is_repeat", "fcr_eligible", "is_fcr", "is_fcr_final",
        "ivr_entered", "ivr_contained",
    ),
    "fct_tickets": (
        "ticket_id", "created_at", "priority", "status", "first_response_seconds",
        "full_resolution_seconds", "reopen_count", "escalation_count",
        "sla_first_response_status", "sla_resolution_status",
    ),
    "fct_survey_responses": (
        "response_id", "survey_type", "report_date", "score", "issue_resolved", "queue_id",
        "agent_id",
    ),
    "kpi_queue_interval": ("queue_id", "interval_start", *_QUEUE_MEASURES),
    "kpi_queue_daily": ("queue_id", "report_date", *_QUEUE_MEASURES, "transfer_rate",
                        *_CUSTOMER_MEASURES),
    "kpi_channel_daily": (
        "channel", "report_date", "interactions", "ivr_entered", "ivr_contained",
        "ivr_containment_rate", *_CUSTOMER_MEASURES,
    ),
    "kpi_agent_daily": (
        "agent_id", "report_date", "handled", "aht_seconds", "logged_in_seconds", "occupancy",
        "utilization", "shrinkage", "contacts_per_hour", "fcr_rate", "csat_rate",
    ),
    "kpi_ticket_daily": (
        "priority", "report_date", "tickets_created", "tickets_solved", "tickets_reopened",
        "backlog_end_of_day", "first_response_avg_seconds", "first_response_median_seconds",
        "sla_first_response_met", "sla_first_response_breached",
    ),
    "dq_quarantined_rows": (
        "source", "entity", "source_file", "source_row", "reason", "raw_record",
    ),
    "kpi_scorecard": ("report_date", "kpi_name", "actual", "target", "comparator", "is_met"),
    "kpi_alerts": (
        "alert_id", "report_date", "rule_id", "severity", "scope_type", "scope_id", "metric",
        "observed", "threshold", "message",
    ),
}

_LINEAGE = ("_source_file", "_source_row", "_batch_id", "_delivery_seq", "_loaded_at")
# Staging models (agreed interfaces in the helper brief): key and minimum columns.
STAGING_GRAIN: dict[str, tuple[str, ...]] = {
    "stg_telephony__contacts": ("contact_id",),
    "stg_telephony__agent_states": ("agent_id", "started_at"),
    "stg_telephony__agents": ("agent_id", "_delivery_seq"),  # one row per agent per snapshot
    "stg_telephony__queues": ("queue_id",),
    "stg_ticketing__tickets": ("ticket_id",),
    "stg_ticketing__ticket_events": ("event_id",),
    "stg_survey__responses": ("response_id",),
}
STAGING_COLUMNS: dict[str, tuple[str, ...]] = {
    "stg_telephony__contacts": (
        "contact_id", "initial_contact_id", "previous_contact_id", "channel", "direction",
        "customer_key", "dialed_number", "initiated_at", "ivr_ended_at", "ivr_outcome",
        "queue_id", "enqueued_at", "answered_at", "agent_id", "talk_seconds", "hold_seconds",
        "acw_seconds", "ended_at", "disconnect_reason", "wrap_code", "last_updated_at",
        *_LINEAGE,
    ),
    "stg_telephony__agent_states": ("agent_id", "state", "started_at", "ended_at", *_LINEAGE),
    "stg_telephony__agents": (
        "agent_id", "agent_name", "team", "site", "hire_date", "termination_date",
        "updated_at", "snapshot_at", *_LINEAGE,
    ),
    "stg_telephony__queues": (
        "queue_id", "queue_name", "channel", "service_level_seconds", "service_level_target",
        "business_unit", "updated_at", *_LINEAGE,
    ),
    "stg_ticketing__tickets": (
        "ticket_id", "created_at", "updated_at", "source_channel", "origin_contact_id",
        "customer_key", "priority", "category", "status", "assigned_group",
        "assignee_agent_id", "subject_masked", *_LINEAGE,
    ),
    "stg_ticketing__ticket_events": (
        "event_id", "ticket_id", "occurred_at", "event_type", "actor_type", "actor_agent_id",
        "from_value", "to_value", *_LINEAGE,
    ),
    "stg_survey__responses": (
        "response_id", "survey_type", "contact_id", "ticket_id", "channel", "sent_at",
        "responded_at", "score", "issue_resolved", "comment_masked", *_LINEAGE,
    ),
}
# Required (not-null) staging columns beyond the key: the contract's required fields.
STAGING_NOT_NULL: dict[str, tuple[str, ...]] = {
    "stg_telephony__contacts": (
        "channel", "direction", "initiated_at", "ended_at", "disconnect_reason",
    ),
    "stg_telephony__agent_states": ("state", "ended_at"),
    "stg_telephony__queues": ("queue_name", "channel"),
    "stg_ticketing__tickets": (
        "created_at", "updated_at", "source_channel", "priority", "status",
    ),
    "stg_ticketing__ticket_events": ("ticket_id", "occurred_at", "event_type", "actor_type"),
    "stg_survey__responses": ("survey_type", "responded_at", "score"),
}

_CHANNELS = ("voice", "chat")
_DIRECTIONS = ("inbound", "outbound", "callback")
_PRIORITIES = ("urgent", "high", "normal", "low")
_TICKET_STATUSES = ("new", "open", "pending", "solved", "closed")
_SURVEY_TYPES = ("csat", "nps", "ces")
_SLA_STATUSES = ("met", "breached", "pending")
# Enumerations per (table, column): contract values (spec: enums are case-insensitive on
# input; staging normalises them to lower case).
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("stg_telephony__contacts", "channel"): _CHANNELS,
    ("stg_telephony__contacts", "direction"): _DIRECTIONS,
    ("stg_telephony__contacts", "ivr_outcome"): ("self_service", "agent_requested", "abandoned"),
    ("stg_telephony__contacts", "disconnect_reason"): (
        "customer_disconnect", "agent_disconnect", "transfer", "queue_timeout", "system",
    ),
    ("stg_telephony__agent_states", "state"): (
        "available", "on_contact", "after_contact_work", "break", "meeting", "training",
        "offline",
    ),
    ("stg_telephony__queues", "channel"): _CHANNELS,
    ("stg_ticketing__tickets", "source_channel"): ("voice", "chat", "email", "web", "social"),
    ("stg_ticketing__tickets", "priority"): _PRIORITIES,
    ("stg_ticketing__tickets", "status"): _TICKET_STATUSES,
    ("stg_ticketing__ticket_events", "event_type"): (
        "created", "assigned", "agent_reply", "customer_reply", "status_changed",
        "priority_changed", "escalated", "comment",
    ),
    ("stg_ticketing__ticket_events", "actor_type"): ("agent", "customer", "system"),
    ("stg_survey__responses", "survey_type"): _SURVEY_TYPES,
    ("dim_queues", "channel"): _CHANNELS,
    ("fct_contacts", "channel"): _CHANNELS,
    ("fct_contacts", "direction"): _DIRECTIONS,
    ("fct_customer_contacts", "channel"): _CHANNELS,
    ("fct_tickets", "priority"): _PRIORITIES,
    ("fct_tickets", "status"): _TICKET_STATUSES,
    ("fct_tickets", "sla_first_response_status"): _SLA_STATUSES,
    ("fct_tickets", "sla_resolution_status"): _SLA_STATUSES,
    ("fct_survey_responses", "survey_type"): _SURVEY_TYPES,
    ("kpi_ticket_daily", "priority"): _PRIORITIES,
    ("kpi_scorecard", "kpi_name"): (
        "avg_wait_seconds", "service_level", "abandon_rate", "fcr_rate", "repeat_contact_rate",
        "csat_rate", "first_response_sla_rate",
    ),
    ("kpi_alerts", "scope_type"): ("queue", "agent", "contact"),
}

RATE_NAMES = ("service_level", "occupancy", "utilization", "shrinkage")
# Identities a >= b, checked on every mart that has both columns (aggregates) ...
IDENTITY_PAIRS: tuple[tuple[str, str], ...] = (
    ("offered", "answered"),
    ("answered", "answered_within_sl"),
    ("offered", "abandoned"),
    ("abandoned", "short_abandoned"),
    ("fcr_eligible", "fcr_resolved"),
    ("repeat_eligible", "repeat_contacts"),
    ("csat_responses", "csat_satisfied"),
    ("ivr_entered", "ivr_contained"),
)
# ... and as leg flags on fct_contacts (flags may be boolean or 0/1: cast to int).
FLAG_IDENTITIES: tuple[tuple[str, str], ...] = (
    ("is_offered", "is_answered"),
    ("is_answered", "is_answered_within_sl"),
    ("is_offered", "is_abandoned"),
    ("is_abandoned", "is_short_abandoned"),
)
# Counts that can never be negative (beyond the identity pairs' columns).
COUNT_COLUMNS = frozenset({
    "leg_count", "reopen_count", "escalation_count", "handled", "interactions",
    "tickets_created", "tickets_solved", "tickets_reopened", "backlog_end_of_day",
    "offered", "answered", "abandoned", "short_abandoned", "answered_within_sl",
})
# Survey scales of the contract, checked on the typed layers.
SCORE_RANGES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


@dataclass(frozen=True)
class Check:
    """One expectation: the GX class name, its keyword arguments, and the gate rule."""

    rule: str
    expectation: str  # GX expectation class name, e.g. "ExpectColumnValuesToBeUnique"
    kwargs: dict[str, Any]
    description: str

    def build(self) -> Any:
        import great_expectations as gx

        cls = getattr(gx.expectations, self.expectation)
        kwargs = dict(self.kwargs)
        meta = {"rule": self.rule, "check": self.description}
        if self.expectation == "UnexpectedRowsExpectation":
            kwargs.setdefault("description", self.description)
        return cls(**kwargs, meta=meta)


@dataclass
class TableSuite:
    """The expectations of one table. `kind` is 'table' (column checks) or 'rules' (SQL)."""

    schema: str
    table: str
    checks: list[Check] = field(default_factory=list)
    kind: str = "table"

    @property
    def name(self) -> str:
        prefix = "rules." if self.kind == "rules" else ""
        return f"{prefix}{self.schema}.{self.table}"


@dataclass
class AuditContext:
    """What the audit knows about this run beyond the database file."""

    batch_id: str | None = None  # the landing batch of this run (quarantine share)
    # when set, the batches to judge instead (a rerun that landed nothing: every batch not yet
    # published, so retrying a blocked night cannot slip its delivery through)
    batch_ids: tuple[str, ...] = ()

    def judged_batches(self) -> tuple[str, ...]:
        return self.batch_ids or ((self.batch_id,) if self.batch_id else ())
    now: datetime | None = None  # wall clock, naive UTC (freshness); None: skip freshness


Catalog = dict[tuple[str, str], dict[str, str]]  # (schema, table) -> {column: DuckDB type}
Columns = dict[str, str] | list[str]
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "REAL", "DOUBLE", "DECIMAL")


def _numeric(columns: Columns, column: str) -> bool:
    """True for numeric columns (a boolean `is_default_service_level_seconds` is no duration).

    Plain lists (no types known) count every column as numeric.
    """
    if not isinstance(columns, dict):
        return True
    return columns.get(column, "").split("(")[0] in _NUMERIC


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _rate_columns(columns: Columns) -> list[str]:
    return [c for c in columns
            if (c.endswith("_rate") or c in RATE_NAMES) and _numeric(columns, c)]


def _schema_check(table: str, expected: tuple[str, ...]) -> Check:
    return Check(
        "schema", "ExpectTableColumnsToMatchSet",
        {"column_set": list(expected), "exact_match": False},
        f"{table} has at least its contract columns",
    )


def _key_checks(table: str, key: tuple[str, ...], columns: Columns) -> list[Check]:
    present = [c for c in key if c in columns]
    if len(present) != len(key):
        return []  # the schema check reports the missing key column
    checks = [
        Check("keys", "ExpectColumnValuesToNotBeNull", {"column": c}, f"{table}.{c} is not null")
        for c in key
    ]
    if len(key) == 1:
        checks.append(Check("keys", "ExpectColumnValuesToBeUnique", {"column": key[0]},
                            f"{table}.{key[0]} is unique"))
    else:
        checks.append(Check("keys", "ExpectCompoundColumnsToBeUnique", {"column_list": list(key)},
                            f"{table} is unique on ({', '.join(key)})"))
    return checks


def _common_value_checks(table: str, columns: Columns) -> list[Check]:
    """Enums, rates, non-negative durations/counts and identities wherever the columns exist."""
    checks: list[Check] = []
    for column in columns:
        values = ENUMS.get((table, column))
        if values:
            checks.append(Check("enums", "ExpectColumnValuesToBeInSet",
                                {"column": column, "value_set": list(values)},
                                f"{table}.{column} in {{{', '.join(values)}}}"))
    for column in _rate_columns(columns):
        checks.append(Check("rates_in_range", "ExpectColumnValuesToBeBetween",
                            {"column": column, "min_value": 0, "max_value": 1},
                            f"{table}.{column} within [0, 1]"))
    for column in columns:
        if (column.endswith("_seconds") or column in COUNT_COLUMNS) and _numeric(columns, column):
            checks.append(Check("value_ranges", "ExpectColumnValuesToBeBetween",
                                {"column": column, "min_value": 0},
                                f"{table}.{column} >= 0"))
    for a_col, b_col in IDENTITY_PAIRS:
        if a_col in columns and b_col in columns:
            checks.append(Check(
                "identities", "ExpectColumnPairValuesAToBeGreaterThanB",
                {"column_A": a_col, "column_B": b_col, "or_equal": True,
                 "ignore_row_if": "either_value_is_missing"},
                f"{table}: {b_col} <= {a_col}",
            ))
    if "nps" in columns and _numeric(columns, "nps"):
        checks.append(Check("value_ranges", "ExpectColumnValuesToBeBetween",
                            {"column": "nps", "min_value": -100, "max_value": 100},
                            f"{table}.nps within [-100, 100]"))
    return checks


def _score_check(table: str, columns: Columns) -> list[Check]:
    if not {"survey_type", "score"} <= set(columns):
        return []
    outside = " or ".join(
        f"(survey_type = '{kind}' and (score < {low} or score > {high}))"
        for kind, (low, high) in SCORE_RANGES.items()
    )
    return [Check("value_ranges", "UnexpectedRowsExpectation",
                  {"unexpected_rows_query": f"select * from {{batch}} where {outside}"},
                  f"{table}.score within its survey scale (csat 1-5, nps 0-10, ces 1-7)")]


def _flag_identity_check(table: str, columns: Columns) -> list[Check]:
    pairs = [(a, b) for a, b in FLAG_IDENTITIES if a in columns and b in columns]
    if not pairs:
        return []
    broken = " or ".join(
        f"coalesce(cast({b} as integer), 0) > coalesce(cast({a} as integer), 0)"
        for a, b in pairs
    )
    names = ", ".join(f"{b} implies {a}" for a, b in pairs)
    return [Check("identities", "UnexpectedRowsExpectation",
                  {"unexpected_rows_query": f"select * from {{batch}} where {broken}"},
                  f"{table} leg flags: {names}")]


def raw_suites(catalog: Catalog) -> list[TableSuite]:
    suites: list[TableSuite] = []
    for entity in ENTITIES:
        columns = catalog.get((RAW_SCHEMA, entity.name))
        if columns is None:
            continue  # nothing delivered yet for this entity: landing creates it on first load
        suite = TableSuite(RAW_SCHEMA, entity.name)
        suite.checks.append(_schema_check(entity.name, (*entity.columns, *LINEAGE_COLUMNS)))
        # Lineage is what lets every row be traced back to its file: present and unique.
        if "_source_file" in columns:
            suite.checks.append(Check("not_null", "ExpectColumnValuesToNotBeNull",
                                      {"column": "_source_file"},
                                      f"raw.{entity.name}._source_file is not null"))
        if {"_source_file", "_source_row", "_delivery_seq"} <= set(columns):
            suite.checks.append(Check(
                "keys", "ExpectCompoundColumnsToBeUnique",
                {"column_list": ["_delivery_seq", "_source_file", "_source_row"]},
                f"raw.{entity.name}: one row per delivered record",
            ))
        suites.append(suite)
    manifest = catalog.get((RAW_SCHEMA, "_manifest"))
    if manifest is not None:
        suite = TableSuite(RAW_SCHEMA, "_manifest")
        suite.checks.append(Check("enums", "ExpectColumnValuesToBeInSet",
                                  {"column": "status",
                                   "value_set": ["loaded", "failed", "skipped"]},
                                  "raw._manifest.status in {loaded, failed, skipped}"))
        suite.checks.append(Check("keys", "ExpectColumnValuesToBeUnique",
                                  {"column": "delivery_seq"},
                                  "raw._manifest.delivery_seq is unique"))
        suites.append(suite)
    return suites


def staging_suites(catalog: Catalog) -> list[TableSuite]:
    suites: list[TableSuite] = []
    for table, expected in STAGING_COLUMNS.items():
        columns = catalog.get((STAGING_SCHEMA, table))
        if columns is None:
            continue  # a missing model fails the dbt build, which blocks on its own
        suite = TableSuite(STAGING_SCHEMA, table)
        suite.checks.append(_schema_check(table, expected))
        suite.checks += _key_checks(table, STAGING_GRAIN[table], columns)
        for column in STAGING_NOT_NULL.get(table, ()):
            if column in columns:
                suite.checks.append(Check("not_null", "ExpectColumnValuesToNotBeNull",
                                          {"column": column}, f"{table}.{column} is not null"))
        suite.checks += _common_value_checks(table, columns)
        suite.checks += _score_check(table, columns)
        if {"started_at", "ended_at"} <= set(columns):
            suite.checks.append(Check(
                "value_ranges", "ExpectColumnPairValuesAToBeGreaterThanB",
                {"column_A": "ended_at", "column_B": "started_at", "or_equal": False,
                 "ignore_row_if": "either_value_is_missing"},
                f"{table}: ended_at > started_at"))
        suites.append(suite)
    return suites


def mart_suites(catalog: Catalog) -> list[TableSuite]:
    """Every published table in schema marts (prefix dim_/fct_/kpi_/dq_)."""
    suites: list[TableSuite] = []
    for (schema, table), columns in sorted(catalog.items()):
        if schema != MARTS_SCHEMA or not table.startswith(PUBLISHED_PREFIXES):
            continue
        suite = TableSuite(MARTS_SCHEMA, table)
        if table in MART_COLUMNS:
            suite.checks.append(_schema_check(table, MART_COLUMNS[table]))
        grains = [key for key in MART_GRAIN.get(table, ()) if all(c in columns for c in key)]
        # No documented grain present: the schema check reports the missing key columns.
        key = grains[0] if grains else MART_GRAIN.get(table, ((),))[0]
        if key:
            suite.checks += _key_checks(table, key, columns)
        suite.checks += _common_value_checks(table, columns)
        suite.checks += _score_check(table, columns)
        suite.checks += _flag_identity_check(table, columns)
        suites.append(suite)
    return suites


def _dimension_known(catalog: Catalog, dim: str, key: str) -> str | None:
    """SQL listing the known (not inferred) members of a dimension, or None if it is absent."""
    columns = catalog.get((MARTS_SCHEMA, dim))
    if columns is None or key not in columns:
        return None
    flag = next((c for c in ("is_inferred", "is_unknown") if c in columns), None)
    where = f" where not coalesce({flag}, false)" if flag else ""
    return f"select distinct {key} from {MARTS_SCHEMA}.{dim}{where}"


def rule_suites(catalog: Catalog, config: GateConfig, context: AuditContext) -> list[TableSuite]:
    """Cross-table SQL rules. Each query returns a row (with the observed figures) per breach."""
    suites: list[TableSuite] = []
    marts = {t: c for (s, t), c in catalog.items() if s == MARTS_SCHEMA}

    manifest = catalog.get((RAW_SCHEMA, "_manifest"))
    batches = ", ".join(_sql_text(batch) for batch in context.judged_batches())
    if (config.enabled("quarantine_share") and batches and manifest is not None
            and "dq_quarantined_rows" in marts):
        max_share = float(config.rule("quarantine_share").param("max_share"))
        # Quarantined rows carry the batch that landed their file; match on it when present
        # (a path re-delivered with new content in a later batch is then not double counted).
        in_batch = (
            f"batch_id in ({batches})"
            if "batch_id" in marts["dq_quarantined_rows"]
            else ("source_file in (select source_file from {batch} where batch_id in "
                  f"({batches}))")
        )
        # A delivery is one entity's extract of this run: a 40 % malformed contacts file must
        # block even when the same night's large agent_states files are clean.
        query = f"""
            with delivered as (
                select entity, sum(coalesce(row_count, 0) + coalesce(rejected_line_count, 0))
                    as delivered_rows
                from {{batch}}
                where batch_id in ({batches}) and status = 'loaded'
                group by entity
            ),
            quarantined as (
                select entity, count(*) as quarantined_rows
                from {MARTS_SCHEMA}.dq_quarantined_rows
                where {in_batch}
                group by entity
            )
            select
                delivered.entity,
                delivered.delivered_rows,
                coalesce(quarantined.quarantined_rows, 0) as quarantined_rows,
                round(coalesce(quarantined.quarantined_rows, 0) / delivered.delivered_rows, 4)
                    as quarantine_share,
                {max_share} as max_share
            from delivered
            left join quarantined on delivered.entity = quarantined.entity
            where delivered.delivered_rows > 0
                and coalesce(quarantined.quarantined_rows, 0)
                    > {max_share} * delivered.delivered_rows
        """
        suites.append(TableSuite(RAW_SCHEMA, "_manifest", [Check(
            "quarantine_share", "UnexpectedRowsExpectation", {"unexpected_rows_query": query},
            f"quarantined share of each entity's delivery in this run <= {max_share:.2%}",
        )], kind="rules"))

    legs = marts.get("fct_contacts")
    if config.enabled("orphan_share") and legs is not None:
        max_share = float(config.rule("orphan_share").param("max_share"))
        conditions = []
        for key, dim in (("queue_id", "dim_queues"), ("agent_id", "dim_agents")):
            known = _dimension_known(catalog, dim, key)
            if key in legs and known:
                # Judged only once the directory was delivered at all: a center that exports
                # no agent (or queue) snapshot has every id "unknown" by construction, and the
                # contract lets a source folder be missing without anything failing.
                conditions.append(
                    f"({key} is not null and {key} not in ({known}) and exists ({known}))"
                )
        if conditions:
            query = f"""
                with legs as (
                    select {' or '.join(conditions)} as is_orphan from {{batch}}
                ),
                totals as (
                    select count(*) as fact_rows,
                        count(*) filter (where is_orphan) as orphan_rows
                    from legs
                )
                select fact_rows, orphan_rows,
                    round(orphan_rows / fact_rows, 4) as orphan_share,
                    {max_share} as max_share
                from totals
                where fact_rows > 0 and orphan_rows > {max_share} * fact_rows
            """
            suites.append(TableSuite(MARTS_SCHEMA, "fct_contacts", [Check(
                "orphan_share", "UnexpectedRowsExpectation", {"unexpected_rows_query": query},
                f"share of contact legs with an unknown queue or agent <= {max_share:.2%}",
            )], kind="rules"))

    recon = marts.get("dq_reconciliation")
    if config.enabled("reconciliation") and recon is not None:
        query = _reconciliation_query(recon)
        if query:
            suites.append(TableSuite(MARTS_SCHEMA, "dq_reconciliation", [Check(
                "reconciliation", "UnexpectedRowsExpectation", {"unexpected_rows_query": query},
                "row counts reconcile between layers (dq_reconciliation)",
            )], kind="rules"))

    files = marts.get("dq_landed_files")
    if config.enabled("reconciliation") and files is not None \
            and {"source_file", "is_reconciled", "unaccounted_lines"} <= set(files):
        # Control totals per landed file: every physical line is a landed row or quarantined.
        query = """
            select source_file, physical_lines, records_found, raw_rows, raw_rejected_records,
                unaccounted_lines
            from {batch}
            where status = 'loaded' and not coalesce(is_reconciled, true)
        """
        suites.append(TableSuite(MARTS_SCHEMA, "dq_landed_files", [Check(
            "reconciliation", "UnexpectedRowsExpectation", {"unexpected_rows_query": query},
            "every physical line of every landed file is a landed row or quarantined "
            "(dq_landed_files)",
        )], kind="rules"))

    if config.enabled("freshness") and context.now is not None and legs is not None:
        stamps = [c for c in ("ended_at", "answered_at", "enqueued_at", "initiated_at")
                  if c in legs]
        if stamps:
            hours = float(config.rule("freshness").param("max_age_hours"))
            now = context.now.strftime("%Y-%m-%d %H:%M:%S")
            latest = "greatest(" + ", ".join(f"max({c})" for c in stamps) + ")" \
                if len(stamps) > 1 else f"max({stamps[0]})"
            query = f"""
                with watermark as (select {latest} as latest_activity_at from {{batch}})
                select latest_activity_at, timestamp '{now}' as checked_at, {hours} as max_hours
                from watermark
                where latest_activity_at is null
                    or epoch(timestamp '{now}') - epoch(latest_activity_at) > {hours} * 3600
            """
            suites.append(TableSuite(MARTS_SCHEMA, "fct_contacts", [Check(
                "freshness", "UnexpectedRowsExpectation", {"unexpected_rows_query": query},
                f"latest contact activity is at most {hours:g} h old",
            )], kind="rules"))

    if (config.enabled("volume_day_over_day") and legs is not None
            and {"report_date", "is_offered"} <= set(legs)):
        rule = config.rule("volume_day_over_day")
        low, high = float(rule.param("min_ratio")), float(rule.param("max_ratio"))
        query = f"""
            with daily as (
                select report_date, sum(coalesce(cast(is_offered as integer), 0)) as offered
                from {{batch}}
                where report_date is not null
                group by report_date
            ),
            ranked as (
                select report_date, offered,
                    row_number() over (order by report_date desc) as recency
                from daily
            ),
            latest as (select * from ranked where recency = 1),
            previous as (select * from ranked where recency = 2)
            select latest.report_date, latest.offered, previous.report_date as previous_date,
                previous.offered as previous_offered,
                round(latest.offered / previous.offered, 3) as ratio
            from latest
            inner join previous on true
            where previous.offered > 0
                and (latest.offered < {low} * previous.offered
                    or latest.offered > {high} * previous.offered)
        """
        suites.append(TableSuite(MARTS_SCHEMA, "fct_contacts", [Check(
            "volume_day_over_day", "UnexpectedRowsExpectation", {"unexpected_rows_query": query},
            f"latest day's offered volume within {low:g}x-{high:g}x of the day before",
        )], kind="rules"))
    return suites


def _reconciliation_query(columns: Columns) -> str | None:
    """Rows of dq_reconciliation that say the layers do not reconcile.

    The model owns the arithmetic; the gate reads its verdict: an `is_reconciled` /
    `is_balanced` flag when there is one, else a non-zero `difference`/`unaccounted_rows`.
    """
    for flag in ("is_reconciled", "is_balanced", "reconciles"):
        if flag in columns:
            return f"select * from {{batch}} where not coalesce({flag}, false)"
    for diff in ("difference", "unaccounted_rows", "diff", "delta"):
        if diff in columns:
            return f"select * from {{batch}} where coalesce({diff}, 0) <> 0"
    return None


def build_suites(catalog: Catalog, config: GateConfig, context: AuditContext) -> list[TableSuite]:
    """Every suite for this database, with checks of rules switched off in gate.yml dropped."""
    suites = raw_suites(catalog) + staging_suites(catalog) + mart_suites(catalog)
    suites += rule_suites(catalog, config, context)
    merged: dict[str, TableSuite] = {}
    for suite in suites:
        checks = [check for check in suite.checks if config.enabled(check.rule)]
        if not checks:
            continue
        if suite.name in merged:
            merged[suite.name].checks.extend(checks)
        else:
            merged[suite.name] = TableSuite(suite.schema, suite.table, checks, suite.kind)
    return list(merged.values())
