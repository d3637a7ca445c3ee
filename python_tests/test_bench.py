"""The benchmark harness (hotline/devtools/bench.py): report structure only, never timings."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.devtools.bench import (
    Measure,
    SizeResult,
    evaluate_goals,
    main,
    parse_steps,
    replace_section,
    run_bench,
)

MEASURE_FIELDS = {"seconds", "peak_rss_mb", "rows", "legs", "status", "steps", "message",
                  "dbt_seconds", "slowest_nodes",
                  "rows_per_second", "legs_per_second"}


def test_parse_steps_reads_the_nightly_progress_lines():
    stderr = (
        "nightly 20260301T000000Z-abc on /tmp/wh\n"
        "✓ land     14 new file(s), 1,234 rows, 0 malformed lines, 0 already landed, "
        "0 failed (1.5 s)\n"
        "✗ build    300 dbt nodes, 1 failing test(s) (20.25 s)\n"
        "✓ audit    90 checks, 0 blocking, 1 warning(s) (7.0 s)\n"
    )
    assert parse_steps(stderr) == {"land": 1.5, "build": 20.25, "audit": 7.0}


def test_replace_section_keeps_the_other_sections():
    text = "# B\n\n<!-- bench:generator:start -->\nold gen\n<!-- bench:generator:end -->\n"
    text = replace_section(text, "nightly", "night 1")
    text = replace_section(text, "nightly", "night 2")
    assert "old gen" in text and "night 2" in text and "night 1" not in text
    assert text.count("<!-- bench:nightly:start -->") == 1


def test_every_goal_gets_a_verdict():
    def m(seconds, rss=100.0, status="published", land=None):
        return Measure(seconds, rss, 1000, 100, status,
                       steps={"land": land} if land is not None else {})

    main = SizeResult("main", 60, 20_000, m(20), m(80, land=25), m(30),
                      noop=m(5, status="unchanged"), edited=m(50),
                      rebuilt_models=["kpi_queue_interval", "kpi_alerts"])
    sizes = [SizeResult("half", 30, 20_000, m(10), m(40), m(4)), main,
             SizeResult("year", 365, 50_000, m(200), m(1700, rss=9000), m(45))]
    goals = {g["goal"].split(" (")[0]: g["verdict"] for g in evaluate_goals(sizes)}
    assert goals["full nightly ≤ 3× the landing floor"] == "NOT met"  # 80 / 20 = 4x
    assert goals["landing step ≤ 1.5× the landing floor"] == "met"  # 25 / 20
    assert goals["incremental nightly ≤ 10% of the full nightly"] == "NOT met"
    assert goals["nightly with nothing new ≤ 8 s"] == "met"
    assert goals["incremental nightly, 60 d vs 30 d of history ≤ ×1.1"] == "NOT met"  # 30 / 4
    assert goals["full nightly ≤ 30 min, peak RSS ≤ 8 GB"] == "NOT met"  # 9,000 MB
    assert goals["incremental nightly on a year of history ≤ 60 s"] == "met"
    edited = next(g for g in goals if g.startswith("nightly after editing"))
    assert goals[edited] == "met"  # 50 / 30 < 2x, two models rebuilt
    assert goals["peak memory ≤ 4 GB"] == "met"
    assert goals["full nightly cost grows linearly"] == "met"
    # a no-op night that built and published anyway does not meet the goal
    main.noop = m(5)
    goals = {g["goal"].split(" (")[0]: g["verdict"] for g in evaluate_goals(sizes)}
    assert goals["nightly with nothing new ≤ 8 s"] == "NOT met"


@pytest.mark.slow
def test_tiny_bench_reports_every_field(tmp_path: Path):
    report = run_bench(days=2, legs_per_day=200, workdir=tmp_path / "work",
                       echo=lambda *_: None)
    for key in ("cpu", "nproc", "memory", "python", "duckdb", "dbt-core", "date"):
        assert report["machine"][key]
    assert set(report["duckdb_settings"]) == {"dbt_memory_limit", "dbt_threads",
                                              "default_memory_limit"}
    assert [size["label"] for size in report["sizes"]] == ["half", "main"]
    for size in report["sizes"]:
        for kind in ("floor", "full", "incremental"):
            assert set(size[kind]) == MEASURE_FIELDS
            assert size[kind]["rows"] > 0
        assert size["full"]["status"] in {"published", "blocked", "failed"}
        if size["full"]["status"] == "published":
            assert set(size["full"]["steps"]) == {"land", "build", "audit", "publish"}
    main = report["sizes"][-1]
    for kind in ("noop", "edited"):
        assert set(main[kind]) == MEASURE_FIELDS
    assert main["noop"]["status"] in {"unchanged", "published", "blocked"}
    if main["edited"]["status"] == "published":
        assert "kpi_queue_interval" in main["rebuilt_models"]
    verdicts = {goal["verdict"] for goal in report["goals"]}
    assert len(report["goals"]) == 8 and verdicts <= {"met", "NOT met"}
    assert "## Nightly at scale" in report["sections"]["nightly"]
    assert "## Sample-data generator" in report["sections"]["generator"]


def test_only_generator_writes_only_its_section(tmp_path: Path):
    output = tmp_path / "BENCHMARKS.md"
    output.write_text("# B\n\n<!-- bench:nightly:start -->\nkept\n<!-- bench:nightly:end -->\n")
    assert main(["--only", "generator", "--days", "1", "--legs-per-day", "100",
                 "--output", str(output), "--workdir", str(tmp_path / "work")]) == 0
    text = output.read_text()
    assert "kept" in text and "## Sample-data generator" in text
    assert not (tmp_path / "work").exists()  # removed without --keep


def test_chunked_generation_keeps_ids_unique(tmp_path: Path, monkeypatch):
    import duckdb

    from hotline.devtools import bench

    monkeypatch.setattr(bench, "CHUNK_LEGS", 200)  # 100 legs/day -> chunks of 2 days
    result = bench.generate_source(str(tmp_path / "landing"), days=3, legs_per_day=100)
    files = sorted((tmp_path / "landing" / "telephony" / "contacts").glob("*.csv"))
    assert len(files) == 3 and result["rows"]["contacts"] > 0
    ids = duckdb.sql(
        f"select count(*), count(distinct contact_id) from read_csv({[str(f) for f in files]}, "
        "all_varchar = true)").fetchone()
    assert ids[0] == ids[1] == result["rows"]["contacts"]
    assert not (tmp_path / "landing-chunk").exists()


def test_forecast_and_staffing_seconds_are_reported_beside_the_resource_types(tmp_path):
    import json

    from hotline.devtools.bench import PLANNING_KEY, dbt_timings

    results = tmp_path / "run_results.json"
    results.write_text(json.dumps({"results": [
        {"unique_id": "model.hotline.int_staffing_required", "execution_time": 2.0},
        {"unique_id": "model.hotline.fct_contacts", "execution_time": 5.0},
        {"unique_id": "test.hotline.unique_combination_kpi_staffing_interval_q.1",
         "execution_time": 0.5},
    ]}))
    totals, _slowest = dbt_timings(results)
    assert totals == {"model": 7.0, "test": 0.5, PLANNING_KEY: 2.5}
