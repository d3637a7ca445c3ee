"""The quality gate on small hand-built DuckDB files: each blocking rule firing and not firing,
severity from configuration, and the GX-on-DuckDB workaround."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from hotline.gate import (
    AuditContext,
    GateConfig,
    GateConfigError,
    gx_duckdb,
    load_gate_config,
    run_audit,
)

BATCH = "batch-today"
NOW = datetime(2026, 3, 4, 6, 0, 0)


def _build_db(path: Path, *, quarantined: int, orphan_legs: int, answered: int, rate: float,
              reconciled: bool = True) -> Path:
    """A warehouse with 100 delivered rows in this batch and 100 contact legs.

    `quarantined` of the batch's rows are quarantined, `orphan_legs` legs point at an inferred
    queue, one kpi row has `answered` out of 10 offered and a service level of `rate`.
    """
    con = duckdb.connect(str(path))
    con.execute("create schema staging; create schema intermediate; create schema marts")
    # the models the gate's rules read (their relations come from the dbt manifest)
    con.execute("""
        create table staging.stg_landing__files as
        select * from (values
            (1, 'batch-old', 'contacts', 'telephony/contacts/old.csv', 500, 0, 'loaded'),
            (2, 'batch-today', 'contacts', 'telephony/contacts/new.csv', 90, 10, 'loaded')
        ) as m(delivery_seq, batch_id, entity, source_file, row_count, rejected_line_count,
               status)
    """)
    # Old batch: 400 quarantined rows, which must not count against today's delivery.
    con.execute(f"""
        create table intermediate.int_quarantined_rows as
        select 'telephony' as source, 'contacts' as entity,
            'telephony/contacts/old.csv' as source_file, range + 1 as source_row,
            'missing_required' as reason, '{{}}' as raw_record, 'batch-old' as batch_id,
            1 as delivery_seq
        from range(400)
        union all
        select 'telephony', 'contacts', 'telephony/contacts/new.csv', range + 1,
            case when range < 3 then 'malformed_line' else 'unknown_enum' end, '{{}}',
            'batch-today', 2
        from range({quarantined})
    """)
    con.execute("""
        create table marts.dim_queues as
        select * from (values ('Q1', 'Sales', 'voice', 20.0, 0.8, false),
                              ('QX', 'Unknown queue', null, 20.0, 0.8, true))
            as q(queue_id, queue_name, channel, service_level_seconds, service_level_target,
                 is_inferred)
    """)
    con.execute(f"""
        create table marts.fct_contacts as
        select 'c' || range as contact_id, 'i' || range as interaction_id,
            case when range < {orphan_legs} then 'QX' else 'Q1' end as queue_id,
            cast(null as varchar) as agent_id, 'voice' as channel, 'inbound' as direction,
            timestamp '2026-03-03 09:00:00' as interval_start,
            date '2026-03-02' + cast(range % 2 as integer) as report_date,
            timestamp '2026-03-03 09:00:00' as initiated_at,
            true as is_offered, range % 3 <> 0 as is_answered, false as is_abandoned,
            false as is_short_abandoned, range % 3 = 1 as is_answered_within_sl,
            5.0 as wait_seconds, 60.0 as talk_seconds, 0.0 as hold_seconds,
            10.0 as acw_seconds, 70.0 as handle_seconds, false as is_transferred_out
        from range(100)
    """)
    con.execute("""
        create view marts.dq_orphans as
        select 'contacts' as entity, 'queue_id' as column_name, count(*) as total_rows,
            count(*) filter (where queue_id in (select queue_id from marts.dim_queues
                                                where is_inferred)) as orphan_rows,
            orphan_rows / count(*) as orphan_rate,
            exists (select 1 from marts.dim_queues where not is_inferred) as is_parent_delivered
        from marts.fct_contacts
    """)
    con.execute("""
        create table intermediate.int_data_watermark as
        select max(initiated_at) as as_of, min(initiated_at) as data_starts_at
        from marts.fct_contacts
    """)
    con.execute(f"""
        create table marts.kpi_queue_daily as
        select 'Q1' as queue_id, date '2026-03-03' as report_date, 10 as offered,
            {answered} as answered, 2 as abandoned, 1 as short_abandoned,
            least({answered}, 6) as answered_within_sl, {rate} as service_level,
            0.5 as answer_rate, 30.0 as asa_seconds
    """)
    con.execute(f"""
        create table marts.dq_reconciliation as
        select 'contacts' as entity, 100 as landed_rows, {100 if reconciled else 99}
            as kept_rows, {reconciled} as is_reconciled
    """)
    con.close()
    return path


@pytest.fixture(scope="module")
def config() -> GateConfig:
    # The hand-built marts carry only the columns these rules need: the schema check (contract
    # columns of every published mart) is exercised end to end in test_nightly.py.
    return load_gate_config().with_overrides(schema={"severity": "off"})


def _audit(path: Path, config: GateConfig, docs: Path | None = None):
    return run_audit(path, config, AuditContext(batch_id=BATCH, now=NOW), docs_dir=docs)


@pytest.fixture(scope="module")
def passing_report(tmp_path_factory, config):
    """Every blocking rule exactly at its boundary: 5 % quarantined, 1 % orphans."""
    tmp = tmp_path_factory.mktemp("gate_ok")
    path = _build_db(tmp / "ok.duckdb", quarantined=5, orphan_legs=1, answered=8, rate=1.0)
    return _audit(path, config, tmp / "docs")


@pytest.fixture(scope="module")
def failing_report(tmp_path_factory, config):
    """Every blocking rule just past its boundary."""
    tmp = tmp_path_factory.mktemp("gate_bad")
    path = _build_db(tmp / "bad.duckdb", quarantined=6, orphan_legs=2, answered=11, rate=1.2,
                     reconciled=False)
    return _audit(path, config)


@pytest.mark.parametrize("rule", [
    "quarantine_share", "orphan_share", "identities", "rates_in_range", "reconciliation",
])
def test_rule_does_not_fire_at_or_below_threshold(passing_report, rule):
    assert passing_report.checks_for(rule), f"no {rule} check ran"
    assert passing_report.failures_for(rule) == []


@pytest.mark.parametrize("rule", [
    "quarantine_share", "orphan_share", "identities", "rates_in_range", "reconciliation",
])
def test_rule_fires_and_blocks_past_threshold(failing_report, rule):
    failures = failing_report.failures_for(rule)
    assert failures, f"{rule} did not fire"
    assert all(f.severity == "block" for f in failures)
    assert failing_report.blocked


def test_passing_report_is_not_blocked_and_writes_data_docs(passing_report):
    assert not passing_report.blocked, passing_report.failure_lines()
    assert passing_report.docs_index is not None and passing_report.docs_index.exists()


def test_failure_messages_say_what_failed_on_what(failing_report):
    text = "\n".join(failing_report.failure_lines(50))
    assert "quarantine_share" in text and '"quarantined_rows": 6' in text
    assert '"orphan_rows": 2' in text
    assert "kpi_queue_daily: answered <= offered" in text
    assert "service_level within [0, 1]" in text and "1 unexpected" in text


def test_quarantine_share_counts_only_this_runs_batch(passing_report):
    # The old batch has 400 quarantined rows out of 500; today's batch 5 out of 100.
    assert passing_report.failures_for("quarantine_share") == []


def test_quarantine_share_is_judged_per_entity_delivery(tmp_path, config):
    # A clean, large agent_states delivery in the same batch must not dilute a contacts
    # delivery that quarantines 6 % of its rows.
    path = _build_db(tmp_path / "per_entity.duckdb", quarantined=6, orphan_legs=0, answered=8,
                     rate=0.9)
    con = duckdb.connect(str(path))
    con.execute("""
        insert into staging.stg_landing__files values
            (3, 'batch-today', 'agent_states', 'telephony/agent_states/new.csv', 5000, 0,
             'loaded')
    """)
    con.close()
    report = _audit(path, config)
    failures = report.failures_for("quarantine_share")
    assert failures and report.blocked
    assert "contacts" in str(failures[0]) and "agent_states" not in str(failures[0])


def test_orphan_share_needs_a_delivered_directory(tmp_path, config):
    # No queue snapshot was ever delivered (only inferred members): every leg's queue is
    # unknown by construction, which is a missing source folder, not an orphan problem.
    path = _build_db(tmp_path / "no_directory.duckdb", quarantined=0, orphan_legs=100,
                     answered=8, rate=0.9)
    con = duckdb.connect(str(path))
    con.execute("delete from marts.dim_queues where not is_inferred")
    con.close()
    report = _audit(path, config)
    assert report.failures_for("orphan_share") == []


def test_warning_rules_do_not_block(tmp_path, config):
    path = _build_db(tmp_path / "stale.duckdb", quarantined=0, orphan_legs=0, answered=8,
                     rate=0.9)
    report = run_audit(path, config, AuditContext(batch_id=BATCH, now=datetime(2026, 4, 1)))
    assert [f.rule for f in report.warnings] == ["freshness"]
    assert not report.blocked


def test_severity_is_configuration_not_code(tmp_path, config):
    path = _build_db(tmp_path / "orphans.duckdb", quarantined=0, orphan_legs=50, answered=8,
                     rate=0.9)
    relaxed = config.with_overrides(orphan_share={"severity": "warn"})
    report = run_audit(path, relaxed, AuditContext(batch_id=BATCH, now=NOW))
    assert report.failures_for("orphan_share") and not report.blocked
    looser = config.with_overrides(orphan_share={"max_share": 0.6})
    report = run_audit(path, looser, AuditContext(batch_id=BATCH, now=NOW))
    assert report.failures_for("orphan_share") == []


def test_gate_config_rejects_unknown_rules_and_bad_severities(tmp_path):
    with pytest.raises(GateConfigError, match="not configured"):
        GateConfig.from_dict({"rules": {"keys": {"severity": "block"}}})
    base = {name: {"severity": rule.severity, **rule.params}
            for name, rule in load_gate_config().rules.items()}
    with pytest.raises(GateConfigError, match="severity"):
        GateConfig.from_dict({"rules": {**base, "keys": {"severity": "maybe"}}})
    with pytest.raises(GateConfigError, match="unknown"):
        GateConfig.from_dict({"rules": {**base, "vibes": {"severity": "warn"}}})
    with pytest.raises(GateConfigError, match="max_share"):
        GateConfig.from_dict({"rules": {**base, "orphan_share": {"severity": "block"}}})


def test_shipped_gate_yml_matches_the_contract_defaults():
    config = load_gate_config()
    assert config.rule("quarantine_share").params == {"max_share": 0.05}
    assert config.rule("orphan_share").params == {"max_share": 0.01}
    for rule in ("dbt_tests", "identities", "rates_in_range", "reconciliation",
                 "quarantine_share", "orphan_share", "landing_failures"):
        assert config.severity(rule) == "block"
    for rule in ("freshness", "volume_day_over_day"):
        assert config.severity(rule) == "warn"


# --- the GX / DuckDB workaround (hotline/gate/gx_duckdb.py) ------------------------------------

def _validate_unique(path: Path) -> object:
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_sql("db", connection_string=f"duckdb:///{path}")
    asset = source.add_table_asset("t", table_name="t")
    batch = asset.add_batch_definition_whole_table("all").get_batch()
    result = batch.validate(gx.expectations.ExpectColumnValuesToBeBetween(
        column="x", min_value=0, max_value=5))
    source.get_execution_engine().close()
    return result


def test_gx_duckdb_fix_makes_sql_validation_work(tmp_path, monkeypatch):
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    path = tmp_path / "t.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table t as select range as x from range(10)")
    con.close()

    # As shipped (upstream #10738 / #11579) the metric fetch fails on DuckDB.
    original = tuple(engine_module._PERSISTED_CONNECTION_DIALECTS)
    unpatched = tuple(d for d in original if str(getattr(d, "value", d)) != "duckdb")
    monkeypatch.setattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS", unpatched)
    broken = _validate_unique(path)
    assert not broken.success and broken.exception_info

    assert gx_duckdb.enable_duckdb_persisted_connection() is True
    assert gx_duckdb.enable_duckdb_persisted_connection() is False  # idempotent
    assert gx_duckdb.is_patched()
    fixed = _validate_unique(path)
    assert not fixed.success  # a real answer now: 4 of 10 values are above 5
    assert fixed.result["unexpected_count"] == 4
    assert not (fixed.exception_info or {}).get("raised_exception")


def test_gx_analytics_disabled(monkeypatch):
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "true")
    gx_duckdb.enable_duckdb_persisted_connection()
    import os

    assert os.environ["GX_ANALYTICS_ENABLED"] == "false"


def test_failing_dbt_test_is_a_blocking_gate_finding_and_model_error_is_not():
    from hotline.gate import Finding, GateReport
    from hotline.nightly import _split_dbt_failures

    tests, errors = _split_dbt_failures([
        "test.hotline.unique_fct_contacts_contact_id: Got 2 results",
        "model.hotline.fct_contacts: Runtime Error",
    ])
    assert tests == ["test.hotline.unique_fct_contacts_contact_id: Got 2 results"]
    assert errors == ["model.hotline.fct_contacts: Runtime Error"]
    report = GateReport([Finding("dbt_tests", "block", "dbt", f"dbt test {tests[0]}", False)])
    assert report.blocked and "BLOCK [dbt_tests]" in report.failure_lines()[0]


def test_incremental_audit_validates_the_rows_the_build_changed(tmp_path, config):
    """On an incremental night a mart is validated on the keys its change model lists (and
    raw/staging on the deliveries not yet published): the bad kpi_queue_daily row (answered
    11 > offered 10, report_date 2026-03-03) is found when its date changed and left alone
    when only another date changed (it was validated, and passed or blocked, before)."""
    path = _build_db(tmp_path / "inc.duckdb", quarantined=0, orphan_legs=0, answered=11,
                     rate=0.5)

    def audit(changed_date: str, **context):
        con = duckdb.connect(str(path))
        con.execute("create or replace table intermediate.chg_report_dates as "
                    f"select date '{changed_date}' as report_date")
        con.close()
        report = run_audit(path, config, AuditContext(batch_id=BATCH, now=NOW, **context))
        return [f for f in report.failures_for("identities") if "kpi_queue_daily" in f.target]

    changed = audit("2026-03-03", marts_by_changed_keys=True)
    assert changed and "rows changed by this build" in changed[0].target
    assert audit("2026-03-02", marts_by_changed_keys=True) == []
    # the same mart in a rebuilt model set, or without the change models' guarantee: whole
    assert audit("2026-03-02", marts_by_changed_keys=True, rebuilt=frozenset({
        "kpi_queue_daily"}))
    assert audit("2026-03-02")


def test_incremental_audit_condition_per_layer():
    from hotline.dbt_artifacts import Manifest
    from hotline.gate.suites import TableSuite, changed_rows

    manifest = Manifest.load()
    context = AuditContext(published_seq=41, marts_by_changed_keys=True)
    lineage = {"_delivery_seq": "BIGINT", "contact_id": "VARCHAR"}
    assert changed_rows(TableSuite("raw", "contacts"), lineage, context, manifest) == \
        "_delivery_seq > 41"
    assert changed_rows(TableSuite("staging", "stg_telephony__contacts"), lineage, context,
                        manifest) == "_delivery_seq > 41"
    assert changed_rows(TableSuite("marts", "fct_contacts"), {}, context, manifest) == \
        '"contact_id" in (select "contact_id" from "intermediate"."chg_fct_contacts_keys")'
    # not an incremental night, a rules suite, a mart without change keys: whole table
    assert changed_rows(TableSuite("raw", "contacts"), lineage, AuditContext(), manifest) is None
    assert changed_rows(TableSuite("marts", "fct_contacts", kind="rules"), {}, context,
                        manifest) is None
    assert changed_rows(TableSuite("marts", "dim_queues"), {}, context, manifest) is None
