"""The MetricFlow semantic layer agrees with the kpi_* marts, for every metric, by day and week.

MetricFlow (the Python API of dbt-metricflow, one engine for every query: starting it is the
slow part) runs one query per semantic model and grain on the demo warehouse's working file.
The expected values are computed here independently, in plain SQL on the published marts
(serving.duckdb): simple
metrics re-aggregate a column, ratio metrics are sum(numerator) / sum(denominator) of the
mart's own columns, the backlog (a stock) takes the period's last day. At day grain a ratio
must also equal the rate the mart publishes (computed by the metric macros), and the center
totals must equal kpi_scorecard. A metric added to models/semantic/ without an expectation
here fails the test.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from report_helpers import demo_warehouse

from hotline.settings import PROFILES_DIR, PROJECT_DIR

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Family:
    semantic_model: str
    table: str
    key: str | None      # the mart's column for the group-by
    group_by: str | None  # MetricFlow's name for it


FAMILIES = {
    "queue": Family("queue_daily", "kpi_queue_daily", "queue_id", "queue"),
    "channel": Family("channel_daily", "kpi_channel_daily", "channel", "channel"),
    "agent": Family("agent_daily", "kpi_agent_daily", "agent_id", "agent"),
    "priority": Family("ticket_daily", "kpi_ticket_daily", "priority", "priority"),
    "center": Family("center_staffing_interval", "kpi_staffing_center_interval", None, None),
    "forecast": Family("queue_forecast_interval", "fct_forecast_queue_interval", "queue_id",
                       "queue"),
}


def s(column: str) -> str:
    return f"sum({column})"


# metric -> (family, numerator SQL, denominator SQL or None, the mart's own daily column)
EXPECTED = {
    # legs, kpi_queue_daily
    **{name: ("queue", s(name), None, name) for name in (
        "offered", "answered", "abandoned", "short_abandoned", "answered_within_sl",
        "abandoned_within_sl", "transferred_out", "offered_out_of_hours",
        "offered_wait_seconds_sum", "answered_wait_seconds_sum", "handle_seconds_sum",
        "service_level_numerator", "service_level_denominator", "abandon_rate_numerator",
        "abandon_rate_denominator")},
    "max_wait_seconds": ("queue", "max(max_wait_seconds)", None, "max_wait_seconds"),
    "service_level": ("queue", s("service_level_numerator"), s("service_level_denominator"),
                      "service_level"),
    "answer_rate": ("queue", s("answered"), s("offered"), "answer_rate"),
    "abandon_rate": ("queue", s("abandoned - short_abandoned"), s("offered - short_abandoned"),
                     "abandon_rate"),
    "asa_seconds": ("queue", s("answered_wait_seconds_sum"), s("answered"), "asa_seconds"),
    "avg_wait_seconds": ("queue", s("offered_wait_seconds_sum"), s("offered"),
                         "avg_wait_seconds"),
    "aht_seconds": ("queue", s("handle_seconds_sum"), s("answered"), "aht_seconds"),
    "transfer_rate": ("queue", s("transferred_out"), s("answered"), "transfer_rate"),
    "queue_fcr_eligible": ("queue", s("fcr_eligible"), None, "fcr_eligible"),
    "queue_fcr_resolved": ("queue", s("fcr_resolved"), None, "fcr_resolved"),
    "queue_repeat_eligible": ("queue", s("repeat_eligible"), None, "repeat_eligible"),
    "queue_repeat_contacts": ("queue", s("repeat_contacts"), None, "repeat_contacts"),
    "queue_csat_responses": ("queue", s("csat_responses"), None, "csat_responses"),
    "queue_csat_satisfied": ("queue", s("csat_satisfied"), None, "csat_satisfied"),
    "queue_fcr_rate": ("queue", s("fcr_resolved"), s("fcr_eligible"), "fcr_rate"),
    "queue_repeat_contact_rate": ("queue", s("repeat_contacts"), s("repeat_eligible"),
                                  "repeat_contact_rate"),
    "queue_csat_rate": ("queue", s("csat_satisfied"), s("csat_responses"), "csat_rate"),
    # interactions and surveys, kpi_channel_daily
    **{name: ("channel", s(name), None, name) for name in (
        "interactions", "ivr_entered", "ivr_contained", "repeat_eligible", "repeat_contacts",
        "fcr_eligible", "fcr_resolved", "fcr_resolved_final", "csat_responses",
        "csat_satisfied", "csat_score_sum", "nps_responses", "nps_promoters", "nps_detractors",
        "ces_responses", "ces_score_sum", "survey_fcr_responses", "survey_fcr_resolved")},
    "nps_net_promoters": ("channel", s("nps_promoters - nps_detractors"), None, None),
    "repeat_contact_rate": ("channel", s("repeat_contacts"), s("repeat_eligible"),
                            "repeat_contact_rate"),
    "fcr_rate": ("channel", s("fcr_resolved"), s("fcr_eligible"), "fcr_rate"),
    "ivr_containment_rate": ("channel", s("ivr_contained"), s("ivr_entered"),
                             "ivr_containment_rate"),
    "csat_rate": ("channel", s("csat_satisfied"), s("csat_responses"), "csat_rate"),
    "csat_avg_score": ("channel", s("csat_score_sum"), s("csat_responses"), "csat_avg_score"),
    "nps_ratio": ("channel", s("nps_promoters - nps_detractors"), s("nps_responses"), None),
    "nps": ("channel", "100 * " + s("nps_promoters - nps_detractors"), s("nps_responses"),
            "nps"),
    "ces_avg_score": ("channel", s("ces_score_sum"), s("ces_responses"), "ces_avg_score"),
    "survey_fcr_rate": ("channel", s("survey_fcr_resolved"), s("survey_fcr_responses"),
                        "survey_fcr_rate"),
    # agents, kpi_agent_daily
    **{name: ("agent", s(name), None, name) for name in (
        "handled", "handle_seconds_total", "logged_in_seconds", "occupied_seconds",
        "occupancy_base_seconds", "shrinkage_seconds")},
    "logged_in_hours": ("agent", s("logged_in_seconds / 3600.0"), None, None),
    "agent_fcr_eligible": ("agent", s("fcr_eligible"), None, "fcr_eligible"),
    "agent_fcr_resolved": ("agent", s("fcr_resolved"), None, "fcr_resolved"),
    "agent_csat_responses": ("agent", s("csat_responses"), None, "csat_responses"),
    "agent_csat_satisfied": ("agent", s("csat_satisfied"), None, "csat_satisfied"),
    "agent_aht_seconds": ("agent", s("handle_seconds_total"), s("handled"), "aht_seconds"),
    "occupancy": ("agent", s("occupied_seconds"), s("occupancy_base_seconds"), "occupancy"),
    "utilization": ("agent", s("occupied_seconds"), s("logged_in_seconds"), "utilization"),
    "shrinkage": ("agent", s("shrinkage_seconds"), s("logged_in_seconds"), "shrinkage"),
    "contacts_per_hour": ("agent", s("handled"), s("logged_in_seconds / 3600.0"),
                          "contacts_per_hour"),
    "agent_fcr_rate": ("agent", s("fcr_resolved"), s("fcr_eligible"), "fcr_rate"),
    "agent_csat_rate": ("agent", s("csat_satisfied"), s("csat_responses"), "csat_rate"),
    # tickets, kpi_ticket_daily (backlog: the stock on the period's last day)
    **{name: ("priority", s(name), None, name) for name in (
        "tickets_created", "tickets_solved", "tickets_reopened", "first_responses",
        "first_response_seconds_sum", "first_response_business_seconds_sum", "next_replies",
        "next_reply_seconds_sum", "sla_first_response_met", "sla_first_response_breached",
        "sla_resolution_met", "sla_resolution_breached")},
    "backlog_end_of_day": ("priority", "arg_max(backlog_end_of_day, report_date)", None,
                           "backlog_end_of_day"),
    "sla_first_response_judged": ("priority", s("sla_first_response_met + "
                                                "sla_first_response_breached"), None, None),
    "sla_resolution_judged": ("priority", s("sla_resolution_met + sla_resolution_breached"),
                              None, None),
    "first_response_avg_seconds": ("priority", s("first_response_seconds_sum"),
                                   s("first_responses"), "first_response_avg_seconds"),
    "first_response_business_avg_seconds": ("priority", s("first_response_business_seconds_sum"),
                                            s("first_responses"),
                                            "first_response_business_avg_seconds"),
    "next_reply_avg_seconds": ("priority", s("next_reply_seconds_sum"), s("next_replies"),
                               "next_reply_avg_seconds"),
    "first_response_sla_rate": ("priority", s("sla_first_response_met"),
                                s("sla_first_response_met + sla_first_response_breached"),
                                "first_response_sla_rate"),
    "resolution_sla_rate": ("priority", s("sla_resolution_met"),
                            s("sla_resolution_met + sla_resolution_breached"), None),
    # staffing, kpi_staffing_center_interval
    "required_agent_intervals": ("center", s("required_agents"), None, None),
    "history_required_agent_intervals": (
        "center", s("case when not is_forecast then required_agents end"), None, None),
    "staffed_agent_intervals": ("center", s("case when not is_forecast then staffed_agents end"),
                                None, None),
    "understaffed_intervals": ("center", s("case when understaffed then 1 else 0 end"), None,
                               None),
    "staffing_history_intervals": ("center", s("case when not is_forecast then 1 else 0 end"),
                                   None, None),
    "staffing_coverage": ("center", s("case when not is_forecast then staffed_agents end"),
                          s("case when not is_forecast then required_agents end"), None),
    "understaffed_interval_rate": ("center", s("case when understaffed then 1 else 0 end"),
                                   s("case when not is_forecast then 1 else 0 end"), None),
    # forecast, fct_forecast_queue_interval
    "forecast_offered": ("forecast", s("forecast_offered"), None, None),
    "forecast_handle_seconds": ("forecast", s("forecast_offered * forecast_aht_seconds"), None,
                                None),
    "forecast_aht_seconds": ("forecast", s("forecast_offered * forecast_aht_seconds"),
                             s("forecast_offered"), None),
}

# kpi_scorecard's center totals and the metric that must reproduce them each day
SCORECARD = {"service_level": "service_level", "avg_wait_seconds": "avg_wait_seconds",
             "abandon_rate": "abandon_rate", "fcr_rate": "fcr_rate",
             "repeat_contact_rate": "repeat_contact_rate", "csat_rate": "csat_rate",
             "first_response_sla_rate": "first_response_sla_rate"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_warehouse(tmp_path_factory)


@pytest.fixture(scope="module")
def engine(demo):
    """One MetricFlow engine on the demo's working file and semantic manifest."""
    import os

    from dbt.adapters.factory import get_adapter_by_type
    from dbt_metricflow.cli.dbt_connectors.adapter_backed_client import AdapterBackedSqlClient
    from dbt_metricflow.cli.dbt_connectors.dbt_config_accessor import dbtProjectMetadata
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    from hotline.nightly import release_dbt_connections

    saved = {key: os.environ.get(key) for key in ("HOTLINE_WAREHOUSE_DIR", "DBT_TARGET_PATH",
                                                  "DBT_LOG_PATH")}
    os.environ.update({"HOTLINE_WAREHOUSE_DIR": str(demo.warehouse),
                       "DBT_TARGET_PATH": str(demo.target),
                       "DBT_LOG_PATH": str(demo.root / "logs")})
    try:
        metadata = dbtProjectMetadata.load_from_paths(profiles_path=PROFILES_DIR,
                                                      project_path=PROJECT_DIR)
        semantic = parse_manifest_from_dbt_generated_manifest(
            (demo.target / "semantic_manifest.json").read_text(encoding="utf-8"))
        # MetricFlow's CLI reads <project>/target/semantic_manifest.json; the test reads the
        # demo build's own and takes the dbt adapter the profile configured (dbt debug above)
        adapter = get_adapter_by_type(metadata.profile.credentials.type)
        engine = MetricFlowEngine(semantic_manifest_lookup=SemanticManifestLookup(semantic),
                                  sql_client=AdapterBackedSqlClient(adapter))
        yield engine, semantic
    finally:
        release_dbt_connections()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _mf(engine, metrics: list[str], group_by: list[str]) -> dict:
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    result = engine.query(MetricFlowQueryRequest.create(metric_names=metrics,
                                                        group_by_names=group_by))
    table = result.result_df
    names = list(table.column_names)
    rows = {}
    for values in table.rows:
        record = dict(zip(names, values, strict=True))
        key = tuple(_norm(record[name]) for name in group_by)
        rows[key] = {metric: record[metric] for metric in metrics}
    return rows


def _norm(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _expected(con, family: Family, metric: str, grain: str) -> dict:
    _, numerator, denominator, _ = EXPECTED[metric]
    bucket = ("report_date" if grain == "day"
              else "cast(date_trunc('week', report_date) as date)")
    value = (f"cast({numerator} as double) / nullif(cast({denominator} as double), 0)"
             if denominator else numerator)
    keys = [bucket] + ([family.key] if family.key else [])
    sql = (f"select {', '.join(keys)}, {value} from {family.table} "
           f"group by {', '.join(str(i + 1) for i in range(len(keys)))}")
    return {tuple(row[:-1]): row[-1] for row in con.execute(sql).fetchall()}


def _close(actual, expected) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-9)


def test_every_metric_has_an_expectation(engine):
    _, semantic = engine
    defined = {metric.name for metric in semantic.metrics}
    assert defined == set(EXPECTED)
    models = {model.name for model in semantic.semantic_models}
    assert {family.semantic_model for family in FAMILIES.values()} <= models


@pytest.mark.parametrize("grain", ["day", "week"])
def test_metricflow_equals_reaggregated_marts(engine, demo, grain):
    mf, _ = engine
    con = duckdb.connect(str(demo.serving), read_only=True)
    try:
        checked = 0
        for name, family in FAMILIES.items():
            metrics = sorted(m for m, spec in EXPECTED.items() if spec[0] == name)
            group_by = [f"metric_time__{grain}"] + ([family.group_by] if family.group_by else [])
            got = _mf(mf, metrics, group_by)
            assert got, f"MetricFlow returned nothing for {name}"
            for metric in metrics:
                expected = _expected(con, family, metric, grain)
                assert set(got) == set(expected), (metric, grain)
                wrong = [(key, got[key][metric], value) for key, value in expected.items()
                         if not _close(got[key][metric], value)]
                assert wrong == [], (metric, grain, wrong[:5])
                checked += len(expected)
        assert checked > 3000
    finally:
        con.close()


def test_ratio_metrics_equal_the_rates_the_marts_publish(engine, demo):
    """At day grain a metric equals the mart's own column (the metric macros' result)."""
    mf, _ = engine
    con = duckdb.connect(str(demo.serving), read_only=True)
    try:
        for name, family in FAMILIES.items():
            metrics = sorted(m for m, spec in EXPECTED.items() if spec[0] == name and spec[3])
            if not metrics:
                continue
            got = _mf(mf, metrics, ["metric_time__day", family.group_by])
            for metric in metrics:
                column = EXPECTED[metric][3]
                published = {(row[0], row[1]): row[2] for row in con.execute(
                    f"select report_date, {family.key}, {column} from {family.table}"
                ).fetchall()}
                wrong = [(key, got[key][metric], value) for key, value in published.items()
                         if not _close(got[key][metric], value)]
                assert wrong == [], (metric, wrong[:5])
    finally:
        con.close()


def test_center_totals_equal_the_scorecard(engine, demo):
    mf, _ = engine
    got = _mf(mf, sorted(SCORECARD.values()), ["metric_time__day"])
    con = duckdb.connect(str(demo.serving), read_only=True)
    try:
        rows = con.execute("select report_date, kpi_name, actual from kpi_scorecard "
                           "where actual is not null").fetchall()
    finally:
        con.close()
    assert len(rows) > 100
    for report_date, kpi_name, actual in rows:
        assert _close(got[(report_date,)][SCORECARD[kpi_name]], actual), (report_date, kpi_name)


def test_metric_descriptions_are_the_doc_blocks(demo):
    manifest = json.loads(Path(demo.manifest).read_text(encoding="utf-8"))
    metrics = {node["name"]: node for node in manifest["metrics"].values()}
    assert metrics["service_level"]["description"].startswith("服务水平 / service level = ")
    assert metrics["fcr_rate"]["label"] == "首次解决率 first-contact resolution"
    assert all(node["description"] for node in metrics.values() if node["type"] != "simple")
