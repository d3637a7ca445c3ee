"""The `hotline` command line: generate, land, build, nightly, status, summary, staffing, report."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from hotline.settings import Warehouse, parse_vars, warn_if_dev_salt

app = typer.Typer(
    help="Hotline: contact-center analytics warehouse (DuckDB + dbt + Great Expectations).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

LandingDir = Annotated[Path, typer.Option("--landing-dir", help="Root of the landing layout.")]
WarehouseDir = Annotated[
    Warehouse,
    typer.Option("--warehouse-dir", envvar="HOTLINE_WAREHOUSE_DIR", parser=Warehouse.of,
                 metavar="PATH",
                 help="Directory holding the working and the serving DuckDB files."),
]
VarsOption = Annotated[
    str | None,
    typer.Option(
        "--vars", help="dbt vars as JSON or YAML, e.g. '{reporting_timezone: Asia/Shanghai}'."
    ),
]
FullRefresh = Annotated[bool, typer.Option("--full-refresh", help="Rebuild every model from raw.")]
TargetOption = Annotated[
    str,
    typer.Option("--target", envvar="HOTLINE_TARGET",
                 help="Engine that builds: duckdb, or spark (README \"Running on Spark\")."),
]
ENGINES = ("duckdb", "spark")
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding", envvar="HOTLINE_LANDING_ENCODING",
        help="Encoding of CSV files that are not valid UTF-8: auto (default: GB18030), "
             "utf-8 (such files fail), gb18030, ...; per folder as "
             "'gb18030,telephony/agents=utf-8'. Valid UTF-8 is always read as UTF-8.",
    ),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        from hotline import __version__

        parts = []
        for package in ("dbt-core", "dbt-duckdb", "duckdb", "great-expectations"):
            try:
                parts.append(f"{package} {version(package)}")
            except PackageNotFoundError:  # pragma: no cover - pinned dependencies
                continue
        typer.echo(f"hotline {__version__} ({', '.join(parts)})")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Print the version of hotline and its engines, then exit."),
    ] = False,
) -> None:
    pass


def fail(message: str, code: int = 1) -> None:
    """Exit non-zero with a one-line reason on stderr."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _parse_date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        fail(f"--start-date must be YYYY-MM-DD, got {text!r}", 2)
        raise  # unreachable, keeps type checkers content


@app.command()
def generate(
    landing_dir: LandingDir,
    start_date: Annotated[
        str, typer.Option("--start-date", help="First delivery day, YYYY-MM-DD.")
    ],
    days: Annotated[int, typer.Option("--days", min=1, help="Number of days to generate.")] = 7,
    contacts_per_day: Annotated[
        int, typer.Option("--contacts-per-day", min=1, help="Average contact legs per day.")
    ] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 42,
    dirty: Annotated[bool, typer.Option("--dirty", help="Add the contract's bad rows.")] = False,
    plant_intervention: Annotated[bool, typer.Option(
        "--plant-intervention",
        help="Plant the demo's intervention (seed interventions: demo_tech_extra_shift).",
    )] = False,
    holiday_week: Annotated[
        bool, typer.Option("--holiday-week",
                           help="Put a golden week with make-up workdays (调休) in the period.")
    ] = False,
    calendar_config_dir: Annotated[
        Path | None,
        typer.Option("--calendar-config-dir",
                     help="Also write the sample centre's calendar seeds here (use it as "
                          "HOTLINE_CONFIG_DIR)."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", help="hotline (the landing contract) or a native export: "
                     "asterisk, amazon-connect, zendesk."),
    ] = "hotline",
) -> None:
    """Generate realistic sample extracts in the landing layout, one file per entity per day."""
    from hotline.devtools.generator import generate as run_generate
    from hotline.devtools.native_export import FORMATS

    fmt = fmt.strip().lower().replace("-", "_")
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}", 2)
    summary = run_generate(
        landing_dir=landing_dir,
        start_date=_parse_date(start_date),
        days=days,
        contacts_per_day=contacts_per_day,
        seed=seed,
        dirty=dirty,
        plant_intervention=plant_intervention,
        holiday_week=holiday_week,
        fmt=fmt,
    )
    typer.echo(str(summary))
    if calendar_config_dir is not None:
        _write_sample_calendar_config(calendar_config_dir, _parse_date(start_date), days,
                                      holiday_week)


def _write_sample_calendar_config(config_dir: Path, start: date, days: int,
                                  holiday_week: bool) -> None:
    """The calendar seeds describing the generated period (hotline/devtools/sample_calendar.py)."""
    from hotline.devtools.generator import HOLIDAYS
    from hotline.devtools.sample_calendar import sample_calendar, write_calendar_config

    calendar = sample_calendar(start, days, HOLIDAYS, holiday_week)
    written = write_calendar_config(config_dir, calendar)
    typer.echo(f"calendar seeds for HOTLINE_CONFIG_DIR: {', '.join(str(p) for p in written)}")


@app.command()
def land(
    landing_dir: LandingDir,
    warehouse: WarehouseDir = "warehouse",
    encoding: EncodingOption = None,
) -> None:
    """Load every new landing file into the raw schema of the working warehouse."""
    from hotline.landing import LandingError
    from hotline.landing import land as run_land

    try:
        report = run_land(landing_dir, warehouse, encoding=encoding)
    except LandingError as exc:
        fail(str(exc), 2)
    typer.echo(str(report))
    if report.files_failed:
        fail(f"{len(report.files_failed)} file(s) could not be landed: "
             + "; ".join(f"{path}: {msg}" for path, msg in report.files_failed))


@app.command()
def build(
    warehouse: WarehouseDir = "warehouse",
    vars: VarsOption = None,
    full_refresh: FullRefresh = False,
    select: Annotated[str | None, typer.Option("--select", help="dbt node selection.")] = None,
    target: TargetOption = "duckdb",
) -> None:
    """Run `dbt build` (models, unit tests, data tests) on the working warehouse."""
    from hotline.build import run_build
    from hotline.site_config import check_config_dir

    try:
        dbt_vars = parse_vars(vars)
        check_config_dir()  # HOTLINE_CONFIG_DIR: the center's own seeds (README)
    except ValueError as exc:
        fail(str(exc), 2)
    if target not in ENGINES:
        fail(f"--target must be one of {', '.join(ENGINES)}, got {target!r}", 2)
    warn_if_dev_salt()
    if target == "spark":
        from hotline.spark import build_on_spark

        args = ["build", "--quiet", *(["--full-refresh"] if full_refresh else []),
                *(["--select", select] if select else [])]
        result = build_on_spark(args, warehouse, dbt_vars)
    else:
        result = run_build(warehouse, dbt_vars, full_refresh=full_refresh, select=select)
    if not result.success:
        fail("dbt build failed: " + "; ".join(result.failures[:5]))
    typer.echo(f"dbt build succeeded: {result.node_count} nodes")


@app.command()
def nightly(
    landing_dir: LandingDir,
    warehouse: WarehouseDir = "warehouse",
    vars: VarsOption = None,
    full_refresh: FullRefresh = False,
    gate_config: Annotated[
        Path | None,
        typer.Option("--gate-config", envvar="HOTLINE_GATE_CONFIG",
                     help="Quality gate rules and thresholds (default: gate.yml of the project)."),
    ] = None,
    encoding: EncodingOption = None,
    report: Annotated[
        bool, typer.Option("--report", help="After a successful publish, write the day's HTML "
                                            "report beside serving.duckdb (hotline report).")
    ] = False,
    target: TargetOption = "duckdb",
) -> None:
    """Land new files, build, audit, and publish <warehouse-dir>/serving.duckdb.

    Exit codes: 0 published; 1 error; 2 usage or configuration error; 3 the quality gate
    blocked the publish; 4 another nightly is running on this warehouse directory.
    serving.duckdb is left unchanged unless the exit code is 0. With --report the report is
    written only when the night published (a blocked night writes none). With --target spark,
    Spark builds; landing, the audit and the publish stay on this machine (README).
    """
    from hotline.nightly import NightlyError, run_nightly

    try:
        dbt_vars = parse_vars(vars)
    except ValueError as exc:
        fail(str(exc), 2)
    if target not in ENGINES:
        fail(f"--target must be one of {', '.join(ENGINES)}, got {target!r}", 2)
    warn_if_dev_salt()
    try:
        outcome = run_nightly(landing_dir, warehouse, dbt_vars, full_refresh=full_refresh,
                              gate_config_path=gate_config, encoding=encoding, target=target)
    except NightlyError as exc:
        fail(str(exc), exc.exit_code)
    typer.echo(str(outcome))
    if report:
        # serving.duckdb is published at this point; a report failure says so (exit 1)
        _write_report(warehouse, failure_prefix="published, but ")


@app.command("spark-load")
def spark_load(warehouse: WarehouseDir = "warehouse") -> None:
    """Export the landed raw schema to parquet and register it as Spark's raw schema.

    What `build --target spark` and `nightly --target spark` do first; for running dbt on
    Spark directly (`dbt build --target spark`, README "Running on Spark").
    """
    from hotline.spark import SparkSetupError, load_raw

    if not warehouse.working.exists():
        fail(f"no working warehouse at {warehouse.working} (run `hotline land` first)")
    try:
        export = load_raw(warehouse)
    except SparkSetupError as exc:
        fail(str(exc), 2)
    rows = sum(export.tables.values())
    typer.echo(f"registered {len(export.tables)} raw tables ({rows:,} rows) from {export.path}")


@app.command()
def status(
    warehouse: WarehouseDir = "warehouse",
    limit: Annotated[int, typer.Option("--limit", min=1, help="Number of runs to show.")] = 10,
) -> None:
    """Print the last nightly runs (from the working file, or serving.duckdb while it is busy)."""
    from hotline.nightly import NightlyError, print_status

    try:
        print_status(warehouse, limit)
    except NightlyError as exc:
        fail(str(exc), exc.exit_code)


@app.command()
def summary(
    warehouse: WarehouseDir = "warehouse",
    day: Annotated[
        str | None,
        typer.Option("--date", help="Local date YYYY-MM-DD (default: the latest date with "
                                    "scorecard figures)."),
    ] = None,
) -> None:
    """Print the published tables and a day's headline KPIs (local dates, zone named)."""
    from hotline.summary import print_summary

    parsed = None
    if day is not None:
        try:
            parsed = datetime.strptime(day, "%Y-%m-%d").date()
        except ValueError:
            fail(f"--date must be YYYY-MM-DD, got {day!r}", 2)
    serving = warehouse.serving
    if not serving.exists():
        fail(f"no published file at {serving} (run `hotline nightly` first)")
    if not print_summary(warehouse, day=parsed):
        fail(f"no scorecard figures for {parsed} in {serving}")


@app.command()
def contract() -> None:
    """Print the landing contract (folders, columns, types, allowed values) as Markdown."""
    from hotline.contract import render_markdown

    typer.echo(render_markdown(), nl=False)


@app.command()
def evaluate(
    warehouse: WarehouseDir = "warehouse",
    intervention: Annotated[
        str | None, typer.Option("--intervention", help="Only this intervention_id.")
    ] = None,
) -> None:
    """Print the published intervention effects (analysis_intervention_effects) in plain words."""
    from hotline.evaluate import EvaluateError, evaluate_lines

    try:
        lines = evaluate_lines(warehouse, intervention)
    except EvaluateError as exc:
        fail(str(exc), exc.exit_code)
    for line in lines:
        typer.echo(line)


@app.command()
def staffing(
    warehouse: WarehouseDir = "warehouse",
    day: Annotated[
        str | None,
        typer.Option("--date", help="Local date YYYY-MM-DD (default: the first forecast day)."),
    ] = None,
    queue: Annotated[
        str | None, typer.Option("--queue", help="A queue id (default: the whole center).")
    ] = None,
) -> None:
    """Print a day's intervals: forecast (or actual) contacts, required and staffed agents."""
    from hotline.staffing import StaffingError, print_staffing

    parsed = None
    if day is not None:
        try:
            parsed = datetime.strptime(day, "%Y-%m-%d").date()
        except ValueError:
            fail(f"--date must be YYYY-MM-DD, got {day!r}", 2)
    try:
        print_staffing(warehouse, parsed, queue)
    except StaffingError as exc:
        fail(str(exc), 1)


@app.command()
def report(
    warehouse: WarehouseDir = "warehouse",
    day: Annotated[
        str | None,
        typer.Option("--date", help="Local date YYYY-MM-DD the report ends on (default: the "
                                    "latest date with scorecard figures)."),
    ] = None,
    period: Annotated[
        str, typer.Option("--period", help="day, week (Monday to --date) or month (1st to "
                                           "--date).")
    ] = "day",
    lang: Annotated[str, typer.Option("--lang", help="zh (default) or en.")] = "zh",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="HTML file to write (default: "
                                   "<warehouse-dir>/report-[<period>-]<date>[.en].html)."),
    ] = None,
) -> None:
    """Write the HTML report (scorecard, trends, queues, agents, tickets, alerts, ...) from the
    published serving.duckdb: one self-contained file that opens offline in any browser."""
    from hotline.report import ReportError, parse_day

    try:
        parsed = parse_day(day)
    except ReportError as exc:
        fail(str(exc), 2)
    if period not in ("day", "week", "month"):
        fail(f"--period must be day, week or month, got {period!r}", 2)
    if lang not in ("zh", "en"):
        fail(f"--lang must be zh or en, got {lang!r}", 2)
    _write_report(warehouse, out=out, day=parsed, period=period, lang=lang)


def _write_report(warehouse: Warehouse, failure_prefix: str = "", **options) -> None:
    from hotline.report import ReportError, write_report
    from hotline.report.labels import LabelError

    try:
        path, written = write_report(warehouse, **options)
    except (ReportError, LabelError) as exc:
        fail(f"{failure_prefix}report not written: {exc}")
    typer.echo(f"report ({written.period.kind} {written.period.end}, {written.chart_count} "
               f"charts): {path.resolve()}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
