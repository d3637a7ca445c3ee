"""Run the audit: GX validates the built DuckDB file in place and the gate weighs the results.

Validation is pushed down into DuckDB through SQLAlchemy (`duckdb:///path`, opened read-only):
no table is pulled into Python. GX runs in an ephemeral context (suites live in code, not in a
GX project directory); its Data Docs are written under `<warehouse-dir>/gx/data_docs/`.
"""

from __future__ import annotations

import gc
import json
import logging
import shutil
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline.dbt_artifacts import Manifest
from hotline.gate.config import GateConfig
from hotline.gate.gx_duckdb import disable_gx_analytics, enable_duckdb_persisted_connection
from hotline.gate.suites import AuditContext, Catalog, TableSuite, build_suites
from hotline.settings import Warehouse, duckdb_limits

DOCS_SITE = "hotline"


@dataclass(frozen=True)
class Finding:
    """One audited check and its outcome."""

    rule: str
    severity: str  # block | warn (from gate.yml at the time of the run)
    target: str  # table (or "dbt", "landing")
    check: str  # human description
    passed: bool
    observed: str = ""

    def line(self) -> str:
        label = {"block": "BLOCK", "warn": "WARN"}.get(self.severity, self.severity.upper())
        observed = f" — {self.observed}" if self.observed else ""
        return f"{label} [{self.rule}] {self.check}{observed}"


@dataclass
class GateReport:
    findings: list[Finding] = field(default_factory=list)
    docs_index: Path | None = None

    @property
    def blocking_failures(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed and f.severity == "block"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed and f.severity == "warn"]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking_failures)

    def failures_for(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule and not f.passed]

    def checks_for(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def summary(self) -> dict[str, Any]:
        """Compact, JSON-able summary for the run history."""
        by_rule: dict[str, dict[str, Any]] = {}
        for finding in self.findings:
            entry = by_rule.setdefault(
                finding.rule, {"severity": finding.severity, "checks": 0, "failed": 0}
            )
            entry["checks"] += 1
            entry["failed"] += 0 if finding.passed else 1
        return {
            "checks": len(self.findings),
            "failed": sum(1 for f in self.findings if not f.passed),
            "blocking_failures": len(self.blocking_failures),
            "warnings": len(self.warnings),
            "by_rule": by_rule,
            "docs": str(self.docs_index) if self.docs_index else None,
        }

    def summary_json(self) -> str:
        return json.dumps(self.summary(), sort_keys=True)

    def failure_lines(self, limit: int = 20) -> list[str]:
        failing = self.blocking_failures + self.warnings
        lines = [f.line() for f in failing[:limit]]
        if len(failing) > limit:
            lines.append(f"... and {len(failing) - limit} more (see Data Docs)")
        return lines


def read_catalog(db_path: Path) -> Catalog:
    """Tables and columns of the built file, read with a short read-only connection."""
    con = Warehouse.connect_file(db_path, read_only=True)
    try:
        rows = con.execute(
            "select table_schema, table_name, column_name, data_type "
            "from information_schema.columns "
            "where table_catalog = current_database() "
            "order by table_schema, table_name, ordinal_position",
        ).fetchall()
    finally:
        con.close()
    catalog: Catalog = {}
    for schema, table, column, data_type in rows:
        catalog.setdefault((schema, table), {})[column] = str(data_type).upper()
    return catalog


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _exception_message(info: Any) -> str | None:
    """GX puts errors either flat ({raised_exception, exception_message}) or per metric."""
    if not info:
        return None
    if isinstance(info, dict) and "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    if isinstance(info, dict):
        for value in info.values():
            message = _exception_message(value)
            if message:
                return message
    raised = getattr(info, "raised_exception", False)
    return getattr(info, "exception_message", None) if raised else None


def _observed(result: Any) -> str:
    body = result.result or {}
    if "details" in body and body["details"].get("unexpected_rows") is not None:
        rows = body["details"]["unexpected_rows"]
        records = rows.to_dict("records") if hasattr(rows, "to_dict") else list(rows)
        return f"{body.get('observed_value')} row(s): {_short(records[:3])}"
    if body.get("unexpected_count") is not None:
        text = f"{body['unexpected_count']} unexpected"
        if body.get("element_count") is not None:
            text += f" of {body['element_count']}"
        sample = body.get("partial_unexpected_list") or []
        if sample:
            text += f", e.g. {_short(sample[:3], 100)}"
        return text
    if "observed_value" in body:
        details = body.get("details") or {}
        missing = (details.get("mismatched") or {}).get("missing")
        if missing:
            return f"missing columns: {', '.join(missing)}"
        return f"observed {_short(body['observed_value'])}"
    return ""


def _quiet_gx() -> None:
    names = [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]
    for name in ["great_expectations", *names]:
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="great_expectations")


def run_gx(
    db_path: Path,
    suites: list[TableSuite],
    config: GateConfig,
    docs_dir: Path | None,
) -> tuple[list[Finding], Path | None]:
    """Validate `suites` against the DuckDB file with GX; write Data Docs into `docs_dir`."""
    disable_gx_analytics()
    enable_duckdb_persisted_connection()
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _quiet_gx()  # again: importing GX (re)configures its loggers

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in list((context.get_config().data_docs_sites or {}).keys()):
        context.delete_data_docs_site(site)
    if docs_dir is not None:
        shutil.rmtree(docs_dir, ignore_errors=True)
        docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(DOCS_SITE, {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })

    datasource = context.data_sources.add_sql(
        "warehouse",
        connection_string=f"duckdb:///{Path(db_path).resolve()}",
        kwargs={"connect_args": {"read_only": True, "config": duckdb_limits()}},
    )
    findings: list[Finding] = []
    try:
        batch_defs: dict[str, Any] = {}
        groups: dict[str, list[Any]] = {"table": [], "rules": []}
        targets: dict[str, str] = {}  # suite name -> what it validated (the finding's target)
        for suite in suites:
            asset_name = f"{suite.schema}.{suite.table}"
            if suite.where:
                asset_name += " (rows changed by this build)"
            targets[suite.name] = asset_name
            if asset_name not in batch_defs:
                if suite.where:
                    asset = datasource.add_query_asset(
                        asset_name, query=f'select * from "{suite.schema}"."{suite.table}" '
                                          f"where {suite.where}")
                else:
                    asset = datasource.add_table_asset(
                        asset_name, table_name=suite.table, schema_name=suite.schema
                    )
                batch_defs[asset_name] = asset.add_batch_definition_whole_table("whole table")
            gx_suite = context.suites.add(gx.ExpectationSuite(
                name=suite.name, expectations=[check.build() for check in suite.checks]
            ))
            groups[suite.kind].append(context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch_defs[asset_name],
                                        suite=gx_suite)
            ))
        # Column checks report counts and a sample; SQL rules report their (few) result rows.
        for kind, result_format in (("table", "SUMMARY"), ("rules", "COMPLETE")):
            if not groups[kind]:
                continue
            checkpoint = context.checkpoints.add(gx.Checkpoint(
                name=f"hotline_{kind}", validation_definitions=groups[kind], actions=[],
                result_format={"result_format": result_format, "partial_unexpected_count": 5},
            ))
            outcome = checkpoint.run()
            for validation in outcome.run_results.values():
                target = targets.get(validation.suite_name, validation.suite_name)
                for result in validation.results:
                    config_meta = result.expectation_config.meta or {}
                    rule = config_meta.get("rule", "schema")
                    error = _exception_message(result.exception_info)
                    findings.append(Finding(
                        rule=rule,
                        severity=config.severity(rule),
                        target=str(target),
                        check=config_meta.get("check", result.expectation_config.type),
                        passed=bool(result.success) and not error,
                        observed=f"error: {_short(error)}" if error else _observed(result),
                    ))
        if docs_dir is not None:
            # Once for the whole run (an UpdateDataDocsAction per validation rebuilds the site
            # every time): the ephemeral stores hold exactly this run's results.
            context.build_data_docs(site_names=[DOCS_SITE])
    finally:
        engine = datasource.get_execution_engine()
        connection = getattr(engine, "_connection", None)
        if connection is not None:
            connection.close()
        engine.engine.dispose()
        datasource.get_engine().dispose()
        del engine, datasource, context
        gc.collect()
    docs_index = docs_dir / "index.html" if docs_dir and (docs_dir / "index.html").exists() \
        else None
    return findings, docs_index


def run_audit(
    db_path: Path,
    config: GateConfig,
    context: AuditContext | None = None,
    docs_dir: Path | None = None,
    extra_findings: list[Finding] | None = None,
    manifest: Manifest | None = None,
) -> GateReport:
    """Audit the built working file; `extra_findings` carry dbt test and landing outcomes.

    What to check comes from the dbt manifest of the build (`manifest`, default: the
    project's target/manifest.json).
    """
    context = context or AuditContext()
    catalog = read_catalog(db_path)
    suites = build_suites(catalog, config, context, manifest)
    findings, docs_index = run_gx(db_path, suites, config, docs_dir) if suites else ([], None)
    report = GateReport(findings=[*(extra_findings or []), *findings], docs_index=docs_index)
    return report


def count_by_rule(findings: list[Finding]) -> Counter:
    return Counter(f.rule for f in findings if not f.passed)
