"""Spark beside DuckDB: build times of the same data (make bench-spark -> BENCHMARKS.md).

For each size, in a child process of its own (a SparkSession's warehouse and metastore are
fixed for the life of its JVM): a dirty generated set is split into two nights (every day but
the last, then the last day), landed once per night, and built by DuckDB and by Spark
(local[2], the profile's settings) exactly as `make test-spark` does: seeds and models, no
tests; night 1 with --full-refresh, night 2 incremental. Reported: wall-clock seconds of each
step (the Spark session's start, the raw export and registration, each build, the mirror back
into DuckDB). The machine may be shared: see the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BUILD = ["build", "--quiet", "--exclude-resource-type", "test", "unit_test"]
START = date(2026, 3, 7)
VARS = {"reporting_timezone": "America/New_York", "source_timezone": "Asia/Shanghai"}
SECTION = "spark"
MODULE = "hotline.devtools.bench_spark"


def _split_nights(source: Path, root: Path, days: int) -> dict[int, Path]:
    nights = {1: root / "night1", 2: root / "night2"}
    last = date.fromordinal(START.toordinal() + days - 1).isoformat()
    for path in sorted(source.rglob("*.csv")):
        night = 2 if last in path.name else 1
        target = nights[night] / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return nights


def measure_size(days: int, legs_per_day: int, workdir: Path) -> dict:
    """One size, in this process: returns {step: seconds} per night and the row counts."""
    from hotline.build import run_dbt
    from hotline.devtools.generator import generate
    from hotline.landing import land
    from hotline.nightly import release_dbt_connections
    from hotline.spark import export_raw, mirror_to_duckdb, register_raw, run_spark_dbt
    from hotline.spark import spark_session as start_session

    source = workdir / "generated"
    generate(landing_dir=source, start_date=START, days=days, contacts_per_day=legs_per_day,
             seed=17, dirty=True, plant_intervention=True)
    nights = _split_nights(source, workdir, days)
    landing, warehouse = workdir / "landing", workdir / "warehouse"
    targets = {"duckdb": workdir / "target-duckdb", "spark": workdir / "target-spark"}
    report: dict = {"days": days, "legs_per_day": legs_per_day, "nights": {}}

    def timed(step: str, steps: dict, function, *args, **kwargs):
        began = time.monotonic()
        result = function(*args, **kwargs)
        steps[step] = round(time.monotonic() - began, 1)
        return result

    for night in (1, 2):
        steps: dict[str, float] = {}
        for path in sorted(nights[night].rglob("*.csv")):
            target = landing / path.relative_to(nights[night])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        landed = timed("land", steps, land, landing, warehouse)
        steps["rows landed"] = landed.rows_loaded
        full = ["--full-refresh"] if night == 1 else []
        os.environ["DBT_TARGET_PATH"] = str(targets["duckdb"])
        try:
            result = timed("duckdb build", steps, run_dbt, [*BUILD, *full], warehouse, VARS)
        finally:
            release_dbt_connections()
        if not result.success:
            raise RuntimeError(f"DuckDB build failed: {result.failures[:3]}")
        os.environ["DBT_TARGET_PATH"] = str(targets["spark"])
        if night == 1:
            timed("spark session start", steps, start_session, warehouse)
        export = timed("raw export", steps, export_raw, warehouse)
        timed("raw registration", steps, register_raw, start_session(warehouse), export)
        result = timed("spark build", steps, run_spark_dbt, [*BUILD, *full], warehouse, VARS)
        if not result.success:
            raise RuntimeError(f"Spark build failed: {result.failures[:3]}")
        timed("mirror", steps, mirror_to_duckdb, warehouse,
              target_db=warehouse / "spark-mirror.duckdb")
        report["nights"][night] = steps
    return report


def render_section(machine: dict[str, str], reports: list[dict]) -> str:
    lines = ["## Spark beside DuckDB (build time of the same data)", "",
             "Written by `make bench-spark` (`python -m hotline.devtools.bench_spark`).", ""]
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    lines += ["", "Each size is a dirty generated set split into two nights (the last day "
              "arrives on night 2), landed once per night and built by DuckDB and by Spark "
              "(`local[2]`, dbt threads and shuffle partitions of the profile) as `make "
              "test-spark` builds it: seeds and models, no tests. Night 1 is a full build, "
              "night 2 incremental (on plain parquet Spark rebuilds the keyed and date-keyed "
              "models whole; README \"Running on Spark\"). Seconds, wall clock.", "",
              "| size | night | rows landed | land | DuckDB build | Spark session start | "
              "raw export + registration | Spark build | mirror to DuckDB | Spark ÷ DuckDB |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for report in reports:
        size = f"{report['days']} d × {report['legs_per_day']:,}"
        for night, steps in sorted(report["nights"].items(), key=lambda item: int(item[0])):
            ratio = steps["spark build"] / steps["duckdb build"] if steps["duckdb build"] else 0
            lines.append(
                f"| {size} | {'1 (full)' if int(night) == 1 else '2 (incremental)'} | "
                f"{steps['rows landed']:,} | {steps['land']} | {steps['duckdb build']} | "
                f"{steps.get('spark session start', '—')} | "
                f"{round(steps['raw export'] + steps['raw registration'], 1)} | "
                f"{steps['spark build']} | {steps['mirror']} | {ratio:.0f}× |")
    lines += ["", "The parity test set is the first size (10 days × 150 legs, the same generator "
              "call as `python_tests/test_spark_parity.py`, without its trap rows)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10x150,14x2000",
                        help="days x legs per day, comma-separated (default: %(default)s)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child: one size, JSON on stdout
    parser.add_argument("--output", type=Path, default=None,
                        help="file to update (default: BENCHMARKS.md of the project)")
    args = parser.parse_args(argv)
    if args.one:
        days, legs = (int(part) for part in args.one.split("x"))
        with tempfile.TemporaryDirectory(prefix="hotline-bench-spark-") as workdir:
            report = measure_size(days, legs, Path(workdir))
        print("BENCH-JSON " + json.dumps(report))
        return 0

    from hotline.devtools.bench import machine_description, write_section
    from hotline.settings import PROJECT_DIR

    reports = []
    for size in args.sizes.split(","):
        print(f"measuring {size} ...", flush=True)
        child = subprocess.run([sys.executable, "-m", MODULE, "--one", size],
                               capture_output=True, text=True, check=False)
        found = [line for line in child.stdout.splitlines() if line.startswith("BENCH-JSON ")]
        if child.returncode or not found:
            print(child.stdout[-3000:], child.stderr[-3000:], file=sys.stderr)
            return 1
        reports.append(json.loads(found[-1].removeprefix("BENCH-JSON ")))
        print(json.dumps(reports[-1]), flush=True)
    from importlib.metadata import version

    machine = machine_description()
    machine.update({package: version(package) for package in ("dbt-spark", "pyspark")})
    machine["java"] = subprocess.run(["java", "-version"], capture_output=True, text=True,
                                     check=False).stderr.splitlines()[0]
    section = render_section(machine, reports)
    write_section(args.output or PROJECT_DIR / "BENCHMARKS.md", SECTION, section)
    print(section)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
