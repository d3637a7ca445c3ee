"""The report's words: KPI names and definitions from the dbt docs, page text in zh and en.

KPI labels are never typed here. Each KPI's doc block in models/docs/_metric_docs.md
(`col_<kpi>`, the same text every mart's YAML publishes as the column description and
persist_docs writes into serving.duckdb) starts with `<中文名> / <English name> = <definition>`
(or `: <definition>`); the report reads the blocks from the dbt manifest's `docs` section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotline.dbt_artifacts import PACKAGE, Manifest, ManifestError

# KPI -> doc block; every KPI the report names has one (python_tests/test_report.py).
KPI_DOCS = {
    kpi: f"col_{kpi}"
    for kpi in ("service_level", "avg_wait_seconds", "abandon_rate", "fcr_rate",
                "repeat_contact_rate", "csat_rate", "first_response_sla_rate", "offered",
                "answer_rate", "asa_seconds", "aht_seconds", "occupancy",
                "backlog_end_of_day", "tickets_created")
}
_LABEL = re.compile(r"^\s*(?P<zh>[^/=:]*[\u4e00-\u9fff][^/=:]*?)\s*/\s*(?P<en>[^=:]+?)\s*[=:]\s*"
                    r"(?P<definition>.+?)\s*$", re.S)


class LabelError(RuntimeError):
    """A KPI the report shows has no doc block in the `<zh> / <en> = <definition>` form."""


@dataclass(frozen=True)
class KpiLabel:
    kpi: str
    zh: str
    en: str
    definition: str

    @property
    def summary(self) -> str:
        """The definition's first sentence (the doc blocks lead with the plain formula)."""
        head, _, rest = self.definition.partition(". ")
        return head + "." if rest else self.definition

    @property
    def title_en(self) -> str:
        """The English name as a heading ("service level" -> "Service level")."""
        return self.en[:1].upper() + self.en[1:]

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.title_en

    def other_name(self, lang: str) -> str:
        return self.en if lang == "zh" else self.zh


def parse_doc(kpi: str, text: str) -> KpiLabel:
    match = _LABEL.match(text)
    if not match:
        raise LabelError(f"doc block {KPI_DOCS.get(kpi, kpi)} does not start with "
                         f"'<中文名> / <English name> = <definition>': {text[:80]!r}")
    definition = " ".join(match["definition"].split())
    return KpiLabel(kpi, match["zh"].strip(), match["en"].strip(), definition)


def kpi_labels(manifest: Manifest | None = None) -> dict[str, KpiLabel]:
    """Every KPI label the report uses, from the doc blocks of the dbt manifest."""
    try:
        manifest = manifest or Manifest.load()
    except ManifestError as exc:
        raise LabelError(f"KPI labels come from the dbt docs: {exc}") from exc
    docs = manifest.data.get("docs", {})
    labels = {}
    for kpi, block in KPI_DOCS.items():
        doc = docs.get(f"doc.{PACKAGE}.{block}")
        if doc is None:
            raise LabelError(f"doc block {block} (KPI {kpi}) is not in the dbt manifest")
        labels[kpi] = parse_doc(kpi, doc["block_contents"])
    return labels


WEEKDAYS = {
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}

TEXT = {
    "zh": {
        "title": "热线运营日报",
        "title_week": "热线运营周报",
        "title_month": "热线运营月报",
        "period": "报告期",
        "period_day": "日",
        "period_week": "周，周一起",
        "period_month": "月",
        "as_of": "数据截至",
        "run": "发布批次",
        "zone": "时区",
        "zone_note": "日期与时段均为{zone}当地时间（{offset}）；运行时间为 UTC。",
        "zone_unknown": "日期与时段为报告时区当地时间（发布文件未记录时区）。",
        "scorecard": "核心指标与目标",
        "scorecard_note": "整个中心合计：各队列、渠道、问卷的分子之和除以分母之和，"
                          "绝非比率的平均。",
        "actual": "实际",
        "target": "目标",
        "status": "状态",
        "met": "达标",
        "near": "接近",
        "missed": "未达标",
        "no_data": "无数据",
        "trends": "近 8 周趋势",
        "trends_note": "虚线为目标。",
        "trend_daily": "按日",
        "trend_weekly": "按周（合并计算）",
        "heatmap": "时段 × 星期：进线量与服务水平",
        "heatmap_note": "近 8 周，每日平均进线量与合并服务水平。",
        "hour": "小时",
        "weekday": "星期",
        "offered_per_day": "日均进线量",
        "queues": "各队列对比",
        "queue": "队列",
        "channel": "渠道",
        "agents": "坐席表现",
        "agents_note": "平均处理时长与首次解决率、满意度对比；离群者（Tukey 1.5×IQR，"
                       "处理量不少于 {min} 的坐席）以红色标出。不含任何客户数据。",
        "agent": "坐席",
        "team": "班组",
        "handled": "处理量",
        "outlier": "离群",
        "outliers": "离群坐席",
        "no_outliers": "本期无离群坐席。",
        "tickets": "工单积压与时效",
        "priority": "优先级",
        "solved": "已解决",
        "reopened": "重开",
        "resolution_sla_rate": "解决时效达标率",
        "first_response_avg": "平均首次响应（秒）",
        "alerts": "本期告警",
        "no_alerts": "本期无告警。",
        "severity": "级别",
        "scope": "对象",
        "message": "内容",
        "date": "日期",
        "interval": "时段",
        "forecast": "预测与实际",
        "forecast_note": "实线为实际进线量，虚线为未来 {days} 天的预测。",
        "actual_series": "实际",
        "forecast_series": "预测",
        "accuracy": "回测误差（WAPE，越低越好）",
        "horizon": "预测提前天数",
        "model": "本项目预测",
        "naive": "季节性朴素预测",
        "staffing": "人员配置缺口",
        "staffing_note": "{day}：Erlang 所需坐席与实际在岗坐席（按时段）；缺口 < 0 为人手不足。",
        "required": "所需坐席",
        "staffed": "在岗坐席",
        "understaffed": "人手不足时段",
        "next_day": "次日预测所需排班坐席",
        "interventions": "改进措施效果",
        "intervention": "措施",
        "start": "开始日期",
        "kpi": "指标",
        "pre": "实施前",
        "post": "实施后",
        "change": "变化",
        "did": "双重差分估计（95% 置信区间）",
        "p_value": "p 值",
        "quality": "数据质量",
        "quarantined": "隔离行（按原因）",
        "no_quarantine": "没有被隔离的行。",
        "entity": "实体",
        "reason": "原因",
        "rows": "行数",
        "files": "落地文件",
        "records_quarantined": "隔离记录",
        "freshness": "数据新鲜度",
        "freshness_note": "数据截至 {as_of}，发布于 {published}（相差 {hours} 小时）。",
        "runs": "最近运行",
        "started": "开始（UTC）",
        "finished": "结束（UTC）",
        "footer": "本报告由 hotline report 生成，只读取已发布的 serving.duckdb；"
                  "离线可用，无外部资源。",
        "definitions": "指标定义",
        "value": "数值",
    },
    "en": {
        "title": "Hotline daily report",
        "title_week": "Hotline weekly report",
        "title_month": "Hotline monthly report",
        "period": "Period",
        "period_day": "day",
        "period_week": "week, Monday first",
        "period_month": "month",
        "as_of": "Data as of",
        "run": "Published by run",
        "zone": "Time zone",
        "zone_note": "Dates and intervals are local time in {zone} ({offset}); run times are UTC.",
        "zone_unknown": "Dates and intervals are local to the reporting zone (not recorded in "
                        "the published file).",
        "scorecard": "Scorecard against targets",
        "scorecard_note": "The whole center: sum of numerators over sum of denominators of every "
                          "queue, channel and survey, never an average of rates.",
        "actual": "Actual",
        "target": "Target",
        "status": "Status",
        "met": "met",
        "near": "near",
        "missed": "missed",
        "no_data": "no data",
        "trends": "Trends, last 8 weeks",
        "trends_note": "Dashed line: target.",
        "trend_daily": "by day",
        "trend_weekly": "by week (pooled)",
        "heatmap": "Hour × weekday: volume and service level",
        "heatmap_note": "Last 8 weeks: offered legs per day and pooled service level.",
        "hour": "hour",
        "weekday": "weekday",
        "offered_per_day": "offered per day",
        "queues": "Queues side by side",
        "queue": "Queue",
        "channel": "Channel",
        "agents": "Agents",
        "agents_note": "Average handle time against FCR and CSAT; outliers (Tukey 1.5×IQR, "
                       "agents with at least {min} handled legs) in red. No customer data.",
        "agent": "Agent",
        "team": "Team",
        "handled": "handled",
        "outlier": "outlier",
        "outliers": "Outlying agents",
        "no_outliers": "No outlying agents in the period.",
        "tickets": "Ticket backlog and SLA",
        "priority": "Priority",
        "solved": "solved",
        "reopened": "reopened",
        "resolution_sla_rate": "resolution SLA rate",
        "first_response_avg": "first response, average (s)",
        "alerts": "Alerts of the period",
        "no_alerts": "No alerts in the period.",
        "severity": "Severity",
        "scope": "Scope",
        "message": "Message",
        "date": "Date",
        "interval": "Interval",
        "forecast": "Forecast vs actual",
        "forecast_note": "Solid: actual offered legs; dashed: forecast for the next {days} days.",
        "actual_series": "actual",
        "forecast_series": "forecast",
        "accuracy": "Backtest error (WAPE, lower is better)",
        "horizon": "horizon, days",
        "model": "this project's forecast",
        "naive": "seasonal naive",
        "staffing": "Staffing gap",
        "staffing_note": "{day}: agents Erlang requires against agents staffed per interval; a "
                         "gap below 0 is understaffed.",
        "required": "required agents",
        "staffed": "staffed agents",
        "understaffed": "understaffed intervals",
        "next_day": "Next forecast day: required scheduled agents",
        "interventions": "Intervention effects",
        "intervention": "Intervention",
        "start": "Start",
        "kpi": "KPI",
        "pre": "before",
        "post": "after",
        "change": "change",
        "did": "difference in differences (95 % CI)",
        "p_value": "p-value",
        "quality": "Data quality",
        "quarantined": "Quarantined rows by reason",
        "no_quarantine": "No quarantined rows.",
        "entity": "Entity",
        "reason": "Reason",
        "rows": "rows",
        "files": "Landed files",
        "records_quarantined": "records quarantined",
        "freshness": "Freshness",
        "freshness_note": "Data as of {as_of}, published {published} ({hours} h later).",
        "runs": "Last runs",
        "started": "started (UTC)",
        "finished": "finished (UTC)",
        "footer": "Written by hotline report from the published serving.duckdb only; works "
                  "offline, no external resources.",
        "definitions": "Definitions",
        "value": "value",
    },
}
