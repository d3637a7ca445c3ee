"""`hotline staffing`: one day's intervals with forecast, required and staffed agents.

Reads the published serving file read-only (kpi_staffing_interval, kpi_staffing_center_interval,
dim_queues); every value comes from the marts, nothing is recomputed here. Times are the
reporting zone's wall clock, labelled with its UTC offset (derived from interval_start minus
interval_start_utc, since the serving file does not carry the dbt vars).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from hotline.settings import Warehouse

REQUIRED_TABLES = ("kpi_staffing_interval", "kpi_staffing_center_interval")


class StaffingError(Exception):
    """The serving file cannot answer the question (missing file, table, date or queue)."""


@dataclass(frozen=True)
class StaffingDay:
    day: date
    queue_id: str | None
    queue_name: str | None
    is_forecast: bool
    utc_offset: timedelta | None
    rows: list[tuple]  # (interval_start, offered, aht, required, scheduled, sl, staffed)


def _offset_label(offset: timedelta | None) -> str:
    if offset is None:
        return "local time"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def load_day(con: duckdb.DuckDBPyConnection, day: date | None,
             queue_id: str | None) -> StaffingDay:
    tables = {name for (name,) in con.execute(
        "select table_name from information_schema.tables").fetchall()}
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise StaffingError(f"the serving file has no {', '.join(missing)} (run a nightly first)")
    if day is None:  # "tomorrow": the first forecast day
        day = con.execute("select min(report_date) from kpi_staffing_center_interval "
                          "where is_forecast").fetchone()[0]
        if day is None:
            raise StaffingError("no forecast in the serving file (no history to learn from?)")
    queue_name = None
    if queue_id is not None:
        found = con.execute("select queue_name from dim_queues where queue_id = ?",
                            [queue_id]).fetchone()
        if found is None:
            raise StaffingError(f"unknown queue {queue_id!r}")
        queue_name = found[0]
        rows = con.execute(
            """
            select q.interval_start, q.offered, q.aht_seconds, q.required_agents,
                q.required_scheduled_agents, q.predicted_service_level, c.staffed_agents,
                q.is_forecast, q.interval_start - q.interval_start_utc
            from kpi_staffing_interval as q
            left join kpi_staffing_center_interval as c
                on q.interval_start_utc = c.interval_start_utc
            where q.queue_id = ? and q.report_date = ?
            order by q.interval_start_utc
            """, [queue_id, day]).fetchall()
    else:
        rows = con.execute(
            """
            select c.interval_start, c.offered,
                sum(q.aht_seconds * q.offered) / nullif(sum(q.offered), 0),
                c.required_agents, c.required_scheduled_agents,
                sum(q.predicted_service_level * q.offered) / nullif(sum(q.offered), 0),
                c.staffed_agents, c.is_forecast, c.interval_start - c.interval_start_utc
            from kpi_staffing_center_interval as c
            left join kpi_staffing_interval as q
                on c.interval_start_utc = q.interval_start_utc
            where c.report_date = ?
            group by c.interval_start_utc, c.interval_start, c.offered, c.required_agents,
                c.required_scheduled_agents, c.staffed_agents, c.is_forecast
            order by c.interval_start_utc
            """, [day]).fetchall()
    if not rows:
        raise StaffingError(f"no staffing rows for {day}" + (f" and queue {queue_id}"
                                                              if queue_id else ""))
    return StaffingDay(day, queue_id, queue_name, bool(rows[0][7]), rows[0][8],
                       [row[:7] for row in rows])


def _number(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def print_staffing(warehouse: Warehouse | Path, day: date | None = None,
                   queue_id: str | None = None, console: Console | None = None) -> StaffingDay:
    console = console or Console(width=None if sys.stdout.isatty() else 120)
    path = Warehouse.of(warehouse).serving
    if not path.exists():
        raise StaffingError(f"no published file at {path}")
    con = Warehouse.connect_file(path, read_only=True)
    try:
        result = load_day(con, day, queue_id)
    finally:
        con.close()
    zone = _offset_label(result.utc_offset)
    scope = (f"queue {result.queue_id} ({result.queue_name})" if result.queue_id
             else "the whole center")
    kind = "forecast" if result.is_forecast else "history"
    table = Table(title=f"Staffing for {scope} on {result.day} ({kind}; times {zone})")
    offered_label = "forecast offered" if result.is_forecast else "offered"
    for column in (f"interval ({zone})", offered_label, "AHT s", "required agents",
                   "scheduled (shrinkage)", "predicted SL"):
        table.add_column(column, justify="right")
    if not result.is_forecast:
        table.add_column("staffed agents (center)" if result.queue_id else "staffed agents",
                         justify="right")
    total = {"offered": 0.0}
    for start, offered, aht, required, scheduled, sl, staffed in result.rows:
        cells = [datetime.strftime(start, "%H:%M"), _number(offered), _number(aht, 0),
                 _number(required, 0), _number(scheduled, 0),
                 "—" if sl is None else f"{sl:.1%}"]
        if not result.is_forecast:
            cells.append(_number(staffed))
        table.add_row(*cells)
        total["offered"] += offered or 0.0
    console.print(table)
    peak = max(result.rows, key=lambda row: row[3] or 0)
    console.print(f"{len(result.rows)} intervals, {total['offered']:,.0f} contacts; peak "
                  f"{_number(peak[3], 0)} agents at {datetime.strftime(peak[0], '%H:%M')} "
                  f"({zone}).")
    return result
