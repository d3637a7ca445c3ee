"""Regressions on the daily series of int_intervention_daily (one row per intervention x KPI).

A dbt Python model (dbt-duckdb runs it in the dbt process) so the fit stays inside the dbt
lineage and is rebuilt whenever its input is. The statistics live in hotline/analysis_stats.py
(statsmodels), tested against published examples; this file is only the glue. Difference-in-
differences: WLS of the daily value on treated, post and treated x post, weighted by the daily
denominator, Driscoll-Kraay (HAC over days) standard errors. Interrupted time series: WLS of
the treated daily value on time, level and trend change (plus weekday effects over >= 21 days),
Newey-West standard errors. DECISIONS.md, "Interventions", has the specification and sources.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from hotline.analysis_stats import intervention_regressions
    from hotline.dbt_python import from_arrow, to_pandas

    daily = to_pandas(dbt.ref("int_intervention_daily"))  # DuckDB or Spark
    return from_arrow(intervention_regressions(daily), session)
