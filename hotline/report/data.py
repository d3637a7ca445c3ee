"""Every query of the report, against the published serving file only.

`PublishedReader` opens `<warehouse-dir>/serving.duckdb` read-only and runs the report's SQL
with bound parameters (dates, ids); it keeps every statement it ran, so a test can check that
the report reads only tables and columns of the published contract
(python_tests/test_report.py). Nothing here computes a KPI: rates are pooled from the marts'
own numerator and denominator columns (sum / sum), never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from hotline.settings import Warehouse

SCORECARD_KPIS = ("service_level", "avg_wait_seconds", "abandon_rate", "fcr_rate",
                  "repeat_contact_rate", "csat_rate", "first_response_sla_rate")
TREND_WEEKS = 8
PERIODS = ("day", "week", "month")

# Optional sections: shown only when every table they read is in the serving file.
FORECAST_TABLES = ("fct_forecast_queue_interval", "kpi_forecast_accuracy")
STAFFING_TABLES = ("kpi_staffing_center_interval",)
INTERVENTION_TABLES = ("analysis_intervention_effects",)


class ReportError(RuntimeError):
    """The serving file cannot produce a report (missing, empty, unknown date)."""


@dataclass(frozen=True)
class Period:
    """The reported local dates: `start`..`end` (inclusive), and the trend window before `end`."""

    kind: str
    start: date
    end: date

    @property
    def trend_start(self) -> date:
        return self.end - timedelta(days=7 * TREND_WEEKS - 1)

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        """The day, or the calendar week (Monday first) / month containing it, through it."""
        if kind == "day":
            return cls(kind, day, day)
        if kind == "week":
            return cls(kind, day - timedelta(days=day.weekday()), day)
        if kind == "month":
            return cls(kind, day.replace(day=1), day)
        raise ReportError(f"--period must be one of {', '.join(PERIODS)}, got {kind!r}")


@dataclass
class PublishedReader:
    """Read-only access to serving.duckdb that remembers each statement it ran."""

    path: Path
    statements: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.path.exists():
            raise ReportError(f"no published file at {self.path} (run `hotline nightly` first)")
        self.con = Warehouse.connect_file(self.path, read_only=True)

    @classmethod
    def for_warehouse(cls, warehouse: Warehouse | Path) -> PublishedReader:
        return cls(Warehouse.of(warehouse).serving)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> PublishedReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        self.statements.append(sql)
        return self.con.execute(sql, params or []).df()

    def row(self, sql: str, params: list | None = None) -> tuple | None:
        self.statements.append(sql)
        return self.con.execute(sql, params or []).fetchone()

    # --- what the file holds -------------------------------------------------------------
    def tables(self) -> set[str]:
        self.statements.append(TABLES_SQL)
        return {name for (name,) in self.con.execute(TABLES_SQL).fetchall()}


TABLES_SQL = ("select table_name from information_schema.tables "
              "where table_schema = 'main' and table_type = 'BASE TABLE'")


def has(tables: set[str], names: tuple[str, ...]) -> bool:
    return all(name in tables for name in names)


# --- header ----------------------------------------------------------------------------------

def build_settings(reader: PublishedReader, tables: set[str]) -> dict:
    """as_of and the reporting zone (dq_build_settings); {} for an older serving file."""
    if "dq_build_settings" not in tables:
        return {}
    frame = reader.frame("""
        select as_of, as_of_local, as_of_date, reporting_timezone, reporting_utc_offset_minutes,
            interval_minutes, service_level_formula
        from dq_build_settings
    """)
    return frame.iloc[0].to_dict() if len(frame) else {}


def published_run(reader: PublishedReader, tables: set[str]) -> dict:
    """The run that published this file (the latest published run of dq_runs)."""
    if "dq_runs" not in tables:
        return {}
    frame = reader.frame("""
        select run_id, started_at, finished_at
        from dq_runs
        where status = 'published'
        order by finished_at desc nulls last, started_at desc
        limit 1
    """)
    return frame.iloc[0].to_dict() if len(frame) else {}


def default_date(reader: PublishedReader) -> date:
    """The latest local date with any scorecard figure (what `hotline summary` shows)."""
    found = reader.row("select max(report_date) from kpi_scorecard where actual is not null")
    if not found or found[0] is None:
        raise ReportError("the serving file has no scorecard figures yet")
    return found[0]


# --- scorecard and trends --------------------------------------------------------------------

def scorecard(reader: PublishedReader, period: Period) -> pd.DataFrame:
    """Each scorecard KPI pooled over the period (sum of numerators / sum of denominators),
    with the target and comparator in force on the period's last day."""
    return reader.frame("""
        with pooled as (
            select
                kpi_name,
                sum(numerator) as numerator,
                sum(denominator) as denominator
            from kpi_scorecard
            where report_date between ? and ?
            group by kpi_name
        ),

        targets as (
            select kpi_name, target, comparator
            from kpi_scorecard
            where report_date = ?
        )

        select
            pooled.kpi_name,
            pooled.numerator,
            pooled.denominator,
            pooled.numerator / nullif(pooled.denominator, 0) as actual,
            targets.target,
            targets.comparator
        from pooled
        left join targets on pooled.kpi_name = targets.kpi_name
    """, [period.start, period.end, period.end])


def trends(reader: PublishedReader, period: Period, weekly: bool) -> pd.DataFrame:
    """The scorecard KPIs per day (or per week, pooled) over the trend window, with targets."""
    bucket = "date_trunc('week', report_date)" if weekly else "report_date"
    return reader.frame(f"""
        select
            cast({bucket} as date) as bucket_date,
            kpi_name,
            sum(numerator) / nullif(sum(denominator), 0) as actual,
            max(target) as target
        from kpi_scorecard
        where report_date between ? and ?
        group by all
        order by bucket_date, kpi_name
    """, [period.trend_start, period.end])


# --- volume and service level by weekday x hour ----------------------------------------------

def weekday_hour(reader: PublishedReader, period: Period) -> pd.DataFrame:
    """Offered legs per day and pooled service level by local weekday x hour (trend window)."""
    return reader.frame("""
        with by_hour as (
            select
                isodow(report_date) as weekday,
                hour(interval_start) as hour,
                count(distinct report_date) as days,
                sum(offered) as offered,
                sum(service_level_numerator) as sl_numerator,
                sum(service_level_denominator) as sl_denominator
            from kpi_queue_interval
            where report_date between ? and ?
            group by all
        ),

        weekdays as (
            select isodow(report_date) as weekday, count(distinct report_date) as weekday_days
            from kpi_queue_interval
            where report_date between ? and ?
            group by all
        )

        select
            by_hour.weekday,
            by_hour.hour,
            by_hour.offered / weekdays.weekday_days as offered_per_day,
            by_hour.sl_numerator / nullif(by_hour.sl_denominator, 0) as service_level
        from by_hour
        inner join weekdays on by_hour.weekday = weekdays.weekday
        order by by_hour.weekday, by_hour.hour
    """, [period.trend_start, period.end, period.trend_start, period.end])


# --- queues ----------------------------------------------------------------------------------

def queues(reader: PublishedReader, period: Period) -> pd.DataFrame:
    """Every queue with activity in the period, its KPIs pooled over the period."""
    return reader.frame("""
        with pooled as (
            select
                queue_id,
                sum(offered) as offered,
                sum(answered) as answered,
                sum(service_level_numerator) / nullif(sum(service_level_denominator), 0)
                    as service_level,
                sum(answered) / nullif(sum(offered), 0) as answer_rate,
                sum(abandon_rate_numerator) / nullif(sum(abandon_rate_denominator), 0)
                    as abandon_rate,
                sum(answered_wait_seconds_sum) / nullif(sum(answered), 0) as asa_seconds,
                sum(offered_wait_seconds_sum) / nullif(sum(offered), 0) as avg_wait_seconds,
                sum(handle_seconds_sum) / nullif(sum(answered), 0) as aht_seconds,
                sum(fcr_resolved) / nullif(sum(fcr_eligible), 0) as fcr_rate,
                sum(csat_satisfied) / nullif(sum(csat_responses), 0) as csat_rate
            from kpi_queue_daily
            where report_date between ? and ?
            group by queue_id
        )

        select
            pooled.*,
            coalesce(dim_queues.queue_name, pooled.queue_id) as queue_name,
            dim_queues.channel,
            dim_queues.service_level_target
        from pooled
        left join dim_queues on pooled.queue_id = dim_queues.queue_id
        where pooled.offered > 0
        order by pooled.offered desc, pooled.queue_id
    """, [period.start, period.end])


# --- agents ----------------------------------------------------------------------------------

def agents(reader: PublishedReader, period: Period) -> pd.DataFrame:
    """Agents who handled contacts in the period: AHT, FCR, CSAT and occupancy pooled.
    Agent names from dim_agents (current version); no customer data."""
    return reader.frame("""
        with pooled as (
            select
                agent_id,
                max(team) as team,
                sum(handled) as handled,
                sum(handle_seconds_total) / nullif(sum(handled), 0) as aht_seconds,
                sum(fcr_resolved) / nullif(sum(fcr_eligible), 0) as fcr_rate,
                sum(fcr_eligible) as fcr_eligible,
                sum(csat_satisfied) / nullif(sum(csat_responses), 0) as csat_rate,
                sum(csat_responses) as csat_responses,
                sum(occupied_seconds) / nullif(sum(occupancy_base_seconds), 0) as occupancy
            from kpi_agent_daily
            where report_date between ? and ?
            group by agent_id
        ),

        names as (
            select agent_id, max(agent_name) as agent_name
            from dim_agents
            where is_current
            group by agent_id
        )

        select
            pooled.*,
            coalesce(names.agent_name, pooled.agent_id) as agent_name
        from pooled
        left join names on pooled.agent_id = names.agent_id
        where pooled.handled > 0
        order by pooled.handled desc, pooled.agent_id
    """, [period.start, period.end])


# --- tickets ---------------------------------------------------------------------------------

def ticket_backlog(reader: PublishedReader, period: Period) -> pd.DataFrame:
    return reader.frame("""
        select report_date, priority, backlog_end_of_day
        from kpi_ticket_daily
        where report_date between ? and ?
        order by report_date, priority
    """, [period.trend_start, period.end])


def tickets(reader: PublishedReader, period: Period) -> pd.DataFrame:
    """Per priority over the period: flows summed, backlog of the last day, SLA pooled."""
    return reader.frame("""
        select
            priority,
            sum(tickets_created) as tickets_created,
            sum(tickets_solved) as tickets_solved,
            sum(tickets_reopened) as tickets_reopened,
            arg_max(backlog_end_of_day, report_date) as backlog_end_of_day,
            sum(first_response_seconds_sum) / nullif(sum(first_responses), 0)
                as first_response_avg_seconds,
            sum(sla_first_response_met)
                / nullif(sum(sla_first_response_met + sla_first_response_breached), 0)
                as first_response_sla_rate,
            sum(sla_resolution_met)
                / nullif(sum(sla_resolution_met + sla_resolution_breached), 0)
                as resolution_sla_rate
        from kpi_ticket_daily
        where report_date between ? and ?
        group by priority
        order by case priority when 'urgent' then 1 when 'high' then 2 when 'normal' then 3
            when 'low' then 4 else 5 end, priority
    """, [period.start, period.end])


# --- alerts ----------------------------------------------------------------------------------

def alerts(reader: PublishedReader, period: Period) -> pd.DataFrame:
    return reader.frame("""
        select report_date, severity, scope_type, scope_id, rule_id, interval_start, metric,
            observed, threshold, comparator, message
        from kpi_alerts
        where report_date between ? and ?
        order by case severity when 'critical' then 0 when 'warning' then 1 else 2 end,
            report_date desc, rule_id, scope_id
    """, [period.start, period.end])


# --- forecast and staffing (optional) --------------------------------------------------------

def volume_actual_and_forecast(reader: PublishedReader, period: Period) -> pd.DataFrame:
    """Offered legs per local date: actual over the trend window, forecast over the horizon."""
    return reader.frame("""
        select report_date, 'actual' as series, cast(sum(offered) as double) as offered
        from kpi_queue_daily
        where report_date between ? and ?
        group by report_date
        union all
        select report_date, 'forecast' as series, sum(forecast_offered) as offered
        from fct_forecast_queue_interval
        group by report_date
        order by report_date, series
    """, [period.trend_start, period.end])


def forecast_accuracy(reader: PublishedReader) -> pd.DataFrame:
    """Backtest WAPE per horizon pooled over queues, beside seasonal naive."""
    return reader.frame("""
        select
            horizon_days,
            sum(abs_error_sum) / nullif(sum(actual_offered), 0) as wape,
            sum(seasonal_naive_abs_error_sum) / nullif(sum(actual_offered), 0)
                as seasonal_naive_wape
        from kpi_forecast_accuracy
        group by horizon_days
        order by horizon_days
    """)


def staffing(reader: PublishedReader, day: date) -> pd.DataFrame:
    """Required vs staffed agents per interval of one local date (whole center)."""
    return reader.frame("""
        select interval_start, interval_start_utc, is_forecast, required_agents,
            required_scheduled_agents, staffed_agents, staffing_gap, understaffed
        from kpi_staffing_center_interval
        where report_date = ?
        order by interval_start_utc
    """, [day])


def next_forecast_day(reader: PublishedReader) -> date | None:
    found = reader.row("select min(report_date) from kpi_staffing_center_interval "
                       "where is_forecast")
    return found[0] if found else None


# --- interventions (optional) ----------------------------------------------------------------

def interventions(reader: PublishedReader) -> pd.DataFrame:
    return reader.frame("""
        select intervention_id, intervention_name, start_date, scope_type, scope_id, kpi_name,
            treated_pre, treated_post, change, did_estimate, did_ci_low, did_ci_high,
            did_p_value, days_pre, days_post
        from analysis_intervention_effects
        order by start_date, intervention_id, kpi_order
    """)


# --- data quality ----------------------------------------------------------------------------

def quarantine(reader: PublishedReader) -> pd.DataFrame:
    return reader.frame("""
        select entity, reason, count(*) as rows_quarantined
        from dq_quarantined_rows
        group by all
        order by rows_quarantined desc, entity, reason
    """)


def landed_files(reader: PublishedReader) -> pd.DataFrame:
    return reader.frame("""
        select status, count(*) as files, sum(rows_landed) as rows_landed,
            sum(records_quarantined) as records_quarantined
        from dq_landed_files
        group by status
        order by status
    """)


def last_runs(reader: PublishedReader, limit: int = 5) -> pd.DataFrame:
    return reader.frame("""
        select run_id, started_at, finished_at, status, files_landed, rows_landed,
            quarantined_rows, message
        from dq_runs
        order by started_at desc nulls last
        limit ?
    """, [limit])
