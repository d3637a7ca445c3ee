"""Forecast and staffing marts end to end on generated sample data (planning-and-analysis.md).

One module-scoped warehouse: ten weeks of generated data (600 legs a day) landed, built and
published. Checks:
* the forecast beats seasonal naive on the rolling-origin backtest at every horizon 1-7
  (the issue's acceptance rule on the sample data);
* the published Erlang C staffing equals an independent reference (exact rational P_w,
  python_tests/erlang_reference.py) on every history interval of one queue;
* the forecast covers the horizon for every queue, the center mart sums the queues, and the
  `hotline staffing` command prints a forecast day and a past day.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import duckdb
import pytest
from erlang_reference import required_erlang_c
from typer.testing import CliRunner

from hotline.build import run_dbt
from hotline.cli import app
from hotline.devtools.generator import generate
from hotline.landing import land
from hotline.publish import publish

START = date(2026, 1, 5)
DAYS = 70
LEGS_PER_DAY = 600


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    from hotline.nightly import release_dbt_connections

    root = tmp_path_factory.mktemp("planning")
    generate(landing_dir=root / "landing", start_date=START, days=DAYS,
             contacts_per_day=LEGS_PER_DAY, seed=21)
    land(root / "landing", root / "warehouse")
    try:
        result = run_dbt(["build", "--quiet", "--exclude-resource-type", "test", "unit_test"],
                         root / "warehouse")
    finally:
        release_dbt_connections()
    assert result.success, result.failures
    publish(root / "warehouse", "planning-test")
    return root / "warehouse"


def _rows(warehouse, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_forecast_beats_seasonal_naive_at_every_horizon(warehouse):
    rows = _rows(warehouse, """
        select horizon_days, sum(abs_error_sum) / sum(actual_offered),
            sum(seasonal_naive_abs_error_sum) / sum(actual_offered), sum(intervals)
        from kpi_forecast_accuracy group by horizon_days order by horizon_days""")
    assert [row[0] for row in rows] == list(range(1, 8))
    for horizon, wape, naive, intervals in rows:
        assert intervals > 500, horizon
        assert wape < naive, (horizon, wape, naive)


def test_forecast_covers_the_horizon_for_every_queue(warehouse):
    queues = {q for (q,) in _rows(warehouse, "select distinct queue_id from fct_contacts "
                                             "where is_offered")}
    rows = _rows(warehouse, """
        select queue_id, count(distinct report_date), min(horizon_days), max(horizon_days),
            min(trained_through_date), sum(forecast_offered)
        from fct_forecast_queue_interval group by queue_id""")
    assert {row[0] for row in rows} == queues
    for _queue, days, low, high, trained, volume in rows:
        assert (days, low, high) == (14, 1, 14)
        # as_of is local midnight after the last day in Asia/Shanghai, 16:00 UTC of the last
        # day in the (default) UTC reporting zone: the last day is the as_of date
        assert trained == START + timedelta(days=DAYS - 1)
        assert volume > 0


def test_history_staffing_equals_the_reference(warehouse):
    rows = _rows(warehouse, """
        select offered, aht_seconds, service_level_seconds, service_level_target,
            required_agents, required_scheduled_agents, predicted_service_level,
            predicted_wait_probability, predicted_asa_seconds
        from kpi_staffing_interval
        where queue_id = 'Q_TECH' and not is_forecast and report_date >= ?""",
                  [START + timedelta(days=DAYS - 7)])
    assert len(rows) > 100
    for offered, aht, threshold, target, required, scheduled, sl, wait, asa in rows:
        expected = required_erlang_c(offered, aht, 1800, threshold, target, 0.85)
        assert required == expected.agents
        assert scheduled == math.ceil(round(required / 0.7, 9))
        assert sl == pytest.approx(expected.service_level, abs=2e-6)
        assert wait == pytest.approx(expected.wait_probability, abs=2e-6)
        assert asa == pytest.approx(expected.asa_seconds, abs=2e-6)


def test_center_required_sums_queues_and_flags_understaffing(warehouse):
    rows = _rows(warehouse, """
        with queues as (
            select interval_start_utc, sum(required_agents) as required
            from kpi_staffing_interval group by interval_start_utc
        )
        select count(*) filter (where c.required_agents <> coalesce(q.required, 0)),
            count(*) filter (where not c.is_forecast and c.understaffed),
            count(*) filter (where not c.is_forecast and not c.understaffed),
            count(*) filter (where c.is_forecast and c.staffed_agents is not null)
        from kpi_staffing_center_interval as c
        left join queues as q using (interval_start_utc)""")
    mismatched, short, covered, forecast_staffed = rows[0]
    assert mismatched == 0
    assert short > 0 and covered > 0  # staffing is sometimes short, not always
    assert forecast_staffed == 0


def test_staffing_command_prints_a_forecast_day_and_a_past_day(warehouse):
    runner = CliRunner()
    forecast = runner.invoke(app, ["staffing", "--warehouse-dir", str(warehouse),
                                   "--queue", "Q_BILLING"])
    assert forecast.exit_code == 0, forecast.output
    assert "forecast" in forecast.output and "UTC+00:00" in forecast.output
    assert str(START + timedelta(days=DAYS)) in forecast.output  # the day after as_of
    past_day = START + timedelta(days=DAYS - 3)
    past = runner.invoke(app, ["staffing", "--warehouse-dir", str(warehouse),
                               "--date", past_day.isoformat()])
    assert past.exit_code == 0, past.output
    assert "history" in past.output and "staffed agents" in past.output
    unknown = runner.invoke(app, ["staffing", "--warehouse-dir", str(warehouse),
                                  "--queue", "Q_NOPE"])
    assert unknown.exit_code == 1 and "unknown queue" in unknown.output


@pytest.mark.parametrize("dbt_vars, message", [
    ({"staffing_model": "erlang_b'; drop table x; --"},
     "staffing_model must be one of erlang_c, erlang_a"),
    ({"staffing_shrinkage": 1}, "staffing_shrinkage must be at most"),
    ({"forecast_horizon_days": "14; select 1"}, "forecast_horizon_days must be a whole number"),
])
def test_planning_vars_are_checked_before_they_reach_sql(warehouse, dbt_vars, message):
    from hotline.nightly import release_dbt_connections

    try:
        result = run_dbt(["compile", "--quiet", "--select", "kpi_staffing_interval",
                          "int_forecast_origins"], warehouse, dbt_vars)
    finally:
        release_dbt_connections()
    assert not result.success
    assert any(message in failure for failure in result.failures), result.failures
