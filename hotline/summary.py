"""What a person sees at the end of `make demo`: what was published and the headline KPIs."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from hotline.settings import serving_db

PUBLISHED_PREFIXES = ("dim_", "fct_", "kpi_", "dq_", "analysis_")


def published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    names = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' order by table_name"
        ).fetchall()
        if row[0].startswith(PUBLISHED_PREFIXES)
    ]
    return [(name, con.execute(f'select count(*) from "{name}"').fetchone()[0]) for name in names]


def _format(value: float | None, kpi_name: str) -> str:
    if value is None:
        return "—"
    if kpi_name.endswith("_seconds"):
        return f"{value:,.1f} s"
    return f"{value:.1%}"


def print_summary(warehouse_dir: Path, console: Console | None = None) -> None:
    """Print the serving file's tables and the latest day's scorecard."""
    # Piped output (CI logs, cron mails) gets a wide fixed width instead of rich's 80 columns.
    console = console or Console(width=None if sys.stdout.isatty() else 120)
    path = serving_db(warehouse_dir)
    if not path.exists():
        console.print(f"[red]No published file at {path}[/red]")
        return
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = published_tables(con)
        console.print(f"Published file (open it read-only): [bold]{path.resolve()}[/bold]")
        table = Table(title="Published marts")
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name, rows in tables:
            table.add_row(name, f"{rows:,}")
        console.print(table)
        if "kpi_scorecard" not in {name for name, _ in tables}:
            return
        latest = con.execute(
            "select max(report_date) from kpi_scorecard where actual is not null"
        ).fetchone()[0]
        if latest is None:
            return
        rows = con.execute(
            "select kpi_name, actual, comparator, target, is_met from kpi_scorecard "
            "where report_date = ? order by kpi_name",
            [latest],
        ).fetchall()
        card = Table(title=f"Headline KPIs for {latest}, pooled over queues and channels")
        for column in ("kpi", "actual", "target", "met"):
            card.add_column(column)
        for kpi_name, actual, comparator, target, is_met in rows:
            met = "—" if is_met is None else ("yes" if is_met else "[red]no[/red]")
            card.add_row(kpi_name, _format(actual, kpi_name),
                         f"{comparator} {_format(target, kpi_name)}", met)
        console.print(card)
        if "kpi_alerts" in {name for name, _ in tables}:
            print_alerts(con, latest, console)
    finally:
        con.close()


def print_alerts(con: duckdb.DuckDBPyConnection, report_date, console: Console,
                 limit: int = 8) -> None:
    """The day's alerts, most severe first."""
    rows = con.execute(
        """
        select severity, scope_type, scope_id, message
        from kpi_alerts
        where report_date = ?
        order by case severity when 'critical' then 0 when 'warning' then 1 else 2 end,
            rule_id, scope_id
        """,
        [report_date],
    ).fetchall()
    console.print(f"{len(rows)} alert(s) on {report_date}" + (":" if rows else "."))
    for severity, scope_type, scope_id, message in rows[:limit]:
        console.print(f"  [{severity}] {scope_type} {scope_id}: {message}", markup=False)
    if len(rows) > limit:
        console.print(f"  … and {len(rows) - limit} more in kpi_alerts")
