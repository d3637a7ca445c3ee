"""`hotline report` and `hotline nightly --report` on a published demo warehouse.

Checks: the nightly writes the day's report after publishing (and a blocked night writes
none); the report reads only tables and columns of the published contract (its SQL is
qualified against the contract by sqlglot); optional sections follow the marts the serving
file holds; KPI labels come from the dbt doc blocks; traffic lights agree with kpi_scorecard;
a pooled period figure equals re-aggregating another mart; values from the data cannot
inject markup or script; zone, as_of and run id are on the page. The real-browser test is
python_tests/test_report_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import timedelta

import duckdb
import pytest
import sqlglot
from report_helpers import ZONE, demo_warehouse
from sqlglot import exp
from sqlglot.optimizer.qualify import qualify
from typer.testing import CliRunner

from hotline.cli import app
from hotline.dbt_artifacts import Manifest
from hotline.nightly import RUNS_COLUMN_DOCS, NightlyError
from hotline.report import build_report, data
from hotline.report.labels import KPI_DOCS, kpi_labels, parse_doc
from hotline.report.page import compare, light, mark_outliers

pytestmark = pytest.mark.slow

OPTIONAL_SECTIONS = {"forecast": data.FORECAST_TABLES, "staffing": data.STAFFING_TABLES,
                     "interventions": data.INTERVENTION_TABLES}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_warehouse(tmp_path_factory)


@pytest.fixture()
def manifest_env(demo, monkeypatch):
    """The report reads KPI labels from the manifest of the demo's build."""
    monkeypatch.setenv("DBT_TARGET_PATH", str(demo.target))
    return demo


@pytest.fixture(scope="module")
def contract(demo) -> dict[str, dict[str, str]]:
    """The published contract: every model of models/marts with its YAML columns, and dq_runs."""
    manifest = Manifest(json.loads(demo.manifest.read_text(encoding="utf-8")))
    schema = {model.table: {name: column.get("data_type") or "varchar"
                            for name, column in model.columns.items()}
              for model in manifest.published_models()}
    schema["dq_runs"] = {name: "varchar" for name in RUNS_COLUMN_DOCS}
    return schema


def check_against_contract(sql: str, contract: dict) -> None:
    """Raise when the statement reads a table or column outside the published contract."""
    if sql == data.TABLES_SQL:  # the one catalog query: which published tables exist
        return
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias for cte in tree.find_all(exp.CTE)}
    tables = {table.name for table in tree.find_all(exp.Table)} - ctes
    outside = tables - set(contract)
    if outside:
        raise AssertionError(f"reads unpublished table(s) {sorted(outside)}: {sql}")
    qualify(tree, schema=contract, dialect="duckdb", validate_qualify_columns=True)


def _copy_serving(demo, tmp_path, drop: tuple[str, ...] = (), sql: list[str] | None = None):
    warehouse = tmp_path / "copy"
    warehouse.mkdir()
    shutil.copy(demo.serving, warehouse / "serving.duckdb")
    con = duckdb.connect(str(warehouse / "serving.duckdb"))
    try:
        for name in drop:
            con.execute(f'drop table "{name}"')
        for statement in sql or []:
            con.execute(statement)
    finally:
        con.close()
    return warehouse


def test_nightly_report_writes_the_days_report_beside_serving(demo):
    assert demo.report.parent == demo.warehouse
    assert demo.report.name.startswith("report-") and demo.report.suffix == ".html"
    html = demo.report.read_text(encoding="utf-8")
    con = duckdb.connect(str(demo.serving), read_only=True)
    try:
        run_id = con.execute("select run_id from dq_runs where status = 'published' "
                             "order by finished_at desc limit 1").fetchone()[0]
        as_of, as_of_local = con.execute(
            "select as_of, as_of_local from dq_build_settings").fetchone()
        latest = con.execute("select max(report_date) from kpi_scorecard "
                             "where actual is not null").fetchone()[0]
    finally:
        con.close()
    assert demo.report.name == f"report-{latest}.html"
    assert run_id in html
    assert f"{as_of:%Y-%m-%d %H:%M} UTC = {as_of_local:%Y-%m-%d %H:%M} {ZONE}" in html
    assert f"{ZONE} (UTC+08:00)" in html
    assert 'lang="zh-CN"' in html and "热线运营日报" in html
    # self-contained: the markup loads no script, style, font or image (inline script
    # bodies left out; the browser test also fails on any request leaving the file)
    markup = re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", html, flags=re.S)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", markup)
    assert "@import" not in markup and "url(" not in markup


def test_blocked_or_failed_night_writes_no_report(tmp_path, monkeypatch):
    import hotline.nightly

    def blocked(*args, **kwargs):
        raise NightlyError("quality gate blocked the publish", 3)

    monkeypatch.setattr(hotline.nightly, "run_nightly", blocked)
    written = []

    def write_report(*args, **kwargs):
        written.append(args)
        raise AssertionError("a blocked night must not write a report")

    monkeypatch.setattr("hotline.report.write_report", write_report)
    (tmp_path / "landing").mkdir()
    result = CliRunner().invoke(app, ["nightly", "--landing-dir", str(tmp_path / "landing"),
                                      "--warehouse-dir", str(tmp_path / "wh"), "--report"])
    assert result.exit_code == 3
    assert written == []
    assert not list(tmp_path.rglob("report-*.html"))


def test_report_reads_only_the_published_contract(manifest_env, contract, tmp_path):
    statements = []
    for period in data.PERIODS:
        statements += build_report(manifest_env.warehouse, period=period).statements
    assert len(statements) > 15
    for sql in set(statements):
        check_against_contract(sql, contract)
    # the check itself bites: a raw column or an unpublished table is refused
    for bad in ("select customer_number from fct_contacts",
                "select count(*) from int_contact_legs",
                "select kpi_name, secret from kpi_scorecard"):
        with pytest.raises(Exception):  # noqa: B017 - AssertionError or sqlglot's OptimizeError
            check_against_contract(bad, contract)


def test_report_exposure_lists_exactly_the_marts_the_report_reads(manifest_env, contract):
    manifest = json.loads(manifest_env.manifest.read_text(encoding="utf-8"))
    exposure = manifest["exposures"]["exposure.hotline.morning_report"]
    declared = {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
    read = set()
    for period in data.PERIODS:
        for sql in build_report(manifest_env.warehouse, period=period).statements:
            if sql != data.TABLES_SQL:
                tree = sqlglot.parse_one(sql, read="duckdb")
                ctes = {cte.alias for cte in tree.find_all(exp.CTE)}
                read |= {table.name for table in tree.find_all(exp.Table)} - ctes
    assert declared == read - {"dq_runs"}  # dq_runs is published by the nightly, not dbt


def test_optional_sections_follow_the_published_marts(manifest_env, tmp_path):
    full = build_report(manifest_env.warehouse)
    for section in OPTIONAL_SECTIONS:
        assert section in full.sections
    dropped = tuple(name for tables in OPTIONAL_SECTIONS.values() for name in tables) + (
        "dq_build_settings",)
    reduced = build_report(_copy_serving(manifest_env, tmp_path, drop=dropped))
    for section in OPTIONAL_SECTIONS:
        assert section not in reduced.sections
    assert {"scorecard", "trends", "queues", "agents", "tickets", "alerts", "quality"} <= set(
        reduced.sections)
    assert reduced.chart_count < full.chart_count
    # an older serving file without the build settings: the zone is named as unknown
    assert "发布文件未记录时区" in reduced.html


def test_kpi_labels_come_from_the_doc_blocks(manifest_env):
    labels = kpi_labels()
    assert set(labels) == set(KPI_DOCS)
    for label in labels.values():
        assert re.search(r"[\u4e00-\u9fff]", label.zh), label
        assert label.en and not re.search(r"[\u4e00-\u9fff]", label.en), label
        assert len(label.definition) > 10
    assert labels["service_level"].zh == "服务水平"
    assert labels["first_response_sla_rate"].en == "first-response SLA rate"
    zh = build_report(manifest_env.warehouse).html
    en = build_report(manifest_env.warehouse, lang="en").html
    assert 'lang="en"' in en and "Hotline daily report" in en
    for label in labels.values():  # both names in both languages
        for html in (zh, en):
            assert label.zh in html and label.en in html


def test_a_doc_block_without_names_is_refused():
    with pytest.raises(Exception, match="does not start with"):
        parse_doc("service_level", "service_level_numerator / service_level_denominator")
    parsed = parse_doc("offered", "呼入量 / offered = legs that entered a queue. More.")
    assert (parsed.zh, parsed.en, parsed.summary) == ("呼入量", "offered",
                                                      "legs that entered a queue.")


def test_traffic_lights_agree_with_the_scorecard(manifest_env):
    con = duckdb.connect(str(manifest_env.serving), read_only=True)
    try:
        rows = con.execute("select kpi_name, actual, comparator, target, is_met "
                           "from kpi_scorecard where actual is not null").fetchall()
    finally:
        con.close()
    assert len(rows) > 100
    for _, actual, comparator, target, is_met in rows:
        assert compare(actual, comparator, target) == is_met
        assert (light(actual, comparator, target) == "met") == bool(is_met)
    assert light(0.78, ">=", 0.8) == "near" and light(0.70, ">=", 0.8) == "missed"
    assert light(31.0, "<=", 30.0) == "near" and light(None, "<=", 30.0) == "none"


def test_week_scorecard_equals_reaggregating_the_queue_mart(manifest_env):
    report = build_report(manifest_env.warehouse, period="week")
    start, end = report.period.start, report.period.end
    assert report.period.kind == "week" and start.weekday() == 0 and end - start < timedelta(7)
    con = duckdb.connect(str(manifest_env.serving), read_only=True)
    try:
        expected = con.execute(
            "select sum(service_level_numerator) / sum(service_level_denominator), "
            "sum(offered_wait_seconds_sum) / sum(offered) from kpi_queue_daily "
            "where report_date between ? and ?", [start, end]).fetchone()
    finally:
        con.close()
    html = report.html
    assert f"{expected[0]:.1%}" in html
    assert f"{expected[1]:,.1f} s" in html


def test_data_cannot_inject_markup_or_script(manifest_env, tmp_path):
    evil = "</script><script>alert(1)</script><b>x</b>"
    warehouse = _copy_serving(manifest_env, tmp_path, sql=[
        f"update dim_queues set queue_name = '{evil}'",
        f"update kpi_alerts set message = '{evil}'",
    ])
    html = build_report(warehouse).html
    assert "<script>alert(1)" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text in the tables
    specs = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert specs and all("</script" not in spec for spec in specs)
    assert any("\\u003c/script\\u003e" in spec for spec in specs)  # the chart label survives
    for spec in specs:
        json.loads(spec)


def test_outliers_use_tukey_fences():
    import pandas as pd

    frame = pd.DataFrame({
        "agent_id": [f"a{i}" for i in range(8)],
        "handled": [50, 50, 50, 50, 50, 50, 50, 5],
        "aht_seconds": [300, 310, 320, 305, 315, 900, 120, 2000],
        "fcr_rate": [0.78, 0.85, 0.81, 0.80, 0.83, 0.79, 0.82, 0.1],
        "fcr_eligible": [40] * 8,
        "csat_rate": [0.9, 0.88, 0.9, 0.87, 0.89, 0.9, 0.3, None],
        "csat_responses": [10] * 8,
    })
    marked = mark_outliers(frame).set_index("agent_id")
    # judged a0-a6. AHT sorted 120 300 305 310 315 320 900: Q1 302.5, Q3 317.5, fences 280 and
    # 340 -> a5 (900) and a6 (120). FCR 0.78..0.85: Q1 0.795, Q3 0.825, lower fence 0.75 -> none.
    # CSAT sorted 0.3 0.87 0.88 0.89 0.9 0.9 0.9: Q1 0.875, Q3 0.9, lower fence 0.8375 -> a6.
    # a7 handled too few legs to be judged, however extreme.
    assert list(marked.index[marked["is_outlier"]]) == ["a5", "a6"]
    assert marked.loc["a6", "outlier_reason"] == "AHT CSAT"


def test_report_cli_options(manifest_env, tmp_path):
    runner = CliRunner()
    out = tmp_path / "week.html"
    result = runner.invoke(app, ["report", "--warehouse-dir", str(manifest_env.warehouse),
                                 "--period", "week", "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.output and "Hotline weekly report" in out.read_text()
    for bad in (["--period", "year"], ["--lang", "fr"], ["--date", "2026/10/01"]):
        result = runner.invoke(app, ["report", "--warehouse-dir",
                                     str(manifest_env.warehouse), *bad])
        assert result.exit_code == 2, bad
    result = runner.invoke(app, ["report", "--warehouse-dir", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "no published file" in result.output


def test_summary_names_the_zone_and_takes_a_date(manifest_env):
    runner = CliRunner()
    result = runner.invoke(app, ["summary", "--warehouse-dir", str(manifest_env.warehouse),
                                 "--date", "2026-10-20"])
    assert result.exit_code == 0, result.output
    assert "Headline KPIs for 2026-10-20 (local date, Asia/Shanghai UTC+08:00)" in result.output
    assert "UTC = " in result.output
    result = runner.invoke(app, ["summary", "--warehouse-dir", str(manifest_env.warehouse),
                                 "--date", "2020-01-01"])
    assert result.exit_code == 1
