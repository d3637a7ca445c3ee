"""Regressions behind the analysis marts (spec planning-and-analysis.md), fitted with statsmodels.

Called from the dbt Python models in models/intermediate/analysis/; everything that can be
computed exactly from numerators and denominators (pooled pre/post values, the
difference-in-differences point estimate, the factor tables) is SQL. This module only adds
what needs a model fit: standard errors and p-values of the difference-in-differences, the
interrupted-time-series level and slope changes, and the logistic regression of satisfaction.
The model specifications and their sources are in DECISIONS.md, "Interventions" and
"Drivers of satisfaction"; the fits are checked against published worked examples in
python_tests/test_analysis_stats.py.

A fit that cannot be made (too little data, a singular design, separation) never raises:
it returns nulls and a reason, so a nightly never fails on an analysis.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

# Standard errors below this share of the outcome's scale are floating-point noise of an exact
# fit (e.g. constant series): reported as exactly 0.
_EXACT_FIT_TOLERANCE = 1e-9
MIN_DRIVER_RESPONSES = 50  # spec: fewer responses give nulls and a reason
CONFIDENCE_LEVEL = 0.95


def hac_maxlags(n_periods: int) -> int:
    """Newey-West truncation lag m = floor(0.75 * T^(1/3)) (Stock & Watson's rule of thumb)."""
    if n_periods <= 1:
        return 0
    return int(math.floor(0.75 * n_periods ** (1.0 / 3.0)))


@dataclass
class Coefficient:
    estimate: float | None = None
    std_error: float | None = None
    p_value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


def _clean(value: float, scale: float) -> float:
    """A finite float; magnitudes below the exact-fit tolerance of `scale` become 0."""
    value = float(value)
    return 0.0 if abs(value) <= _EXACT_FIT_TOLERANCE * max(scale, 1.0) else value


def _coefficient(result, name: str, scale: float) -> Coefficient:
    """Estimate, standard error, two-sided p-value and 95 % CI of one regression term.

    The p-value and CI use Student's t with the regression's residual degrees of freedom
    (n - k) whatever the covariance estimator: statsmodels would use the number of clusters
    minus one for the grouped HAC (1 with two groups), which is not what a daily panel has.
    With a zero standard error (a perfect fit) the p-value is 0 for a non-zero estimate and
    undefined (null) for a zero one; statsmodels would return nan or a noise-driven value.
    """
    from scipy import stats

    estimate = _clean(result.params[name], scale)
    std_error = _clean(result.bse[name], scale)
    if not (math.isfinite(estimate) and math.isfinite(std_error)):
        return Coefficient()
    if std_error == 0.0:
        p_value = None if estimate == 0.0 else 0.0
        return Coefficient(estimate, 0.0, p_value, estimate, estimate)
    df = float(result.df_resid)
    t_value = estimate / std_error
    p_value = float(2 * stats.t.sf(abs(t_value), df))
    margin = float(stats.t.ppf(0.5 + CONFIDENCE_LEVEL / 2, df)) * std_error
    return Coefficient(estimate, std_error, p_value, estimate - margin, estimate + margin)


def _full_rank(design: pd.DataFrame) -> bool:
    return np.linalg.matrix_rank(design.to_numpy(dtype=float)) == design.shape[1]


def _wls(outcome: pd.Series, design: pd.DataFrame, weights: pd.Series, cov: str,
         cov_kwds: dict | None):
    import statsmodels.api as sm

    model = sm.WLS(outcome.to_numpy(dtype=float), design, weights=weights.to_numpy(dtype=float))
    return model.fit(cov_type=cov, cov_kwds=cov_kwds or None, use_t=True)


# ---------------------------------------------------------------------------------------
# Difference-in-differences and interrupted time series on daily series


def fit_did(frame: pd.DataFrame, cov: str = "hac") -> tuple[Coefficient, str | None]:
    """Difference-in-differences: y = b0 + b1 treated + b2 post + d treated*post.

    `frame` has one row per observation with columns `treated` (0/1), `post` (0/1), `value`,
    `weight` and, for cov='hac', `time` (integer period). Weighted least squares with the
    daily denominators as weights makes d equal the difference of the pooled (numerator /
    denominator) means, i.e. the SQL point estimate. cov='hac': Driscoll-Kraay standard
    errors (Newey-West over days of the scores summed across both groups), robust to
    heteroskedasticity, to shocks common to both groups on a day and to serial correlation;
    cov='nonrobust': the classical OLS/WLS formula (used to reproduce textbook examples).
    Returns the interaction coefficient and a reason when it cannot be estimated.
    """
    data = frame.dropna(subset=["value", "weight"])
    data = data[data["weight"] > 0]
    cells = data.groupby(["treated", "post"]).size()
    if len(cells) < 4:
        return Coefficient(), "empty_window" if data.empty else "missing_group_or_period"
    if len(data) <= 4:
        return Coefficient(), "too_few_days"
    design = pd.DataFrame({
        "intercept": 1.0,
        "treated": data["treated"].astype(float),
        "post": data["post"].astype(float),
        "treated_post": (data["treated"] * data["post"]).astype(float),
    }, index=data.index)
    if not _full_rank(design):
        return Coefficient(), "singular_fit"
    cov_kwds = None
    cov_type = "nonrobust"
    if cov == "hac":
        cov_type = "hac-groupsum"
        time = data["time"].astype(int)
        cov_kwds = {"time": (time - time.min()).to_numpy(),
                    "maxlags": hac_maxlags(time.nunique())}
    try:
        result = _wls(data["value"], design, data["weight"], cov_type, cov_kwds)
    except (np.linalg.LinAlgError, ValueError):
        return Coefficient(), "singular_fit"
    scale = float(data["value"].abs().max())
    coefficient = _coefficient(result, "treated_post", scale)
    if coefficient.estimate is None:
        return coefficient, "singular_fit"
    return coefficient, None


def its_design(day_index: pd.Series, weekday: pd.Series | None) -> pd.DataFrame:
    """Segmented regression terms (Wagner et al. 2002) for days relative to the start date.

    time = day_index (0 on the start date), level = 1 from the start date, trend_change =
    day_index on and after the start date (0 before): the level coefficient is the jump at the
    start date, the trend_change coefficient the change of the daily slope. Optional weekday
    dummies (Monday the reference).
    """
    post = (day_index >= 0).astype(float)
    design = pd.DataFrame({
        "intercept": 1.0,
        "time": day_index.astype(float),
        "level": post,
        "trend_change": day_index.astype(float) * post,
    }, index=day_index.index)
    if weekday is not None:
        for day in range(1, 7):
            design[f"weekday_{day}"] = (weekday == day).astype(float)
    return design


def fit_its(frame: pd.DataFrame, cov: str = "hac", weekday_effects: bool | None = None
            ) -> tuple[Coefficient, Coefficient, str | None]:
    """Interrupted time series on one daily series: level and slope change at day 0.

    `frame` has `day_index` (days from the start date), `value`, `weight` and `weekday`
    (0 = Monday). WLS with the daily denominators as weights; weekday effects when the
    series spans at least 21 days (three of each weekday) unless told otherwise; Newey-West
    (HAC) standard errors with hac_maxlags(days) for cov='hac'.
    Needs two days before and two days from the start (a slope on each side) and more days
    than terms; otherwise nulls and a reason.
    """
    data = frame.dropna(subset=["value", "weight"])
    data = data[data["weight"] > 0].sort_values("day_index")
    pre, post = int((data["day_index"] < 0).sum()), int((data["day_index"] >= 0).sum())
    if pre == 0 and post == 0:
        return Coefficient(), Coefficient(), "empty_window"
    if pre < 2 or post < 2:
        return Coefficient(), Coefficient(), "too_few_days"
    if weekday_effects is None:
        weekday_effects = len(data) >= 21
    design = its_design(data["day_index"], data["weekday"] if weekday_effects else None)
    if len(data) <= design.shape[1]:
        return Coefficient(), Coefficient(), "too_few_days"
    if not _full_rank(design):
        return Coefficient(), Coefficient(), "singular_fit"
    cov_type = "HAC" if cov == "hac" else "nonrobust"
    cov_kwds = {"maxlags": hac_maxlags(len(data))} if cov == "hac" else None
    try:
        result = _wls(data["value"], design, data["weight"], cov_type, cov_kwds)
    except (np.linalg.LinAlgError, ValueError):
        return Coefficient(), Coefficient(), "singular_fit"
    scale = float(data["value"].abs().max())
    level = _coefficient(result, "level", scale)
    slope = _coefficient(result, "trend_change", scale)
    if level.estimate is None or slope.estimate is None:
        return Coefficient(), Coefficient(), "singular_fit"
    return level, slope, None


REGRESSION_COLUMNS = {
    "intervention_id": pa.string(),
    "kpi_name": pa.string(),
    "did_regression_estimate": pa.float64(),
    "did_std_error": pa.float64(),
    "did_p_value": pa.float64(),
    "did_ci_low": pa.float64(),
    "did_ci_high": pa.float64(),
    "did_days": pa.int64(),
    "did_reason": pa.string(),
    "its_level_change": pa.float64(),
    "its_level_std_error": pa.float64(),
    "its_level_p_value": pa.float64(),
    "its_slope_change": pa.float64(),
    "its_slope_std_error": pa.float64(),
    "its_slope_p_value": pa.float64(),
    "its_days": pa.int64(),
    "its_reason": pa.string(),
}


def intervention_regressions(daily: pd.DataFrame) -> pa.Table:
    """One row per (intervention_id, kpi_name) of int_intervention_daily.

    `daily` has intervention_id, group_name ('treated' / 'control'), kpi_name, report_date,
    day_index, numerator, denominator, kpi_value. Rows are sorted first, so the same input
    gives bit-identical output whatever order the database returned it in.
    """
    rows: list[dict] = []
    if daily.empty:
        return pa.Table.from_pylist([], schema=pa.schema(REGRESSION_COLUMNS))
    data = daily.copy()
    data["report_date"] = pd.to_datetime(data["report_date"])
    data = data.sort_values(["intervention_id", "kpi_name", "group_name", "report_date"])
    data["value"] = data["kpi_value"].astype(float)
    data["weight"] = data["denominator"].astype(float)
    data["treated"] = (data["group_name"] == "treated").astype(int)
    data["post"] = (data["day_index"] >= 0).astype(int)
    data["time"] = data["day_index"].astype(int)
    data["weekday"] = data["report_date"].dt.day_of_week
    for (intervention_id, kpi_name), series in data.groupby(
            ["intervention_id", "kpi_name"], sort=True):
        row: dict = {"intervention_id": intervention_id, "kpi_name": kpi_name}
        has_control = (series["group_name"] == "control").any()
        if has_control:
            did, reason = fit_did(series)
            usable = series.dropna(subset=["value"])
            row.update(did_regression_estimate=did.estimate, did_std_error=did.std_error,
                       did_p_value=did.p_value, did_ci_low=did.ci_low,
                       did_ci_high=did.ci_high, did_reason=reason,
                       did_days=int(usable[usable["weight"] > 0]["report_date"].nunique()))
        else:
            row.update(did_reason="no_control_group", did_days=0)
        treated = series[series["group_name"] == "treated"]
        level, slope, reason = fit_its(treated)
        usable = treated.dropna(subset=["value"])
        row.update(its_level_change=level.estimate, its_level_std_error=level.std_error,
                   its_level_p_value=level.p_value, its_slope_change=slope.estimate,
                   its_slope_std_error=slope.std_error, its_slope_p_value=slope.p_value,
                   its_reason=reason, its_days=int((usable["weight"] > 0).sum()))
        rows.append(row)
    complete = [{name: row.get(name) for name in REGRESSION_COLUMNS} for row in rows]
    return pa.Table.from_pylist(complete, schema=pa.schema(REGRESSION_COLUMNS))


# ---------------------------------------------------------------------------------------
# Logistic regression of satisfaction


DRIVER_TERMS = ("intercept", "wait_minutes", "handle_minutes", "transferred", "is_repeat")


def driver_design(responses: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """Design matrix of the CSAT driver model and the reference channel.

    Terms: intercept, wait_minutes, handle_minutes, transferred (0/1), is_repeat (0/1) and one
    dummy `channel_<name>` per channel other than the reference channel, which is the most
    frequent one (ties: alphabetical), so the intercept describes the typical contact.
    """
    design = pd.DataFrame({
        "intercept": 1.0,
        "wait_minutes": responses["wait_minutes"].astype(float),
        "handle_minutes": responses["handle_minutes"].astype(float),
        "transferred": responses["is_transferred"].astype(bool).astype(float),
        "is_repeat": responses["is_repeat"].astype(bool).astype(float),
    }, index=responses.index)
    channels = responses["channel"].fillna("unknown").astype(str)
    counts = channels.value_counts()
    if counts.empty:
        return design, None
    reference = sorted(counts.index, key=lambda name: (-counts[name], name))[0]
    for name in sorted(counts.index):
        if name != reference:
            design[f"channel_{name}"] = (channels == name).astype(float)
    return design, reference


def fit_logit(outcome: pd.Series, design: pd.DataFrame,
              min_rows: int = MIN_DRIVER_RESPONSES) -> tuple[dict[str, Coefficient], str | None]:
    """Maximum-likelihood logit of a 0/1 outcome on the design's columns (statsmodels).

    Returns one Coefficient per column (log-odds scale; 95 % Wald CIs) or, when the model
    cannot be fitted, empty Coefficients and a reason: too_few_responses (< min_rows),
    no_variation (every outcome equal), singular_fit (collinear terms or a singular
    information matrix), perfect_separation, did_not_converge.
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    empty = {name: Coefficient() for name in design.columns}
    if len(design) < min_rows:
        return empty, "too_few_responses"
    y = outcome.astype(float).to_numpy()
    if y.min() == y.max():
        return empty, "no_variation"
    if not _full_rank(design):
        return empty, "singular_fit"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = sm.Logit(y, design).fit(disp=0, maxiter=200)
        except np.linalg.LinAlgError:
            return empty, "singular_fit"
        except Exception as exc:  # statsmodels raises PerfectSeparationError in some versions
            if "separation" in type(exc).__name__.lower() or "separation" in str(exc).lower():
                return empty, "perfect_separation"
            raise
    categories = [w.category for w in caught]
    with np.errstate(over="ignore"):  # exp overflow of separated fits: probabilities 0 / 1
        fitted = np.asarray(result.predict())
    separated = fitted[y == 1].min() > fitted[y == 0].max()  # a cut classifies every case
    if separated or any(issubclass(category, PerfectSeparationWarning)
                        for category in categories):
        return empty, "perfect_separation"
    if not result.mle_retvals.get("converged", True) or any(
            issubclass(category, ConvergenceWarning) for category in categories):
        return empty, "did_not_converge"
    coefficients: dict[str, Coefficient] = {}
    low_high = result.conf_int(alpha=1 - CONFIDENCE_LEVEL)
    for name in design.columns:
        estimate, std_error = float(result.params[name]), float(result.bse[name])
        if not (math.isfinite(estimate) and math.isfinite(std_error)) or std_error <= 0:
            return empty, "singular_fit"
        coefficients[name] = Coefficient(estimate, std_error, float(result.pvalues[name]),
                                         float(low_high.loc[name, 0]),
                                         float(low_high.loc[name, 1]))
    return coefficients, None


DRIVER_COLUMNS = {
    "term": pa.string(),
    "term_order": pa.int64(),
    "coefficient": pa.float64(),
    "std_error": pa.float64(),
    "odds_ratio": pa.float64(),
    "ci_low": pa.float64(),
    "ci_high": pa.float64(),
    "p_value": pa.float64(),
    "n_responses": pa.int64(),
    "n_satisfied": pa.int64(),
    "reference_channel": pa.string(),
    "reason": pa.string(),
}


def _exp(value: float | None) -> float | None:
    if value is None:
        return None
    try:
        return math.exp(value)
    except OverflowError:
        return math.inf


def csat_drivers(responses: pd.DataFrame) -> pa.Table:
    """One row per term of the driver model (int_csat_driver_responses in the window).

    `responses` has response_id, is_satisfied, wait_minutes, handle_minutes, is_transferred,
    is_repeat, channel. odds_ratio = exp(coefficient); ci_low / ci_high are the 95 %
    confidence bounds of the odds ratio (exp of the coefficient's Wald bounds).
    """
    data = responses.sort_values("response_id").reset_index(drop=True)
    design, reference = driver_design(data)
    coefficients, reason = fit_logit(data["is_satisfied"], design)
    rows = []
    satisfied = int(data["is_satisfied"].astype(bool).sum()) if len(data) else 0
    for order, term in enumerate(design.columns, start=1):
        c = coefficients[term]
        rows.append({
            "term": term, "term_order": order, "coefficient": c.estimate,
            "std_error": c.std_error, "odds_ratio": _exp(c.estimate),
            "ci_low": _exp(c.ci_low), "ci_high": _exp(c.ci_high), "p_value": c.p_value,
            "n_responses": len(data), "n_satisfied": satisfied,
            "reference_channel": reference, "reason": reason,
        })
    return pa.Table.from_pylist(rows, schema=pa.schema(DRIVER_COLUMNS))
