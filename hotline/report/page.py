"""Assemble the report: read the published marts, lay out sections, render one HTML file.

Sections (issue 13, "The report"): scorecard with traffic lights, 8-week trends with targets,
hour x weekday heatmaps, queues, agents (outliers marked), tickets, alerts, forecast vs actual
and the staffing gap (when those marts are published), intervention effects (when recorded),
data quality. Every local date and interval is labelled with the reporting zone.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from hotline.report import charts, data
from hotline.report.data import Period, PublishedReader, ReportError
from hotline.report.labels import TEXT, WEEKDAYS, KpiLabel, kpi_labels
from hotline.settings import Warehouse

LANGS = ("zh", "en")
# A missed target within this share of the target shows amber ("near"), further off red.
NEAR_MISS_SHARE = 0.05
# Agents need this many handled legs in the period to be judged for outliers (fewer: noise).
OUTLIER_MIN_HANDLED = 20
OUTLIER_MIN_RESPONSES = 5
MAX_ALERT_ROWS = 60


@dataclass
class Report:
    html: str
    period: Period
    sections: list[str]
    statements: list[str] = field(default_factory=list)
    chart_count: int = 0


# --- formatting ----------------------------------------------------------------------------

def _missing(value) -> bool:
    """None, NaN, NaT or pd.NA (pandas hands back any of them for a SQL null)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not a missing scalar
        return False


def fmt_value(value, kind: str) -> str:
    if _missing(value):
        return "—"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "seconds":
        return f"{value:,.1f} s"
    if kind == "score":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def kind_of(kpi: str) -> str:
    if kpi.endswith("_seconds"):
        return "seconds"
    if kpi in ("offered", "handled", "backlog_end_of_day", "tickets_created"):
        return "count"
    return "rate"


def compare(actual: float, comparator: str, target: float) -> bool | None:
    """`actual comparator target` for the comparators kpi_targets holds (<=, >=, <, >): the
    same reading as the compare_to_threshold macro, applied to a period's pooled figure."""
    if _missing(actual) or _missing(target):
        return None
    return {"<=": actual <= target, ">=": actual >= target,
            "<": actual < target, ">": actual > target}.get(comparator)


def light(actual, comparator, target) -> str:
    """Traffic light: met (green), near (amber: missed by at most NEAR_MISS_SHARE of the
    target), missed (red), none (grey: no figure or no target)."""
    met = compare(actual, comparator, target)
    if met is None:
        return "none"
    if met:
        return "met"
    gap = abs(actual - target) / abs(target) if target else math.inf
    return "near" if gap <= NEAR_MISS_SHARE else "missed"


def offset_label(minutes) -> str:
    if _missing(minutes):
        return "UTC?"
    minutes = int(minutes)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _table(headers: list[tuple[str, str, str]], rows: list[list[tuple[str, str]]],
           row_classes: list[str] | None = None) -> dict:
    return {
        "headers": [{"text": text, "cls": cls, "title": title} for text, cls, title in headers],
        "rows": [{"cls": (row_classes or [""] * len(rows))[i],
                  "cells": [{"text": text, "cls": cls} for text, cls in row]}
                 for i, row in enumerate(rows)],
    }


# --- the report ----------------------------------------------------------------------------

class _Builder:
    def __init__(self, reader: PublishedReader, lang: str, labels: dict[str, KpiLabel]):
        self.reader, self.lang, self.labels = reader, lang, labels
        self.t = TEXT[lang]
        self.charts: list[dict] = []
        self.sections: list[dict] = []
        self.zone = "本地" if lang == "zh" else "local"

    def chart(self, spec: dict) -> dict:
        chart = {"id": f"chart-{len(self.charts) + 1}", "spec": spec}
        self.charts.append(chart)
        return chart

    def kpi_head(self, kpi: str, cls: str = "num") -> tuple[str, str, str]:
        label = self.labels[kpi]
        return label.name(self.lang), cls, f"{label.zh} / {label.en}: {label.definition}"

    def local(self, text: str) -> str:
        """An axis or column title with the reporting zone."""
        return f"{text}（{self.zone}）" if self.lang == "zh" else f"{text} ({self.zone})"


def build_report(warehouse: Warehouse | Path, day: date | None = None, period: str = "day",
                 lang: str = "zh", labels: dict[str, KpiLabel] | None = None) -> Report:
    """Read serving.duckdb (read-only) and return the HTML of the report."""
    if lang not in LANGS:
        raise ReportError(f"--lang must be one of {', '.join(LANGS)}, got {lang!r}")
    if period not in data.PERIODS:
        raise ReportError(f"--period must be one of {', '.join(data.PERIODS)}, got {period!r}")
    labels = labels or kpi_labels()
    with PublishedReader.for_warehouse(warehouse) as reader:
        tables = reader.tables()
        missing = [name for name in ("kpi_scorecard", "kpi_queue_daily", "kpi_queue_interval",
                                     "kpi_agent_daily", "kpi_ticket_daily", "kpi_alerts",
                                     "dim_queues", "dim_agents") if name not in tables]
        if missing:
            raise ReportError(f"the serving file has no {', '.join(missing)}")
        b = _Builder(reader, lang, labels)
        settings = data.build_settings(reader, tables)
        run = data.published_run(reader, tables)
        b.zone = settings.get("reporting_timezone") or b.zone
        day = day or data.default_date(reader)
        the_period = Period.of(period, day)

        _scorecard(b, the_period)
        _trends(b, the_period)
        _heatmaps(b, the_period)
        _queues(b, the_period)
        _agents(b, the_period)
        _tickets(b, the_period)
        _alerts(b, the_period)
        if data.has(tables, data.FORECAST_TABLES):
            _forecast(b, the_period)
        if data.has(tables, data.STAFFING_TABLES):
            _staffing(b, the_period)
        if data.has(tables, data.INTERVENTION_TABLES):
            _interventions(b)
        _quality(b, tables, settings, run)
        _definitions(b)

        t = b.t
        title = t["title" if period == "day" else f"title_{period}"]
        if the_period.start == the_period.end:
            period_label = the_period.end.isoformat()
        else:
            period_label = f"{the_period.start.isoformat()} – {the_period.end.isoformat()}"
        kind = t["period_" + period]
        period_label += f"（{kind}）" if lang == "zh" else f" ({kind})"
        if settings:
            zone_label = f"{settings['reporting_timezone']} " \
                         f"({offset_label(settings['reporting_utc_offset_minutes'])})"
            zone_note = t["zone_note"].format(
                zone=settings["reporting_timezone"],
                offset=offset_label(settings["reporting_utc_offset_minutes"]))
            as_of_label = (f"{_ts(settings['as_of'])} UTC = {_ts(settings['as_of_local'])} "
                           f"{settings['reporting_timezone']}")
        else:
            zone_label, zone_note, as_of_label = "?", t["zone_unknown"], "?"
        from hotline.report.html import render_page

        html = render_page({
            "html_lang": "zh-CN" if lang == "zh" else "en",
            "t": t, "title": title, "period_label": period_label,
            "as_of_label": as_of_label, "run_id": run.get("run_id") or "—",
            "zone_label": zone_label, "zone_note": zone_note,
            "sections": b.sections, "charts": b.charts,
        })
        return Report(html=html, period=the_period, sections=[s["id"] for s in b.sections],
                      statements=list(reader.statements), chart_count=len(b.charts))


def _day(value) -> str:
    return "—" if _missing(value) else pd.Timestamp(value).date().isoformat()


def _ts(value) -> str:
    if _missing(value):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def _scorecard(b: _Builder, period: Period) -> None:
    frame = data.scorecard(b.reader, period).set_index("kpi_name")
    cards = []
    for kpi in data.SCORECARD_KPIS:
        label = b.labels[kpi]
        row = frame.loc[kpi] if kpi in frame.index else None
        actual = None if row is None else row["actual"]
        target = None if row is None else row["target"]
        comparator = None if row is None else row["comparator"]
        status = light(actual, comparator, target)
        target_text = (f"{b.t['target']} {comparator} {fmt_value(target, kind_of(kpi))}"
                       if not _missing(target) else f"{b.t['target']} —")
        cards.append({
            "kpi": kpi, "name": label.name(b.lang), "other": label.other_name(b.lang),
            "value": fmt_value(actual, kind_of(kpi)), "target": target_text,
            "status": status if status != "none" else "",
            "status_label": b.t["no_data" if status == "none" else status],
            "definition": label.summary,
        })
    b.sections.append({"id": "scorecard", "title": b.t["scorecard"],
                       "note": b.t["scorecard_note"], "cards": cards, "blocks": []})


def _trends(b: _Builder, period: Period) -> None:
    weekly = period.kind != "day"
    frame = data.trends(b.reader, period, weekly)
    blocks = []
    date_title = b.local(b.t["date"])
    specs = []
    for kpi in data.SCORECARD_KPIS:
        label = b.labels[kpi]
        series = frame[frame["kpi_name"] == kpi]
        title = f"{label.name(b.lang)} · {label.other_name(b.lang)}"
        specs.append(b.chart(charts.trend(series, title, date_title, kind_of(kpi) == "seconds")))
    stop = "。" if b.lang == "zh" else ". "
    note = f"{b.t['trend_weekly' if weekly else 'trend_daily']}{stop}{b.t['trends_note']}"
    blocks.append({"charts": specs, "layout": "grid", "note": note})
    b.sections.append({"id": "trends", "title": b.t["trends"], "blocks": blocks})


def _heatmaps(b: _Builder, period: Period) -> None:
    frame = data.weekday_hour(b.reader, period)
    if frame.empty:
        return
    hour_title, weekday_title = b.local(b.t["hour"]), b.t["weekday"]
    names = WEEKDAYS[b.lang]
    offered = b.labels["offered"]
    sl = b.labels["service_level"]
    specs = [
        b.chart(charts.heatmap(frame, "offered_per_day",
                               f"{offered.name(b.lang)} · {b.t['offered_per_day']}",
                               hour_title, weekday_title, names, ",.1f", "blues")),
        b.chart(charts.heatmap(frame, "service_level",
                               f"{sl.name(b.lang)} · {sl.other_name(b.lang)}",
                               hour_title, weekday_title, names, ".0%", "redyellowgreen")),
    ]
    b.sections.append({"id": "heatmap", "title": b.t["heatmap"], "note": b.t["heatmap_note"],
                       "blocks": [{"charts": specs}]})


def _queues(b: _Builder, period: Period) -> None:
    frame = data.queues(b.reader, period)
    if frame.empty:
        return
    sl = b.labels["service_level"]
    spec = charts.queue_service_level(frame, f"{sl.name(b.lang)} · {sl.other_name(b.lang)}",
                                      b.t["queue"], b.t["target"])
    columns = ["offered", "service_level", "answer_rate", "abandon_rate", "asa_seconds",
               "avg_wait_seconds", "aht_seconds", "fcr_rate", "csat_rate"]
    headers = [(b.t["queue"], "", ""), (b.t["channel"], "", "")]
    headers += [b.kpi_head(kpi) for kpi in columns]
    headers.insert(4, (b.t["target"], "num", ""))
    rows, classes = [], []
    for _, row in frame.iterrows():
        cells = [(row["queue_name"], ""), (row["channel"] or "", "")]
        cells += [(fmt_value(row[kpi], kind_of(kpi)), "num") for kpi in columns]
        cells.insert(4, (fmt_value(row["service_level_target"], "rate"), "num"))
        rows.append(cells)
        missed = compare(row["service_level"], ">=", row["service_level_target"]) is False
        classes.append("bad" if missed else "")
    b.sections.append({"id": "queues", "title": b.t["queues"], "blocks": [
        {"charts": [b.chart(spec)], "layout": "grid1"},
        {"table": _table(headers, rows, classes)},
    ]})


def mark_outliers(frame: pd.DataFrame) -> pd.DataFrame:
    """Tukey's fences (1.5 x IQR) among agents with OUTLIER_MIN_HANDLED handled legs: AHT
    outside the fences either way, FCR or CSAT below the lower fence."""
    frame = frame.copy()
    frame["is_outlier"] = False
    frame["outlier_reason"] = ""
    judged = frame["handled"] >= OUTLIER_MIN_HANDLED
    enough_fcr = frame["fcr_eligible"].fillna(0).ge(OUTLIER_MIN_RESPONSES)
    enough_csat = frame["csat_responses"].fillna(0).ge(OUTLIER_MIN_RESPONSES)
    checks = [("aht_seconds", True, judged, "AHT"),
              ("fcr_rate", False, judged & enough_fcr, "FCR"),
              ("csat_rate", False, judged & enough_csat, "CSAT")]
    for column, both_sides, mask, name in checks:
        values = frame.loc[mask, column].dropna().astype(float)
        if len(values) < 4:
            continue
        q1, q3 = values.quantile(0.25), values.quantile(0.75)
        low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        column_values = frame[column].astype(float)
        out = mask & ((column_values < low) | (both_sides & (column_values > high)))
        out = out.fillna(False)
        frame.loc[out, "is_outlier"] = True
        frame.loc[out, "outlier_reason"] = [
            (reason + " " if reason else "") + name for reason in frame.loc[out, "outlier_reason"]]
    return frame


def _agents(b: _Builder, period: Period) -> None:
    frame = data.agents(b.reader, period)
    if frame.empty:
        return
    frame = mark_outliers(frame)
    aht, fcr, csat = (b.labels[k] for k in ("aht_seconds", "fcr_rate", "csat_rate"))
    x_title = f"{aht.name(b.lang)} (s)"
    specs = [
        b.chart(charts.agent_scatter(frame, "fcr_rate", fcr.name(b.lang), x_title,
                                     b.t["outlier"], b.t["agent"])),
        b.chart(charts.agent_scatter(frame, "csat_rate", csat.name(b.lang), x_title,
                                     b.t["outlier"], b.t["agent"])),
    ]
    outliers = frame[frame["is_outlier"]]
    blocks = [{"charts": specs}]
    if outliers.empty:
        blocks.append({"heading": b.t["outliers"], "text": b.t["no_outliers"]})
    else:
        headers = [(b.t["agent"], "", ""), (b.t["team"], "", ""), (b.t["handled"], "num", ""),
                   b.kpi_head("aht_seconds"), b.kpi_head("fcr_rate"), b.kpi_head("csat_rate"),
                   b.kpi_head("occupancy"), (b.t["outlier"], "", "")]
        rows = [[(f"{row['agent_name']} ({row['agent_id']})", ""), (row["team"] or "", ""),
                 (fmt_value(row["handled"], "count"), "num"),
                 (fmt_value(row["aht_seconds"], "seconds"), "num"),
                 (fmt_value(row["fcr_rate"], "rate"), "num"),
                 (fmt_value(row["csat_rate"], "rate"), "num"),
                 (fmt_value(row["occupancy"], "rate"), "num"), (row["outlier_reason"], "")]
                for _, row in outliers.iterrows()]
        blocks.append({"heading": b.t["outliers"], "table": _table(headers, rows)})
    b.sections.append({"id": "agents", "title": b.t["agents"],
                       "note": b.t["agents_note"].format(min=OUTLIER_MIN_HANDLED),
                       "blocks": blocks})


def _tickets(b: _Builder, period: Period) -> None:
    backlog = data.ticket_backlog(b.reader, period)
    frame = data.tickets(b.reader, period)
    if backlog.empty and frame.empty:
        return
    label = b.labels["backlog_end_of_day"]
    blocks = []
    if not backlog.empty:
        blocks.append({"charts": [b.chart(charts.backlog(
            backlog, label.name(b.lang), b.local(b.t["date"]), b.t["priority"]))],
            "layout": "grid1"})
    headers = [(b.t["priority"], "", ""), b.kpi_head("tickets_created"),
               (b.t["solved"], "num", ""), (b.t["reopened"], "num", ""),
               b.kpi_head("backlog_end_of_day"), (b.t["first_response_avg"], "num", ""),
               b.kpi_head("first_response_sla_rate"), (b.t["resolution_sla_rate"], "num", "")]
    rows = [[(row["priority"], ""), (fmt_value(row["tickets_created"], "count"), "num"),
             (fmt_value(row["tickets_solved"], "count"), "num"),
             (fmt_value(row["tickets_reopened"], "count"), "num"),
             (fmt_value(row["backlog_end_of_day"], "count"), "num"),
             (fmt_value(row["first_response_avg_seconds"], "seconds"), "num"),
             (fmt_value(row["first_response_sla_rate"], "rate"), "num"),
             (fmt_value(row["resolution_sla_rate"], "rate"), "num")]
            for _, row in frame.iterrows()]
    blocks.append({"table": _table(headers, rows)})
    b.sections.append({"id": "tickets", "title": b.t["tickets"], "blocks": blocks})


def _alerts(b: _Builder, period: Period) -> None:
    frame = data.alerts(b.reader, period)
    if frame.empty:
        b.sections.append({"id": "alerts", "title": b.t["alerts"],
                           "blocks": [{"text": b.t["no_alerts"]}]})
        return
    counts = frame["severity"].value_counts()
    note = " · ".join(f"{severity}: {count}" for severity, count in counts.items())
    headers = [(b.local(b.t["date"]), "", ""), (b.t["severity"], "", ""),
               (b.t["scope"], "", ""), (b.local(b.t["interval"]), "", ""),
               (b.t["message"], "", "")]
    rows = []
    for _, row in frame.head(MAX_ALERT_ROWS).iterrows():
        interval = ("" if _missing(row["interval_start"])
                    else pd.Timestamp(row["interval_start"]).strftime("%H:%M"))
        rows.append([(_day(row["report_date"]), ""),
                     (row["severity"], f"sev-{row['severity']}"),
                     (f"{row['scope_type']} {row['scope_id']}", ""), (interval, ""),
                     (row["message"], "")])
    if len(frame) > MAX_ALERT_ROWS:
        note += f" · {len(frame) - MAX_ALERT_ROWS} more in kpi_alerts"
    b.sections.append({"id": "alerts", "title": b.t["alerts"], "note": note,
                       "blocks": [{"table": _table(headers, rows)}]})


def _forecast(b: _Builder, period: Period) -> None:
    volume = data.volume_actual_and_forecast(b.reader, period)
    accuracy = data.forecast_accuracy(b.reader)
    offered = b.labels["offered"]
    forecast_days = volume.loc[volume["series"] == "forecast", "report_date"].nunique()
    specs = [b.chart(charts.volume_forecast(
        volume, offered.name(b.lang), b.local(b.t["date"]),
        {"actual": b.t["actual_series"], "forecast": b.t["forecast_series"]}))]
    if not accuracy.empty:
        specs.append(b.chart(charts.accuracy(accuracy, b.t["horizon"], b.t["model"],
                                             b.t["naive"])))
    b.sections.append({"id": "forecast", "title": b.t["forecast"],
                       "note": b.t["forecast_note"].format(days=forecast_days),
                       "blocks": [{"charts": specs}]})


def _staffing(b: _Builder, period: Period) -> None:
    frame = data.staffing(b.reader, period.end)
    blocks = []
    if not frame.empty:
        short = int(frame["understaffed"].fillna(False).sum())
        history = int((~frame["is_forecast"]).sum())
        blocks.append({
            "note": b.t["staffing_note"].format(day=period.end.isoformat())
            + f" {b.t['understaffed']}: {short} / {history}.",
            "charts": [b.chart(charts.staffing(frame, b.local(b.t["interval"]), b.t["required"],
                                               b.t["staffed"], b.t["required"]))],
            "layout": "grid1"})
    next_day = data.next_forecast_day(b.reader)
    if next_day is not None:
        ahead = _trim_idle(data.staffing(b.reader, next_day))
        if not ahead.empty:
            blocks.append({
                "heading": f"{b.t['next_day']} · {next_day.isoformat()}",
                "charts": [b.chart(charts.staffing(
                    ahead.assign(required_agents=ahead["required_scheduled_agents"]),
                    b.local(b.t["interval"]), b.t["required"], b.t["staffed"],
                    b.t["required"]))],
                "layout": "grid1"})
    if blocks:
        b.sections.append({"id": "staffing", "title": b.t["staffing"], "blocks": blocks})


def _trim_idle(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the leading and trailing intervals that require no agents (the center is closed)."""
    busy = [i for i, value in enumerate(frame["required_scheduled_agents"]) if value]
    return frame.iloc[busy[0]:busy[-1] + 1] if busy else frame.iloc[0:0]


def _interventions(b: _Builder) -> None:
    frame = data.interventions(b.reader)
    if frame.empty:
        return
    headers = [(b.t["intervention"], "", ""), (b.local(b.t["start"]), "", ""),
               (b.t["kpi"], "", ""), (b.t["pre"], "num", ""), (b.t["post"], "num", ""),
               (b.t["change"], "num", ""), (b.t["did"], "num", ""), (b.t["p_value"], "num", "")]
    rows = []
    for _, row in frame.iterrows():
        kpi = row["kpi_name"]
        kind = kind_of(kpi)
        label = b.labels[kpi].name(b.lang) if kpi in b.labels else kpi
        did = "—"
        if not _missing(row["did_estimate"]):
            did = (f"{fmt_value(row['did_estimate'], kind)} "
                   f"[{fmt_value(row['did_ci_low'], kind)}, {fmt_value(row['did_ci_high'], kind)}]")
        p_value = "—" if _missing(row["did_p_value"]) else f"{row['did_p_value']:.3f}"
        rows.append([(row["intervention_name"] or row["intervention_id"], ""),
                     (_day(row["start_date"]), ""), (label, ""),
                     (fmt_value(row["treated_pre"], kind), "num"),
                     (fmt_value(row["treated_post"], kind), "num"),
                     (fmt_value(row["change"], kind), "num"), (did, "num"), (p_value, "num")])
    b.sections.append({"id": "interventions", "title": b.t["interventions"],
                       "blocks": [{"table": _table(headers, rows)}]})


def _quality(b: _Builder, tables: set[str], settings: dict, run: dict) -> None:
    blocks = []
    if "dq_quarantined_rows" in tables:
        frame = data.quarantine(b.reader)
        if frame.empty:
            blocks.append({"heading": b.t["quarantined"], "text": b.t["no_quarantine"]})
        else:
            rows = [[(row["entity"], ""), (row["reason"], ""),
                     (fmt_value(row["rows_quarantined"], "count"), "num")]
                    for _, row in frame.iterrows()]
            blocks.append({"heading": b.t["quarantined"], "table": _table(
                [(b.t["entity"], "", ""), (b.t["reason"], "", ""), (b.t["rows"], "num", "")],
                rows)})
    if "dq_landed_files" in tables:
        frame = data.landed_files(b.reader)
        rows = [[(row["status"], ""), (fmt_value(row["files"], "count"), "num"),
                 (fmt_value(row["rows_landed"], "count"), "num"),
                 (fmt_value(row["records_quarantined"], "count"), "num")]
                for _, row in frame.iterrows()]
        blocks.append({"heading": b.t["files"], "table": _table(
            [(b.t["status"], "", ""), (b.t["files"], "num", ""), (b.t["rows"], "num", ""),
             (b.t["records_quarantined"], "num", "")], rows)})
    if settings and run and not _missing(run.get("finished_at")):
        hours = (pd.Timestamp(run["finished_at"]) - pd.Timestamp(settings["as_of"])) \
            / pd.Timedelta(hours=1)
        blocks.append({"heading": b.t["freshness"], "text": b.t["freshness_note"].format(
            as_of=f"{_ts(settings['as_of'])} UTC", published=f"{_ts(run['finished_at'])} UTC",
            hours=f"{hours:,.1f}")})
    if "dq_runs" in tables:
        frame = data.last_runs(b.reader)
        rows = [[(row["run_id"], ""), (_ts(row["started_at"]), ""), (_ts(row["finished_at"]), ""),
                 (row["status"] or "", ""), (fmt_value(row["files_landed"], "count"), "num"),
                 (fmt_value(row["rows_landed"], "count"), "num"),
                 (fmt_value(row["quarantined_rows"], "count"), "num")]
                for _, row in frame.iterrows()]
        blocks.append({"heading": b.t["runs"], "table": _table(
            [(b.t["run"], "", ""), (b.t["started"], "", ""), (b.t["finished"], "", ""),
             (b.t["status"], "", ""), (b.t["files"], "num", ""), (b.t["rows"], "num", ""),
             (b.t["records_quarantined"], "num", "")], rows)})
    b.sections.append({"id": "quality", "title": b.t["quality"], "blocks": blocks})


def _definitions(b: _Builder) -> None:
    b.sections.append({"id": "definitions", "title": b.t["definitions"],
                       "blocks": [{"definitions": list(b.labels.values())}]})


# --- writing -------------------------------------------------------------------------------

def default_path(warehouse: Warehouse | Path, period: Period, lang: str) -> Path:
    """`<warehouse-dir>/report-<date>.html` (day, zh), `report-week-<date>.en.html`, ..."""
    kind = "" if period.kind == "day" else f"{period.kind}-"
    suffix = "" if lang == "zh" else f".{lang}"
    return Path(warehouse) / f"report-{kind}{period.end.isoformat()}{suffix}.html"


def write_report(warehouse: Warehouse | Path, out: Path | None = None, day: date | None = None,
                 period: str = "day", lang: str = "zh") -> tuple[Path, Report]:
    """Build the report and write it atomically (a reader never sees half a file)."""
    report = build_report(warehouse, day, period, lang)
    path = Path(out) if out else default_path(warehouse, report.period, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(report.html)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path, report


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ReportError(f"--date must be YYYY-MM-DD, got {text!r}") from None
