"""The report's charts: Vega-Lite specifications built with Altair (DECISIONS.md, "Report").

Each function returns a Vega-Lite spec (a dict, data inlined) that the page renders with the
vega-embed bundle it carries (hotline/report/html.py). Dates travel as `YYYY-MM-DD` strings on
UTC time units, and local interval starts as `HH:MM` labels, so no browser shifts a date or a
time by its own zone: every time on a chart is the reporting zone's, named in the axis title.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
        '"WenQuanYi Zen Hei", sans-serif')
GOOD, NEAR, BAD, INK, MUTED = "#1a7f37", "#b58105", "#cf222e", "#24292f", "#8c959f"
PALETTE = ["#0969da", "#8250df", "#1a7f37", "#bc4c00", "#cf222e", "#116329", "#953800"]


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (chart.configure(font=FONT, background="transparent")
            .configure_view(stroke=None)
            .configure_axis(labelColor=INK, titleColor=INK, gridColor="#eaeef2")
            .configure_legend(orient="bottom", labelFontSize=11, titleFontSize=11))


def spec(chart: alt.TopLevelMixin) -> dict:
    return _config(chart).to_dict()


def _date_axis(title: str) -> alt.X:
    return alt.X("utcyearmonthdate(date):T", title=title,
                 axis=alt.Axis(format="%m-%d", labelAngle=0, tickCount=8))


def _value_format(is_seconds: bool) -> str:
    return ",.0f" if is_seconds else ".0%"


def trend(frame: pd.DataFrame, title: str, date_title: str, is_seconds: bool) -> dict:
    """One KPI over the trend window: the actual line and the target as a dashed line."""
    data = frame.assign(date=frame["bucket_date"].astype(str))[["date", "actual", "target"]]
    fmt = _value_format(is_seconds)
    base = alt.Chart(data).encode(x=_date_axis(date_title))
    line = base.mark_line(point=alt.OverlayMarkDef(size=18), color=PALETTE[0]).encode(
        y=alt.Y("actual:Q", title=None, axis=alt.Axis(format=fmt)),
        tooltip=[alt.Tooltip("date:N", title=date_title), alt.Tooltip("actual:Q", format=fmt)],
    )
    target = base.mark_line(strokeDash=[5, 4], color=BAD, opacity=0.8).encode(
        y="target:Q", tooltip=[alt.Tooltip("target:Q", format=fmt)])
    return spec((line + target).properties(title=title, width="container", height=150))


def heatmap(frame: pd.DataFrame, field: str, title: str, hour_title: str, weekday_title: str,
            weekday_names: list[str], fmt: str, scheme: str) -> dict:
    data = frame.assign(day=[weekday_names[int(d) - 1] for d in frame["weekday"]],
                        hour=frame["hour"].astype(int))[["day", "hour", field]]
    chart = alt.Chart(data).mark_rect(stroke="white", strokeWidth=1).encode(
        x=alt.X("hour:O", title=hour_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("day:O", title=weekday_title, sort=weekday_names),
        color=alt.Color(f"{field}:Q", title=None, scale=alt.Scale(scheme=scheme),
                        legend=alt.Legend(format=fmt, orient="right")),
        tooltip=[alt.Tooltip("day:O", title=weekday_title), alt.Tooltip("hour:O", title=hour_title),
                 alt.Tooltip(f"{field}:Q", format=fmt, title=title)],
    )
    return spec(chart.properties(title=title, width="container", height=190))


def queue_service_level(frame: pd.DataFrame, title: str, queue_title: str,
                        target_title: str) -> dict:
    """Service level per queue with the queue's own target as a tick."""
    data = frame[["queue_name", "service_level", "service_level_target", "offered"]].copy()
    data["status"] = [
        "met" if target is None or pd.isna(target) or (value is not None and value >= target)
        else "missed"
        for value, target in zip(data["service_level"], data["service_level_target"], strict=True)
    ]
    order = list(data["queue_name"])
    base = alt.Chart(data).encode(y=alt.Y("queue_name:N", title=queue_title, sort=order))
    bars = base.mark_bar(height=16).encode(
        x=alt.X("service_level:Q", title=title, axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("status:N", legend=None,
                        scale=alt.Scale(domain=["met", "missed"], range=[GOOD, BAD])),
        tooltip=[alt.Tooltip("queue_name:N", title=queue_title),
                 alt.Tooltip("service_level:Q", format=".1%", title=title),
                 alt.Tooltip("service_level_target:Q", format=".0%", title=target_title),
                 alt.Tooltip("offered:Q", format=",")],
    )
    ticks = base.mark_tick(color=INK, thickness=2, size=22).encode(x="service_level_target:Q")
    return spec((bars + ticks).properties(width="container", height=max(90, 30 * len(data))))


def agent_scatter(frame: pd.DataFrame, y_field: str, y_title: str, x_title: str,
                  outlier_title: str, agent_title: str) -> dict:
    data = frame[["agent_id", "agent_name", "team", "handled", "aht_seconds", y_field,
                  "is_outlier"]].copy()
    data["flag"] = [outlier_title if flag else "" for flag in data["is_outlier"]]
    points = data.dropna(subset=["aht_seconds", y_field])
    chart = alt.Chart(points).mark_circle(opacity=0.75).encode(
        x=alt.X("aht_seconds:Q", title=x_title, scale=alt.Scale(zero=False)),
        y=alt.Y(f"{y_field}:Q", title=y_title, axis=alt.Axis(format=".0%"),
                scale=alt.Scale(zero=False)),
        size=alt.Size("handled:Q", legend=None, scale=alt.Scale(range=[20, 260])),
        color=alt.Color("flag:N", legend=None,
                        scale=alt.Scale(domain=["", outlier_title], range=[PALETTE[0], BAD])),
        tooltip=[alt.Tooltip("agent_name:N", title=agent_title), "team:N",
                 alt.Tooltip("handled:Q", format=","),
                 alt.Tooltip("aht_seconds:Q", format=",.0f", title=x_title),
                 alt.Tooltip(f"{y_field}:Q", format=".1%", title=y_title)],
    )
    return spec(chart.properties(width="container", height=240))


def backlog(frame: pd.DataFrame, title: str, date_title: str, priority_title: str) -> dict:
    data = frame.assign(date=frame["report_date"].astype(str))[
        ["date", "priority", "backlog_end_of_day"]]
    chart = alt.Chart(data).mark_area(opacity=0.85).encode(
        x=_date_axis(date_title),
        y=alt.Y("backlog_end_of_day:Q", title=title, stack=True),
        color=alt.Color("priority:N", title=priority_title,
                        sort=["urgent", "high", "normal", "low"],
                        scale=alt.Scale(range=PALETTE)),
        tooltip=[alt.Tooltip("date:N", title=date_title), "priority:N",
                 alt.Tooltip("backlog_end_of_day:Q", format=",", title=title)],
    )
    return spec(chart.properties(width="container", height=200))


def volume_forecast(frame: pd.DataFrame, title: str, date_title: str, series_names: dict) -> dict:
    data = frame.assign(date=frame["report_date"].astype(str),
                        series=[series_names[s] for s in frame["series"]])[
        ["date", "series", "offered"]]
    names = [series_names["actual"], series_names["forecast"]]
    chart = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=14)).encode(
        x=_date_axis(date_title),
        y=alt.Y("offered:Q", title=title),
        color=alt.Color("series:N", title=None,
                        scale=alt.Scale(domain=names, range=[PALETTE[0], PALETTE[1]])),
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=names, range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("date:N", title=date_title), "series:N",
                 alt.Tooltip("offered:Q", format=",.0f", title=title)],
    )
    return spec(chart.properties(width="container", height=200))


def accuracy(frame: pd.DataFrame, horizon_title: str, model_name: str, naive_name: str) -> dict:
    data = pd.concat([
        pd.DataFrame({"horizon": frame["horizon_days"], "method": model_name,
                      "wape": frame["wape"]}),
        pd.DataFrame({"horizon": frame["horizon_days"], "method": naive_name,
                      "wape": frame["seasonal_naive_wape"]}),
    ])
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("horizon:O", title=horizon_title, axis=alt.Axis(labelAngle=0)),
        xOffset="method:N",
        y=alt.Y("wape:Q", title="WAPE", axis=alt.Axis(format=".0%")),
        color=alt.Color("method:N", title=None,
                        scale=alt.Scale(domain=[model_name, naive_name],
                                        range=[PALETTE[0], MUTED])),
        tooltip=["method:N", alt.Tooltip("horizon:O", title=horizon_title),
                 alt.Tooltip("wape:Q", format=".1%")],
    )
    return spec(chart.properties(width="container", height=180))


def staffing(frame: pd.DataFrame, interval_title: str, required_name: str,
             staffed_name: str, value_title: str) -> dict:
    rows = []
    for _, row in frame.iterrows():
        label = pd.Timestamp(row["interval_start"]).strftime("%H:%M")
        rows.append({"interval": label, "series": required_name,
                     "agents": float(row["required_agents"])})
        if not pd.isna(row["staffed_agents"]):
            rows.append({"interval": label, "series": staffed_name,
                         "agents": float(row["staffed_agents"])})
    data = pd.DataFrame(rows, columns=["interval", "series", "agents"])
    order = list(dict.fromkeys(data["interval"]))
    base = alt.Chart(data).encode(
        x=alt.X("interval:O", title=interval_title, sort=order,
                axis=alt.Axis(labelAngle=-45, labelOverlap=True)))
    lines = base.mark_line(point=alt.OverlayMarkDef(size=16)).encode(
        y=alt.Y("agents:Q", title=value_title),
        color=alt.Color("series:N", title=None,
                        scale=alt.Scale(domain=[required_name, staffed_name],
                                        range=[BAD, PALETTE[0]])),
        tooltip=[alt.Tooltip("interval:O", title=interval_title), "series:N",
                 alt.Tooltip("agents:Q", format=",.1f")],
    )
    return spec(lines.properties(width="container", height=200))
