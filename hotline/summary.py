"""What a person sees at the end of `make demo`: what was published and the headline KPIs."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from hotline.settings import Warehouse


def published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Every table of the serving file (it holds nothing but published tables)."""
    names = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' order by table_name"
        ).fetchall()
    ]
    return [(name, con.execute(f'select count(*) from "{name}"').fetchone()[0]) for name in names]


def _format(value: float | None, kpi_name: str) -> str:
    if value is None:
        return "—"
    if kpi_name.endswith("_seconds"):
        return f"{value:,.1f} s"
    return f"{value:.1%}"


def reporting_zone(con: duckdb.DuckDBPyConnection, tables: set[str]) -> dict | None:
    """The reporting zone and as_of of the published build (dq_build_settings), if published."""
    if "dq_build_settings" not in tables:
        return None
    row = con.execute("select reporting_timezone, reporting_utc_offset_minutes, as_of, "
                      "as_of_local from dq_build_settings").fetchone()
    if row is None:
        return None
    zone, minutes, as_of, as_of_local = row
    offset = "" if minutes is None else (
        f" UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    return {"zone": zone, "label": f"{zone}{offset}", "as_of": as_of, "as_of_local": as_of_local}


def print_summary(warehouse: Warehouse | Path, console: Console | None = None,
                  day=None) -> bool:
    """Print the serving file's tables and a day's scorecard (default: the latest day).

    Dates are local to the reporting zone, which every line names. False when `day` has no
    scorecard figures."""
    # Piped output (CI logs, cron mails) gets a wide fixed width instead of rich's 80 columns.
    console = console or Console(width=None if sys.stdout.isatty() else 120)
    path = Warehouse.of(warehouse).serving
    if not path.exists():
        console.print(f"[red]No published file at {path}[/red]")
        return False
    con = Warehouse.connect_file(path, read_only=True)
    try:
        tables = published_tables(con)
        console.print(f"Published file (open it read-only): [bold]{path.resolve()}[/bold]")
        table = Table(title="Published marts")
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name, rows in tables:
            table.add_row(name, f"{rows:,}")
        console.print(table)
        names = {name for name, _ in tables}
        zone = reporting_zone(con, names)
        zone_label = zone["label"] if zone else "the reporting zone"
        if zone and zone["as_of"] is not None:
            console.print(f"Data as of {zone['as_of']:%Y-%m-%d %H:%M} UTC = "
                          f"{zone['as_of_local']:%Y-%m-%d %H:%M} {zone_label}", highlight=False)
        if "kpi_scorecard" not in names:
            return day is None
        latest = day or con.execute(
            "select max(report_date) from kpi_scorecard where actual is not null"
        ).fetchone()[0]
        if latest is None:
            return day is None
        rows = con.execute(
            "select kpi_name, actual, comparator, target, is_met from kpi_scorecard "
            "where report_date = ? order by kpi_name",
            [latest],
        ).fetchall()
        if not any(actual is not None for _, actual, *_ in rows):
            console.print(f"No scorecard figures for {latest} ({zone_label}).")
            return False
        console.print(f"Headline KPIs for {latest} (local date, {zone_label}), pooled over "
                      "queues and channels:", highlight=False)
        card = Table()
        for column in ("kpi", "actual", "target", "met"):
            card.add_column(column)
        for kpi_name, actual, comparator, target, is_met in rows:
            met = "—" if is_met is None else ("yes" if is_met else "[red]no[/red]")
            card.add_row(kpi_name, _format(actual, kpi_name),
                         f"{comparator} {_format(target, kpi_name)}", met)
        console.print(card)
        if "kpi_alerts" in names:
            print_alerts(con, latest, console, zone_label=zone_label)
        return True
    finally:
        con.close()


def print_alerts(con: duckdb.DuckDBPyConnection, report_date, console: Console,
                 limit: int = 8, zone_label: str = "the reporting zone") -> None:
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
    console.print(f"{len(rows)} alert(s) on {report_date} (interval times in {zone_label})"
                  + (":" if rows else "."), highlight=False)
    for severity, scope_type, scope_id, message in rows[:limit]:
        console.print(f"  [{severity}] {scope_type} {scope_id}: {message}", markup=False)
    if len(rows) > limit:
        console.print(f"  … and {len(rows) - limit} more in kpi_alerts")
