"""End to end: a planted intervention in generated data is found by the published marts.

Seeded and deterministic: `hotline generate --plant-intervention` halves the after-contact
work of 技术支持 (Q_TECH) from day 7 and adds day-shift agents there. The expected effect on
Technical's AHT is known from the generator's parameters (demo_expected_aht_effect_seconds);
the difference-in-differences of the published mart must contain it in its 95 % confidence
interval, and the demo seed must resolve to the planted date.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from hotline.devtools.generator import (
    DEMO_INTERVENTION_OFFSET_DAYS,
    demo_expected_aht_effect_seconds,
)

START = date(2026, 3, 2)
pytestmark = pytest.mark.slow


def _hotline(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hotline.cli", *args], capture_output=True,
                          text=True, env=env, check=False, timeout=900)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("planted")
    env = {**os.environ, "HOTLINE_PII_SALT": "test-salt",
           "DBT_TARGET_PATH": str(root / "target"), "DBT_LOG_PATH": str(root / "logs")}
    generated = _hotline("generate", "--landing-dir", str(root / "landing"), "--start-date",
                         START.isoformat(), "--days", "21", "--contacts-per-day", "2000",
                         "--seed", "12", "--plant-intervention", env=env)
    assert generated.returncode == 0, generated.stderr
    nightly = _hotline("nightly", "--landing-dir", str(root / "landing"), "--warehouse-dir",
                       str(root / "warehouse"), env=env)
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    return root / "warehouse"


def _effect(warehouse: Path, kpi_name: str) -> dict:
    con = duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True)
    try:
        cursor = con.execute("select * from analysis_intervention_effects where kpi_name = ?",
                             [kpi_name])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    assert len(rows) == 1
    return rows[0]


def test_demo_seed_resolves_to_the_planted_day(published):
    row = _effect(published, "aht_seconds")
    assert row["intervention_id"] == "demo_tech_extra_shift"
    assert row["start_date"] == START + timedelta(days=DEMO_INTERVENTION_OFFSET_DAYS)
    assert row["control_queue_ids"] == "Q_BILLING;Q_SALES;Q_VIP"  # other voice queues
    assert (row["days_pre"], row["days_post"]) == (7, 14)


def test_planted_aht_effect_is_inside_the_confidence_interval(published):
    row = _effect(published, "aht_seconds")
    truth = demo_expected_aht_effect_seconds()
    assert row["did_ci_low"] < truth < row["did_ci_high"], row
    assert row["did_p_value"] < 0.05
    # the interval is informative, not a catch-all
    assert row["did_ci_high"] - row["did_ci_low"] < abs(truth)


def test_extra_shift_shortens_waits(published):
    row = _effect(published, "avg_wait_seconds")
    assert row["treated_post"] < row["treated_pre"]
    assert row["did_estimate"] < 0


def test_drivers_find_wait_transfers_and_repeats(published):
    con = duckdb.connect(str(published / "serving.duckdb"), read_only=True)
    try:
        rows = {r[0]: r for r in con.execute(
            "select term, odds_ratio, ci_high, reason from analysis_csat_drivers").fetchall()}
        wait_rows = con.execute(
            "select level, csat_rate from analysis_csat_by_factor where factor = 'wait_bucket' "
            "order by level_order").fetchall()
    finally:
        con.close()
    for term in ("wait_minutes", "transferred", "is_repeat"):
        assert rows[term][3] is None and rows[term][2] < 1.0, rows[term]  # odds ratio CI < 1
    assert wait_rows[0][1] > wait_rows[-1][1]  # 0-19 s more satisfied than 180+ s


def test_evaluate_prints_the_effects_in_plain_words(published):
    result = _hotline("evaluate", "--warehouse-dir", str(published), env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert "Average wait in 技术支持 Technical fell from" in result.stdout
    assert "estimated effect" in result.stdout and "other queues" in result.stdout
    unknown = _hotline("evaluate", "--warehouse-dir", str(published), "--intervention", "nope",
                       env=dict(os.environ))
    assert unknown.returncode == 2 and "demo_tech_extra_shift" in unknown.stderr
