"""The generator's optional planted intervention (DECISIONS.md, "Interventions")."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from hotline.devtools.generator import (
    DEMO_ACW_FACTOR,
    DEMO_INTERVENTION_OFFSET_DAYS,
    DEMO_TREATED_QUEUE,
    generate,
)

START = date(2026, 3, 2)


def _rows(landing: Path, folder: str) -> list[dict]:
    rows: list[dict] = []
    for path in sorted((landing / folder).glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def _acw_means(landing: Path, start_day: date) -> dict[tuple[str, bool], float]:
    sums: dict[tuple[str, bool], list[float]] = {}
    for row in _rows(landing, "telephony/contacts"):
        if not row["answered_at"] or not row["enqueued_at"] or not row["acw_seconds"]:
            continue
        after = date.fromisoformat(row["enqueued_at"][:10]) >= start_day
        sums.setdefault((row["queue_id"], after), []).append(float(row["acw_seconds"]))
    return {key: sum(values) / len(values) for key, values in sums.items()}


def test_plant_hires_technical_agents_and_shortens_wrap_up(tmp_path):
    plain, planted = tmp_path / "plain", tmp_path / "planted"
    generate(plain, START, 10, 600, seed=3)
    generate(planted, START, 10, 600, seed=3, plant_intervention=True)
    start_day = START + timedelta(days=DEMO_INTERVENTION_OFFSET_DAYS)
    agents_plain = {r["agent_id"] for r in _rows(plain, "telephony/agents")}
    new = [r for r in _rows(planted, "telephony/agents") if r["agent_id"] not in agents_plain]
    assert new, "the planted roster adds agents"
    assert {r["hire_date"] for r in new} == {start_day.isoformat()}
    assert {r["team"].split("-")[0] for r in new} == {"Technical"}
    means = _acw_means(planted, start_day)
    ratio = means[(DEMO_TREATED_QUEUE, True)] / means[(DEMO_TREATED_QUEUE, False)]
    assert abs(ratio - DEMO_ACW_FACTOR) < 0.15
    control = means[("Q_BILLING", True)] / means[("Q_BILLING", False)]
    assert abs(control - 1.0) < 0.15


def test_without_the_option_nothing_is_planted(tmp_path):
    generate(tmp_path, START, 10, 600, seed=3)
    start_day = START + timedelta(days=DEMO_INTERVENTION_OFFSET_DAYS)
    means = _acw_means(tmp_path, start_day)
    ratio = means[(DEMO_TREATED_QUEUE, True)] / means[(DEMO_TREATED_QUEUE, False)]
    assert abs(ratio - 1.0) < 0.15
