"""Logistic regression of CSAT satisfaction (score >= 4) on its drivers (one row per term).

A dbt Python model over int_csat_driver_responses (the responses of the training window); the
fit is hotline/analysis_stats.py csat_drivers() (statsmodels Logit), validated against Greene's
published Spector & Mazzeo example. Under 50 responses, no variation, a singular design or
separation give one row per term with null estimates and a reason instead of an error.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from hotline.analysis_stats import csat_drivers
    from hotline.dbt_python import from_arrow, to_pandas

    responses = to_pandas(dbt.ref("int_csat_driver_responses"))  # DuckDB or Spark
    return from_arrow(csat_drivers(responses[responses["is_in_training_window"]]), session)
