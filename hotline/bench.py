"""Benchmarks: `python -m hotline.bench` (what `make bench` runs).

Each benchmark runs in a child process, so its peak RSS (resource.getrusage) is its own.
Results are printed and written into BENCHMARKS.md, each benchmark in its own section
between markers, so later benchmarks (ingest floor, nightly full/incremental) add sections
without touching the others.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
HEADER = "# Benchmarks\n\nWritten by `make bench` (`python -m hotline.bench`).\n"


@dataclass(frozen=True)
class BenchResult:
    name: str
    rows: int  # contact legs processed
    seconds: float
    peak_rss_mb: float
    detail: str = ""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("nan")

    def line(self) -> str:
        return (f"{self.name}: {self.rows:,} legs in {self.seconds:.1f} s "
                f"({self.rows_per_second:,.0f} legs/s), peak RSS {self.peak_rss_mb:,.0f} MB"
                + (f" — {self.detail}" if self.detail else ""))


# ---------------------------------------------------------------------------------------
# Machine


def machine_description() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        import duckdb

        duckdb_version = duckdb.__version__
    except ImportError:  # pragma: no cover - duckdb is pinned in requirements.txt
        duckdb_version = "not installed"
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": duckdb_version,
        "load average at start": " ".join(f"{x:.2f}" for x in load),
    }


# ---------------------------------------------------------------------------------------
# Running a benchmark in a child process


def _child(queue, func, kwargs) -> None:
    start = time.perf_counter()
    detail = func(**kwargs)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    queue.put((seconds, peak_kb / 1024, detail))


def run_isolated(func, **kwargs) -> tuple[float, float, str]:
    """Run func(**kwargs) in a fresh process; return (seconds, peak RSS MB, detail)."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(queue, func, kwargs))
    process.start()
    result = queue.get()
    process.join()
    if process.exitcode:
        raise RuntimeError(f"benchmark {func.__name__} failed (exit {process.exitcode})")
    return result


# ---------------------------------------------------------------------------------------
# Generator


def _generate(landing_dir: str, days: int, legs_per_day: int, seed: int) -> str:
    from hotline.generator import generate

    summary = generate(landing_dir=Path(landing_dir), start_date=date(2026, 3, 2), days=days,
                       contacts_per_day=legs_per_day, seed=seed)
    files_mb = sum(p.stat().st_size for p in Path(landing_dir).rglob("*.csv")) / 1e6
    rows = ", ".join(f"{k} {v:,}" for k, v in summary.rows.items())
    return f"{summary.rows['contacts']}|{files_mb:.0f} MB of CSV; {rows}"


def bench_generator(days: int, legs_per_day: int, seed: int = 42) -> BenchResult:
    workdir = tempfile.mkdtemp(prefix="hotline-bench-gen-")
    try:
        seconds, peak, detail = run_isolated(
            _generate, landing_dir=workdir, days=days, legs_per_day=legs_per_day, seed=seed)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    legs, text = detail.split("|", 1)
    return BenchResult(f"generate {days} days x {legs_per_day:,} legs/day", int(legs), seconds,
                       peak, text)


# ---------------------------------------------------------------------------------------
# BENCHMARKS.md


def replace_section(text: str, name: str, body: str) -> str:
    """Replace (or append) the section between <!-- bench:name --> markers."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip() + "\n\n" + block + "\n"


def write_section(path: Path, name: str, title: str, results: list[BenchResult],
                  machine: dict[str, str], note: str = "") -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine_lines = "\n".join(f"- {key}: {value}" for key, value in machine.items())
    rows = "\n".join(
        f"| {r.name} | {r.rows:,} | {r.seconds:.1f} | {r.rows_per_second:,.0f} "
        f"| {r.peak_rss_mb:,.0f} | {r.detail} |" for r in results)
    body = (f"## {title}\n\nMeasured {stamp}.\n\n{machine_lines}\n\n"
            "| run | legs | seconds | legs/s | peak RSS MB | output |\n"
            "|---|---:|---:|---:|---:|---|\n" + rows + "\n")
    if note:
        body += f"\n{note}\n"
    path.write_text(replace_section(text, name, body), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hotline.bench", description=__doc__)
    parser.add_argument("--days", type=int, default=10, help="days to generate (default 10)")
    parser.add_argument("--legs-per-day", type=int, nargs="+", default=[20_000],
                        help="contact legs per day, one run per value (default 20000)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="markdown file to update (default BENCHMARKS.md)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    machine = machine_description()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()))
    results = []
    for legs_per_day in args.legs_per_day:
        results.append(bench_generator(args.days, legs_per_day))
        print(results[-1].line())
    if not args.no_write:
        write_section(args.output, "generator", "Sample-data generator", results, machine,
                      "Wall-clock time of `hotline generate` (simulation and CSV writing, all "
                      "seven entities); the machine may be shared, see the load average.")
        print(f"results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
