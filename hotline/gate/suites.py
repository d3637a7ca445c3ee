"""The audit's expectation suites, built from what the dbt project defines.

One suite per audited table: the raw tables (from the landing contract), every staging model
and every published mart. Columns, grains, required columns and allowed values come from the
dbt manifest (the models' YAML: declared columns, `unique` / `unique_combination` /
`not_null` / `accepted_values` / `accepted_contract_values` tests), so the gate audits what
dbt defines instead of keeping a second list. The rules dbt does not hold are the gate's own
and are stated once below: naming conventions (rates within [0, 1], durations and counts
non-negative, survey scales, answered <= offered and the like). Cross-table rules read the one
model that defines each figure: the landing manifest and the quarantine (quarantine share),
dq_orphans (orphan share), dq_reconciliation and dq_landed_files (control totals),
int_data_watermark (freshness) and
kpi_channel_daily (day-over-day volume).

Every expectation carries `meta.rule`, the gate rule it belongs to; gate.yml decides whether
that rule blocks, warns or is off. Nothing here decides severity. Suites are plain data
(`TableSuite`, `Check`), turned into GX expectation objects only when run, so building them
needs no GX import and is cheap to unit-test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hotline.contract import ENTITIES, ENTITY_BY_NAME, LINEAGE_COLUMNS, RAW_SCHEMA
from hotline.dbt_artifacts import Manifest, Model
from hotline.gate.config import GateConfig

MANIFEST_TABLE = "_manifest"

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
    # SQL condition on the table's own columns: only these rows are validated (the rows an
    # incremental night changed, see changed_rows); None: the whole table
    where: str | None = None

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
    # Incremental audit (changed_rows): deliveries after this mark are not published yet, so
    # raw and staging rows with a larger _delivery_seq are validated, the rest was before.
    published_seq: int | None = None
    # True when this build's change models (meta.publish changed_keys) list every mart row
    # not yet published (serving.duckdb holds the previous build): marts are validated on
    # those keys only
    marts_by_changed_keys: bool = False
    rebuilt: frozenset[str] = frozenset()  # models rebuilt from scratch: validated whole


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


def _convention_checks(table: str, columns: Columns) -> list[Check]:
    """Rates, non-negative durations/counts and identities wherever the columns exist."""
    checks: list[Check] = []
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
    return suites


def _declared_grain(manifest: Manifest, model: str) -> tuple[str, ...] | None:
    """The model's primary key as its YAML tests declare it."""
    tests = manifest.tests_of(model)
    for test in tests:
        if test.name == "unique_combination":
            return tuple(test.kwargs.get("columns", ()))
    for test in tests:
        if test.name == "unique" and test.column:
            return (test.column,)
    return None


def _allowed_values(test_name: str, kwargs: dict, column: str) -> tuple[str, ...] | None:
    if test_name == "accepted_values":
        return tuple(str(value) for value in kwargs.get("values", ()))
    if test_name == "accepted_contract_values":
        entity = ENTITY_BY_NAME[kwargs["entity"]]
        return entity.column(kwargs.get("contract_column") or column).values
    return None


def model_suite(model: Model, manifest: Manifest, columns: Columns) -> TableSuite:
    """The checks of one staging model or mart, from its YAML and the gate's conventions."""
    table = model.table
    suite = TableSuite(model.schema, table)
    declared = tuple(model.columns)
    if declared:
        suite.checks.append(_schema_check(table, declared))
    grain = _declared_grain(manifest, model.name)
    if grain:
        suite.checks += _key_checks(table, grain, columns)
    for test in manifest.tests_of(model.name):
        column = test.column
        if column is None or column not in columns:
            continue
        if test.name == "not_null" and not (grain and column in grain):
            suite.checks.append(Check("not_null", "ExpectColumnValuesToNotBeNull",
                                      {"column": column}, f"{table}.{column} is not null"))
        values = _allowed_values(test.name, test.kwargs, column)
        if values is not None and all(isinstance(v, str) for v in values):
            suite.checks.append(Check("enums", "ExpectColumnValuesToBeInSet",
                                      {"column": column, "value_set": list(values)},
                                      f"{table}.{column} in {{{', '.join(values)}}}"))
    suite.checks += _convention_checks(table, columns)
    suite.checks += _score_check(table, columns)
    suite.checks += _flag_identity_check(table, columns)
    if {"started_at", "ended_at"} <= set(columns):
        suite.checks.append(Check(
            "value_ranges", "ExpectColumnPairValuesAToBeGreaterThanB",
            {"column_A": "ended_at", "column_B": "started_at", "or_equal": False,
             "ignore_row_if": "either_value_is_missing"},
            f"{table}: ended_at > started_at"))
    return suite


def model_suites(catalog: Catalog, manifest: Manifest) -> list[TableSuite]:
    """Every staging model (stg_) and every published mart present in the built file."""
    suites: list[TableSuite] = []
    for model in sorted(manifest.models.values(), key=lambda m: m.name):
        audited = model.folder == "marts" or (model.folder == "staging"
                                              and model.name.startswith("stg_"))
        columns = catalog.get((model.schema, model.table))
        if audited and columns is not None:
            suites.append(model_suite(model, manifest, columns))
    return suites


def _relation(manifest: Manifest, catalog: Catalog, name: str) -> tuple[str, Columns] | None:
    """schema.table of a model and its columns, when the built file holds it."""
    model = manifest.models.get(name)
    if model is None or (model.schema, model.table) not in catalog:
        return None
    return f"{model.schema}.{model.table}", catalog[(model.schema, model.table)]


def rule_suites(catalog: Catalog, config: GateConfig, context: AuditContext,
                manifest: Manifest) -> list[TableSuite]:
    """Cross-table rules. Each query returns a row (with the observed figures) per breach."""
    suites: list[TableSuite] = []

    def add(anchor: tuple[str, str], rule: str, query: str, description: str) -> None:
        suites.append(TableSuite(anchor[0], anchor[1], [Check(
            rule, "UnexpectedRowsExpectation", {"unexpected_rows_query": query}, description,
        )], kind="rules"))

    files = _relation(manifest, catalog, "stg_landing__files")
    quarantine = _relation(manifest, catalog, "int_quarantined_rows")
    batches = ", ".join(_sql_text(batch) for batch in context.judged_batches())
    if config.enabled("quarantine_share") and batches and files and quarantine:
        max_share = float(config.rule("quarantine_share").param("max_share"))
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
                from {quarantine[0]}
                where batch_id in ({batches})
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
        add(files[0].split("."), "quarantine_share", query,
            f"quarantined share of each entity's delivery in this run <= {max_share:.2%}")

    orphans = _relation(manifest, catalog, "dq_orphans")
    if config.enabled("orphan_share") and orphans:
        max_share = float(config.rule("orphan_share").param("max_share"))
        # Fact rows referencing an unknown queue or agent (spec "Quality gate defaults"),
        # judged only once that directory was delivered at all: a center that exports no
        # agent (or queue) snapshot has every id "unknown" by construction.
        query = f"""
            select entity, column_name, total_rows, orphan_rows, round(orphan_rate, 4)
                as orphan_share, {max_share} as max_share
            from {{batch}}
            where entity = 'contacts' and column_name in ('queue_id', 'agent_id')
                and is_parent_delivered and orphan_rows > {max_share} * total_rows
        """
        add(orphans[0].split("."), "orphan_share", query,
            f"share of contact legs with an unknown queue or agent <= {max_share:.2%}")

    recon = _relation(manifest, catalog, "dq_reconciliation")
    if config.enabled("reconciliation") and recon:
        add(recon[0].split("."), "reconciliation",
            "select * from {batch} where not coalesce(is_reconciled, false)",
            "row counts reconcile between layers (dq_reconciliation)")

    landed = _relation(manifest, catalog, "dq_landed_files")
    if config.enabled("reconciliation") and landed:
        # Control totals per landed file: every physical line is a landed row or quarantined.
        add(landed[0].split("."), "reconciliation", """
            select source_file, physical_lines, records_found, raw_rows, raw_rejected_records,
                unaccounted_lines
            from {batch}
            where status = 'loaded' and not coalesce(is_reconciled, true)
        """, "every physical line of every landed file is a landed row or quarantined "
            "(dq_landed_files)")

    watermark = _relation(manifest, catalog, "int_data_watermark")
    if config.enabled("freshness") and context.now is not None and watermark:
        hours = float(config.rule("freshness").param("max_age_hours"))
        now = context.now.strftime("%Y-%m-%d %H:%M:%S")
        query = f"""
            select as_of, timestamp '{now}' as checked_at, {hours} as max_hours
            from {{batch}}
            where as_of is null
                or epoch(timestamp '{now}') - epoch(as_of) > {hours} * 3600
        """
        add(watermark[0].split("."), "freshness", query,
            f"the data watermark (as_of) is at most {hours:g} h old")

    channels = _relation(manifest, catalog, "kpi_channel_daily")
    if config.enabled("volume_day_over_day") and channels:
        rule = config.rule("volume_day_over_day")
        low, high = float(rule.param("min_ratio")), float(rule.param("max_ratio"))
        query = f"""
            with daily as (
                select report_date, sum(offered) as offered
                from {{batch}}
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
        add(channels[0].split("."), "volume_day_over_day", query,
            f"latest day's offered volume within {low:g}x-{high:g}x of the day before")
    return suites


def changed_rows(suite: TableSuite, columns: Columns, context: AuditContext,
                 manifest: Manifest) -> str | None:
    """The condition that selects the rows an incremental night changed, or None (whole table).

    Rows outside it were validated by an earlier audit and are unchanged (the incremental
    build equals a full rebuild: python_tests/test_incremental.py), so every row-level check
    (nulls, allowed values, ranges, identities) is exact on them. Uniqueness is exact too for
    a mart validated by its changed keys (a duplicate shares the key, so both rows are in);
    for raw the key includes _delivery_seq; for staging, dbt's own unique tests, which run on
    the whole table in every build and reach the gate as `dbt_tests`, cover old-vs-new
    duplicates. Cross-table rules (kind 'rules') always read whole models.
    """
    if suite.kind != "table":
        return None
    model = manifest.models.get(suite.table)
    if model is not None and model.name in context.rebuilt:
        return None
    if context.published_seq is not None and "_delivery_seq" in columns and (
            suite.schema == RAW_SCHEMA or suite.table.startswith("stg_")):
        return f"_delivery_seq > {int(context.published_seq)}"
    patches = manifest.publish_patches() if context.marts_by_changed_keys else {}
    if suite.table in patches and model is not None and model.folder == "marts":
        key, changes = patches[suite.table]
        quoted = '"' + key.replace('"', '""') + '"'
        return (f"{quoted} in (select {quoted} from "
                f'"{changes.schema}"."{changes.table}")')
    return None


def build_suites(catalog: Catalog, config: GateConfig, context: AuditContext,
                 manifest: Manifest | None = None) -> list[TableSuite]:
    """Every suite for this database, with checks of rules switched off in gate.yml dropped;
    on an incremental night, table suites validate only the rows it changed (changed_rows)."""
    manifest = manifest or Manifest.load()
    suites = raw_suites(catalog) + model_suites(catalog, manifest)
    suites += rule_suites(catalog, config, context, manifest)
    merged: dict[str, TableSuite] = {}
    for suite in suites:
        checks = [check for check in suite.checks if config.enabled(check.rule)]
        if not checks:
            continue
        if suite.name in merged:
            merged[suite.name].checks.extend(checks)
        else:
            where = changed_rows(suite, catalog.get((suite.schema, suite.table), {}), context,
                                 manifest)
            merged[suite.name] = TableSuite(suite.schema, suite.table, checks, suite.kind,
                                            where)
    return list(merged.values())
