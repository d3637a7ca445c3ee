"""`hotline evaluate`: the intervention effects of the published file, in plain words.

Reads `<warehouse-dir>/serving.duckdb` read-only (analysis_intervention_effects, and
dim_queues for queue names) and prints one sentence per KPI, e.g.

    Average wait in 技术支持 Technical fell from 60 s to 26 s after 'extra day shift'
    (2026-03-09); other queues fell 5 s; estimated effect -29 s ± 30 s, p = 0.06

Nothing here computes a statistic: every number is a column of the mart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from hotline.settings import Warehouse

EFFECTS_TABLE = "analysis_intervention_effects"
KPI_LABELS = {
    "service_level": "Service level",
    "answer_rate": "Answer rate",
    "abandon_rate": "Abandon rate",
    "avg_wait_seconds": "Average wait",
    "aht_seconds": "Average handle time",
    "fcr_rate": "First-contact resolution",
    "repeat_contact_rate": "Repeat-contact rate",
    "csat_rate": "CSAT",
}


class EvaluateError(RuntimeError):
    """No published effects, or an unknown intervention (exit_code says which)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Effect:
    intervention_id: str
    kpi_name: str
    intervention_name: str | None
    start_date: object
    scope_type: str | None
    scope_id: str | None
    scope_label: str
    treated_pre: float | None
    treated_post: float | None
    control_pre: float | None
    control_post: float | None
    did_estimate: float | None
    did_ci_low: float | None
    did_ci_high: float | None
    did_p_value: float | None
    its_level_change: float | None
    its_level_std_error: float | None
    its_slope_change: float | None
    days_pre: int
    days_post: int
    control_queue_ids: str | None


def _is_seconds(kpi_name: str) -> bool:
    return kpi_name.endswith("_seconds")


def format_value(value: float, kpi_name: str) -> str:
    return f"{value:,.0f} s" if _is_seconds(kpi_name) else f"{value:.1%}"


def format_change(value: float, kpi_name: str, signed: bool = False) -> str:
    """A difference: seconds, or percentage points for rates."""
    sign = ("+" if value > 0 else "−" if value < 0 else "") if signed else ""
    magnitude = abs(value)
    if _is_seconds(kpi_name):
        return f"{sign}{magnitude:,.0f} s"
    return f"{sign}{magnitude * 100:.1f} pp"


def format_p(p_value: float | None) -> str:
    if p_value is None:
        return "p not defined"
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {p_value:.3f}" if p_value < 0.01 else f"p = {p_value:.2f}"


def _movement(before: float, after: float, kpi_name: str) -> str:
    change = after - before
    if format_change(change, kpi_name) in ("0 s", "0.0 pp"):
        return "did not change"
    verb = "rose" if change > 0 else "fell"
    return f"{verb} {format_change(change, kpi_name)}"


def sentence(effect: Effect) -> str:
    """One plain-language line for an intervention x KPI row."""
    label = KPI_LABELS.get(effect.kpi_name, effect.kpi_name)
    name = effect.intervention_name or effect.intervention_id
    when = f"'{name}' ({effect.start_date})"
    after = f"after {when}"
    if effect.treated_pre is None or effect.treated_post is None:
        missing = "before" if effect.treated_pre is None else "after"
        return f"{label} in {effect.scope_label}: no data {missing} {when}"
    pre, post = effect.treated_pre, effect.treated_post
    change = post - pre
    if format_change(change, effect.kpi_name) in ("0 s", "0.0 pp"):
        text = f"{label} in {effect.scope_label} stayed at {format_value(post, effect.kpi_name)}"
    else:
        verb = "rose" if change > 0 else "fell"
        text = (f"{label} in {effect.scope_label} {verb} from "
                f"{format_value(pre, effect.kpi_name)} to {format_value(post, effect.kpi_name)}")
    parts = [f"{text} {after}"]
    if effect.control_pre is not None and effect.control_post is not None:
        moved = _movement(effect.control_pre, effect.control_post, effect.kpi_name)
        parts.append(f"other queues {moved}")
    if effect.did_estimate is not None:
        estimate = f"estimated effect {format_change(effect.did_estimate, effect.kpi_name, True)}"
        if effect.did_ci_low is not None and effect.did_ci_high is not None:
            half = (effect.did_ci_high - effect.did_ci_low) / 2
            estimate += f" ± {format_change(half, effect.kpi_name)}"
        parts.append(f"{estimate}, {format_p(effect.did_p_value)}")
    elif effect.its_level_change is not None:
        level = format_change(effect.its_level_change, effect.kpi_name, True)
        slope = format_change(effect.its_slope_change or 0.0, effect.kpi_name, True)
        parts.append(f"no control group; level change at the start {level}, "
                     f"trend change {slope} per day")
    return "; ".join(parts) + f" [{effect.days_pre} + {effect.days_post} days]"


def _scope_label(con: duckdb.DuckDBPyConnection, scope_type: str | None,
                 scope_id: str | None) -> str:
    if scope_type == "center":
        return "the whole center"
    if scope_type == "channel":
        return f"the {scope_id} channel"
    has_dim = con.execute(
        "select count(*) from information_schema.tables where table_name = 'dim_queues'"
    ).fetchone()[0]
    if has_dim:
        row = con.execute("select queue_name from dim_queues where queue_id = ?",
                          [scope_id]).fetchone()
        if row and row[0]:
            return str(row[0])
    return str(scope_id)


def load_effects(warehouse: Warehouse | Path, intervention_id: str | None = None) -> list[Effect]:
    """Rows of the published effects mart (optionally one intervention), in display order."""
    path = Warehouse.of(warehouse).serving
    if not path.exists():
        raise EvaluateError(f"{path} does not exist: run `hotline nightly` first")
    con = Warehouse.connect_file(path, read_only=True)
    try:
        exists = con.execute(
            "select count(*) from information_schema.tables where table_name = ?",
            [EFFECTS_TABLE]).fetchone()[0]
        if not exists:
            raise EvaluateError(f"{path} has no {EFFECTS_TABLE} (published before this "
                                "version): run `hotline nightly` again")
        where = "where intervention_id = ?" if intervention_id else ""
        cursor = con.execute(
            f"select * from {EFFECTS_TABLE} {where} "
            "order by start_date, intervention_id, kpi_order",
            [intervention_id] if intervention_id else [])
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        if intervention_id and not rows:
            known = [r[0] for r in con.execute(
                f"select distinct intervention_id from {EFFECTS_TABLE} order by 1").fetchall()]
            raise EvaluateError(f"no intervention {intervention_id!r}; known: "
                                + (", ".join(known) or "none"), 2)
        labels: dict[tuple, str] = {}
        effects = []
        for row in rows:
            key = (row["scope_type"], row["scope_id"])
            if key not in labels:
                labels[key] = _scope_label(con, *key)
            effects.append(Effect(
                scope_label=labels[key],
                **{field: row.get(field) for field in Effect.__dataclass_fields__
                   if field != "scope_label"}))
        return effects
    finally:
        con.close()


def evaluate_lines(warehouse: Warehouse | Path, intervention_id: str | None = None) -> list[str]:
    effects = load_effects(warehouse, intervention_id)
    if not effects:
        return ["No interventions are recorded (seeds/interventions.csv is empty)."]
    lines: list[str] = []
    current = None
    for effect in effects:
        if effect.intervention_id != current:
            current = effect.intervention_id
            control = (f"control queues {effect.control_queue_ids.replace(';', ', ')}"
                       if effect.control_queue_ids else "no control group")
            if lines:
                lines.append("")
            lines.append(f"{effect.intervention_id}: '{effect.intervention_name}' from "
                         f"{effect.start_date} in {effect.scope_label} ({control})")
        lines.append("  " + sentence(effect))
    return lines
