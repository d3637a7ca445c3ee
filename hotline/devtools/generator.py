"""Synthetic landing extracts for a China service hotline (landing contract layout).

The whole period is simulated at once with numpy (no Python loop over contact legs), then
written as one CSV file per entity per delivery day:

* arrivals follow an intraday curve (morning and afternoon peaks), a weekday/weekend
  pattern and a fixed list of Chinese public holidays;
* agents work full or part-time shifts rostered against each team's intraday curve, with
  breaks, meetings and training; an event-driven first-come-first-served simulation gives
  each queued leg to the team's longest-idle agent, or lets the caller abandon when the wait
  would exceed their patience, so waits, abandons, service level and occupancy emerge from
  staffing versus arrivals, including understaffed peaks; agent states follow from it;
* transfers chain legs, customers repeat within 7 days, tickets have event lifecycles and
  surveys follow some contacts and solved tickets.

Times are int64 epoch seconds (UTC) internally; the centre runs in Asia/Shanghai (+08:00).
"""

from __future__ import annotations

import csv
import io
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from hotline.contract import ENTITY_BY_NAME

LOCAL_OFFSET = 8 * 3600  # Asia/Shanghai has no daylight saving time
DAY = 86400
SLOT = 900  # 15-minute staffing slots
SLOTS_PER_DAY = DAY // SLOT
LATE_SHARE = 0.015  # records delivered in the next day's file
LEGS_PER_INTERACTION = 1.07  # transfers add legs; used to hit contacts_per_day on average
# Roster size (days off and part-timers included): agents in proportion to volume plus a
# square-root safety margin, the way Erlang staffing scales (issue 11): about 35 daily legs
# per rostered agent at 3,000 legs a day and 40 at 20,000 (occupancy ~66 % and ~80 %).
ROSTER_LEGS_PER_AGENT = 43
ROSTER_SQRT_MARGIN = 0.27

# ---------------------------------------------------------------------------------------
# Static configuration of the simulated centre


@dataclass(frozen=True)
class QueueSpec:
    queue_id: str
    name: str
    channel: str
    sl_seconds: int
    sl_target: float
    business_unit: str
    share: float  # share of inbound interactions
    talk_median: float  # seconds, lognormal
    acw_mean: float
    patience_median: float
    timeout: int  # queue_timeout after this many seconds
    team: str
    dialed: str
    wraps: tuple[str, ...]


QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec("Q_BILLING", "账单查询 Billing", "voice", 20, 0.80, "Consumer", 0.32, 230, 40,
              80, 480, "Billing", "95123",
              ("BILL_INQUIRY", "REFUND", "PAYMENT_FAILED", "PLAN_CHANGE")),
    QueueSpec("Q_TECH", "技术支持 Technical", "voice", 30, 0.80, "Consumer", 0.28, 300, 60,
              100, 600, "Technical", "95123",
              ("NO_SIGNAL", "DEVICE_SETUP", "OUTAGE", "SLOW_INTERNET")),
    QueueSpec("Q_SALES", "业务办理 Sales", "voice", 20, 0.75, "Sales", 0.12, 240, 35,
              70, 420, "Sales", "400-820-9512",
              ("NEW_PLAN", "UPGRADE", "PROMOTION_INFO")),
    QueueSpec("Q_VIP", "贵宾专线 VIP", "voice", 10, 0.90, "Premium", 0.06, 270, 45,
              60, 300, "VIP", "95123-8",
              ("VIP_SERVICE", "COMPLAINT", "RETENTION")),
    QueueSpec("Q_CHAT", "在线客服 Chat", "chat", 60, 0.80, "Digital", 0.22, 420, 30,
              240, 900, "Chat", "wechat:hotline",
              ("CHAT_BILLING", "CHAT_TECH", "CHAT_ORDER", "CHAT_OTHER")),
)
N_QUEUES = len(QUEUES)
VOICE_QUEUES = np.array([i for i, q in enumerate(QUEUES) if q.channel == "voice"])
CHAT_QUEUE = next(i for i, q in enumerate(QUEUES) if q.channel == "chat")
VIP_QUEUE = next(i for i, q in enumerate(QUEUES) if q.queue_id == "Q_VIP")

# Full 8.5-hour shifts starting every 30 minutes from 08:00 to 13:30 and 4.5-hour part-time
# shifts (peaks and evenings) up to 17:30; the centre is open 08:00-22:00. Each team's agents
# are spread over them to follow its intraday demand (_demand_shifts).
SHIFTS = (tuple((start, start + 510) for start in range(8 * 60, 13 * 60 + 31, 30))
          + tuple((start, start + 270) for start in range(8 * 60, 17 * 60 + 31, 30)))
SITES = ("北京 Beijing", "成都 Chengdu", "武汉 Wuhan")

CHANNELS = ("voice", "chat")
DIRECTIONS = ("inbound", "outbound", "callback")
IVR_OUTCOMES = ("self_service", "agent_requested", "abandoned")
DISCONNECTS = ("customer_disconnect", "agent_disconnect", "transfer", "queue_timeout", "system")
STATES = ("available", "on_contact", "after_contact_work", "break", "meeting", "training",
          "offline")
PRIORITIES = ("urgent", "high", "normal", "low")
FR_TARGET_MIN = np.array([60, 120, 480, 1440])
RES_TARGET_MIN = np.array([240, 480, 1440, 4320])
STATUSES = ("new", "open", "pending", "solved", "closed")
EVENT_TYPES = ("created", "assigned", "agent_reply", "customer_reply", "status_changed",
               "priority_changed", "escalated", "comment")
ACTORS = ("agent", "customer", "system")
SOURCE_CHANNELS = ("voice", "chat", "email", "web", "social")
CATEGORIES = ("billing", "technical", "sales", "complaint", "account")
GROUPS = ("Billing Support", "Tech Support L1", "Sales Desk", "VIP Care", "Digital Care",
          "Tech Support L2", "Complaints Desk")
SURVEY_TYPES = ("csat", "nps", "ces")

# Chinese public holidays (official day-off ranges; lower volume, skeleton staffing).
_HOLIDAY_RANGES = (
    ("2024-01-01", 1), ("2024-02-10", 8), ("2024-04-04", 3), ("2024-05-01", 5),
    ("2024-06-10", 1), ("2024-09-15", 3), ("2024-10-01", 7),
    ("2025-01-01", 1), ("2025-01-28", 8), ("2025-04-04", 3), ("2025-05-01", 5),
    ("2025-05-31", 3), ("2025-10-01", 8),
    ("2026-01-01", 3), ("2026-02-15", 9), ("2026-04-04", 3), ("2026-05-01", 5),
    ("2026-06-19", 3), ("2026-09-25", 3), ("2026-10-01", 7),
    ("2027-01-01", 3), ("2027-02-05", 8), ("2027-04-04", 3), ("2027-05-01", 5),
    ("2027-06-09", 3), ("2027-09-15", 3), ("2027-10-01", 7),
)
HOLIDAYS = frozenset(
    date.fromisoformat(start) + timedelta(days=i) for start, n in _HOLIDAY_RANGES for i in range(n)
)

_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
             "胡", "郭", "何", "林", "罗", "高")
_SURNAMES_PINYIN = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
                    "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao")
_GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
          "超", "秀英", "海燕", "志强", "晓东", "丽华")
_GIVEN_PINYIN = ("Wei", "Fang", "Na", "Min", "Jing", "Lei", "Yang", "Yan", "Yong", "Jun", "Jie",
                 "Juan", "Tao", "Ming", "Chao", "Xiuying", "Haiyan", "Zhiqiang", "Xiaodong",
                 "Lihua")
_WESTERN = ("Emily", "David", "Anna", "Michael", "Sophie", "Daniel", "Grace", "Kevin")

_SUBJECTS = ("账单金额有误", "宽带无法连接", "套餐变更申请", "退款进度查询", "投诉：服务态度",
             "Invoice question", "App login problem", "Refund not received", "信号差",
             "Change of address", "发票开具", "Cancel subscription")
_COMMENTS = ("服务很好，谢谢！", "等待时间太长了", "问题已解决", "客服很耐心", "还是没解决",
             "Fast and friendly, thanks", "Had to call twice, not happy",
             'Agent said "we will call back", nobody did', "转了好几次, 体验差",
             "OK", "非常满意")

# ---------------------------------------------------------------------------------------
# Summary


@dataclass
class GenerationSummary:
    landing_dir: Path
    start_date: date
    days: int
    files_written: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    bad_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        end = self.start_date + timedelta(days=self.days - 1)
        lines = [
            f"generated {self.days} day(s) {self.start_date}..{end} into {self.landing_dir}",
            f"files written: {self.files_written} in {self.seconds:.1f}s",
        ]
        for name, count in self.rows.items():
            bad = self.bad_rows.get(name, 0)
            lines.append(f"  {name:<17} {count:>10,} rows" + (f" ({bad:,} bad)" if bad else ""))
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Small vectorised helpers


def _lognormal(rng: np.random.Generator, median, sigma, size) -> np.ndarray:
    return np.exp(np.log(median) + sigma * rng.standard_normal(size))


def _group_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Boolean mask of the first element of each run of equal keys."""
    first = np.ones(len(sorted_keys), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return first


def _rank_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """0-based position of each element within its run of equal keys (keys sorted)."""
    idx = np.arange(len(sorted_keys))
    start = np.maximum.accumulate(np.where(_group_starts(sorted_keys), idx, 0))
    return idx - start


def _ffill_in_group(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Forward-fill values where valid is False (first element of each group is valid)."""
    idx = np.where(valid, np.arange(len(values)), 0)
    return values[np.maximum.accumulate(idx)]


def _str(values) -> pa.Array:
    return pa.array(values, type=pa.string())


def _choice_str(labels: tuple[str, ...], codes: np.ndarray, valid: np.ndarray | None = None):
    arr = pa.DictionaryArray.from_arrays(
        pa.array(np.where(codes < 0, 0, codes).astype(np.int32),
                 mask=None if valid is None else ~valid),
        pa.array(list(labels), type=pa.string()),
    )
    return arr.cast(pa.string())


def _int_str(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype(np.int64), mask=None if valid is None else ~valid).cast(
        pa.string())


def _ids(prefix: str, numbers: np.ndarray, width: int, valid: np.ndarray | None = None):
    digits = pc.utf8_lpad(_int_str(numbers, valid), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _iso(seconds: np.ndarray, mask: np.ndarray | None, suffix: str) -> pa.Array:
    # casting timestamp[s] to text is fast ("YYYY-MM-DD HH:MM:SS"); strftime is ~6x slower
    text = pa.array(seconds, type=pa.timestamp("s"), mask=mask).cast(pa.string())
    return pc.binary_join_element_wise(pc.binary_replace_slice(text, 10, 11, "T"), suffix, "")


def _ts(utc: np.ndarray, valid: np.ndarray | None = None,
        z_mask: np.ndarray | None = None) -> pa.Array:
    """ISO 8601 text: local time with +08:00, or UTC with Z where z_mask is set."""
    mask = None if valid is None else ~valid
    utc = utc.astype(np.int64)
    if z_mask is not None and z_mask.all():
        return _iso(utc, mask, "Z")
    out = _iso(utc + LOCAL_OFFSET, mask, "+08:00")
    if z_mask is not None and z_mask.any():
        out = pc.if_else(pa.array(z_mask), _iso(utc, mask, "Z"), out)
    return out



# ---------------------------------------------------------------------------------------
# Calendar, agents and schedules


@dataclass
class _Calendar:
    start: date
    days: int
    day0_utc: np.ndarray  # local midnight of each day, as UTC epoch seconds
    weekday: np.ndarray
    holiday: np.ndarray

    @classmethod
    def build(cls, start: date, days: int, holiday_week: bool = False) -> _Calendar:
        # holidays and make-up workdays (调休): devtools/sample_calendar.py; a make-up day has the
        # volume and staffing of the weekday whose hours it keeps
        from hotline.devtools.sample_calendar import sample_calendar

        dates = [start + timedelta(days=i) for i in range(days)]
        epoch = date(1970, 1, 1)
        day0 = np.array([(d - epoch).days * DAY - LOCAL_OFFSET for d in dates], dtype=np.int64)
        days_off = sample_calendar(start, days, HOLIDAYS, holiday_week)
        return cls(start, days, day0, np.array([days_off.weekday_index(d) for d in dates]),
                   np.array([d in days_off.holidays for d in dates]))

    def day_of(self, utc: np.ndarray) -> np.ndarray:
        return (utc - self.day0_utc[0]) // DAY


@dataclass
class _Agents:
    n: int
    team: np.ndarray  # queue index the agent answers
    shift: np.ndarray
    site: np.ndarray
    names: list[str]
    hire_day: np.ndarray  # day index (negative: before the period)
    term_day: np.ndarray  # day index after which the agent no longer works (large: never)
    subteam: np.ndarray  # (n, days) sub-team number per day (changes = type-2 history)
    change_day: np.ndarray  # last day index on which the directory row changed (per agent/day)


def _roster_size(contacts_per_day: int) -> int:
    return int(np.ceil(contacts_per_day / ROSTER_LEGS_PER_AGENT
                       + ROSTER_SQRT_MARGIN * np.sqrt(contacts_per_day)))


def _demand_shifts(team: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """A shift per agent so that each team's staffing follows its intraday arrival curve.

    Greedy roster against the curve: the target headcount of each 15-minute slot is the team's
    paid slots spread in proportion to demand, and every next agent takes the shift (full
    time, or part time for every PART_TIME_EVERY-th agent) that covers the most still-uncovered
    target, as a workforce planner would roster against a forecast. Returns SHIFTS indices.
    """
    shift = np.zeros(len(team), dtype=np.int64)
    slot_minutes = np.arange(0, DAY // 60, 15)
    inside = np.array([(slot_minutes >= a) & (slot_minutes < b) for a, b in SHIFTS])
    full = inside.sum(axis=1) > 20
    for q in range(N_QUEUES):
        cdf = _arrival_cdf(QUEUES[q].channel == "chat")
        demand = np.diff(np.concatenate([[0.0], cdf[slot_minutes[1:] - 1], [1.0]]))
        members = np.flatnonzero(team == q)
        part_time = np.arange(len(members)) % PART_TIME_EVERY == PART_TIME_EVERY - 1
        paid_slots = (np.where(part_time, inside[~full].sum(axis=1).mean(),
                               inside[full].sum(axis=1).mean())).sum()
        target = demand / demand.sum() * paid_slots
        cover = np.zeros(len(slot_minutes))
        for rank, agent in enumerate(members):  # a few hundred agents at most
            allowed = ~full if part_time[rank] else full
            gain = (inside * np.clip(target - cover, 0, None)[None, :]).sum(axis=1)
            best = int(np.argmax(np.where(allowed, gain, -1.0)))
            shift[agent] = best
            cover += inside[best]
    return shift


def _build_agents(rng: np.random.Generator, contacts_per_day: int, days: int) -> _Agents:
    n = max(10, _roster_size(contacts_per_day))
    handle = np.array([q.talk_median * 1.2 + q.acw_mean + (25 if q.channel == "voice" else 0)
                       for q in QUEUES])
    share = np.array([q.share for q in QUEUES])
    weight = share * handle
    weight[VIP_QUEUE] *= 1.4  # VIP runs a tighter service level
    weight[[0, 2]] += 0.03 * 160 / 2  # billing and sales also make outbound calls
    raw = weight / weight.sum() * (n - 2 * N_QUEUES)
    sizes = 2 + np.floor(raw).astype(int)
    rest = n - sizes.sum()
    sizes[np.argsort(-(raw - np.floor(raw)), kind="stable")[:rest]] += 1
    team = np.repeat(np.arange(N_QUEUES), sizes)
    member = _rank_in_group(team)
    shift = _demand_shifts(team, sizes)
    shift = np.where(sizes[team] == 2, member * (len(SHIFTS) - 1), shift)  # two: early and late
    site = rng.integers(0, len(SITES), n)
    latin = rng.random(n) < 0.3
    s_idx = rng.integers(0, len(_SURNAMES), n)
    g_idx = rng.integers(0, len(_GIVEN), n)
    w_idx = rng.integers(0, len(_WESTERN), n)
    names = []
    for i in range(n):  # n agents, not legs: a few thousand at most
        if latin[i]:
            first = _WESTERN[w_idx[i]] if w_idx[i] % 2 else _GIVEN_PINYIN[g_idx[i]]
            names.append(f"{first} {_SURNAMES_PINYIN[s_idx[i]]}")
        else:
            names.append(_SURNAMES[s_idx[i]] + _GIVEN[g_idx[i]])
    hire_day = -rng.integers(30, 1500, n)
    term_day = np.full(n, 10**6)
    if days >= 4:
        # a couple of joiners and a leaver during the period
        k = max(1, n // 60)
        joiners = rng.choice(n, size=k, replace=False)
        hire_day[joiners] = rng.integers(1, days, k)
        leaver = int(rng.integers(0, n))
        if hire_day[leaver] < 0:
            term_day[leaver] = int(rng.integers(days // 2, days))
    per_team = sizes[team]
    n_sub = np.maximum(1, per_team // 12) + 1
    sub0 = member % np.maximum(1, per_team // 12)
    subteam = np.repeat(sub0[:, None], days, axis=1)
    changes = max(1, n // 50) * max(1, days // 7) if days >= 2 else 0
    who = rng.integers(0, n, changes)
    when = rng.integers(1, max(2, days), changes)
    change = np.zeros((n, days), dtype=bool)
    change[:, 0] = True
    for w, d in zip(who, when, strict=True):  # a handful of team moves
        if d < days:
            subteam[w, d:] = (subteam[w, d] + 1) % n_sub[w]
            change[w, d] = True
    hd = np.clip(hire_day, 0, None)
    change[np.arange(n)[hire_day >= 0], hd[hire_day >= 0]] = True
    td = term_day < days
    change[np.arange(n)[td], term_day[td]] = True
    idx = np.where(change, np.arange(days)[None, :], 0)
    change_day = np.maximum.accumulate(idx, axis=1)
    return _Agents(n, team, shift, site, names, hire_day, term_day, subteam, change_day)


@dataclass
class _Schedule:
    ad_agent: np.ndarray
    ad_day: np.ndarray
    login: np.ndarray
    logout_planned: np.ndarray
    item_ad: np.ndarray  # agent-day index of each scheduled non-contact block
    item_start: np.ndarray
    item_dur: np.ndarray
    item_state: np.ndarray
    cap: np.ndarray  # available agents per (day, slot, queue)
    avail_agent: np.ndarray  # agents sorted by availability key
    avail_offset: np.ndarray  # first position of each key in avail_agent


def _slot_key(day: np.ndarray, slot: np.ndarray, team: np.ndarray) -> np.ndarray:
    return (day * SLOTS_PER_DAY + slot) * N_QUEUES + team


def _build_schedule(rng: np.random.Generator, cal: _Calendar, agents: _Agents) -> _Schedule:
    n, days = agents.n, cal.days
    active = ((np.arange(days)[None, :] >= agents.hire_day[:, None])
              & (np.arange(days)[None, :] < agents.term_day[:, None]))
    weekend = cal.weekday >= 5
    off_p = np.where(cal.holiday, 0.55, np.where(weekend, 0.45, 0.12))
    works = active & (rng.random((n, days)) >= off_p[None, :])
    shift_group = np.array([0 if start < 10 * 60 else 1 if start < 12 * 60 else 2
                            for start, _ in SHIFTS])[agents.shift]
    for q in range(N_QUEUES):  # keep at least one agent per team and shift type on duty
        for s in range(3):
            members = np.flatnonzero((agents.team == q) & (shift_group == s))
            if len(members) == 0:
                continue
            none = ~works[members].any(axis=0)
            for d in np.flatnonzero(none):
                cand = members[active[members, d]]
                if len(cand):
                    works[cand[d % len(cand)], d] = True
    ad_agent, ad_day = np.nonzero(works)
    m = len(ad_agent)
    shift = agents.shift[ad_agent]
    s_min = np.array([s for s, _ in SHIFTS])[shift]
    e_min = np.array([e for _, e in SHIFTS])[shift]
    login = cal.day0_utc[ad_day] + s_min * 60
    logout = cal.day0_utc[ad_day] + e_min * 60
    stagger = (ad_agent % 3) * 15
    # blocks (minutes after login): meeting, training, break, lunch, afternoon break
    offs = np.stack([np.zeros(m), np.full(m, 60), 120 + stagger, 240 + stagger,
                     390 + stagger], axis=1)
    durs = np.tile(np.array([30, 60, 15, 30, 15]), (m, 1))
    kinds = np.tile(np.array([4, 5, 3, 3, 3]), (m, 1))  # meeting, training, break
    exists = np.ones((m, 5), dtype=bool)
    exists[:, 0] = rng.random(m) < 0.08
    exists[:, 1] = rng.random(m) < 0.10
    exists &= (offs + durs) <= (e_min - s_min)[:, None]  # part-time shifts: the early blocks only
    item_ad = np.repeat(np.arange(m), 5).reshape(m, 5)[exists]
    item_start = (login[:, None] + offs.astype(np.int64) * 60)[exists]
    item_dur = (durs * 60)[exists].astype(np.int64)
    item_state = kinds[exists]
    # availability per 15-minute slot
    n_slots = (e_min - s_min) // 15
    width = int(n_slots.max())
    grid = (s_min // 15)[:, None] + np.arange(width)[None, :]
    ok = np.arange(width)[None, :] < n_slots[:, None]
    blk_s = (s_min[:, None] + offs) // 15
    blk_e = blk_s + durs // 15
    for k in range(5):
        ok &= ~(exists[:, k, None] & (grid >= blk_s[:, k, None]) & (grid < blk_e[:, k, None]))
    rows, cols = np.nonzero(ok)
    keys = _slot_key(ad_day[rows], grid[rows, cols], agents.team[ad_agent[rows]])
    size = days * SLOTS_PER_DAY * N_QUEUES
    cap = np.bincount(keys, minlength=size)
    order = np.lexsort((ad_agent[rows], keys))
    avail_agent = ad_agent[rows][order]
    avail_offset = np.concatenate([[0], np.cumsum(cap)])[:-1]
    return _Schedule(ad_agent, ad_day, login, logout, item_ad, item_start, item_dur, item_state,
                     cap, avail_agent, avail_offset)


# ---------------------------------------------------------------------------------------
# Contacts


def _arrival_cdf(chat: bool) -> np.ndarray:
    minute = np.arange(DAY // 60)
    open_ = (minute >= 8 * 60) & (minute < 22 * 60)

    def bump(mu, sd):
        return np.exp(-0.5 * ((minute - mu) / sd) ** 2)

    if chat:
        density = 0.45 + 0.8 * bump(660, 90) + 0.8 * bump(900, 100) + 0.9 * bump(1230, 70)
    else:
        density = (0.30 + 1.25 * bump(630, 70) + 0.95 * bump(870, 85) + 0.25 * bump(1170, 60)
                   - 0.25 * bump(750, 25))
    density = np.where(open_, np.clip(density, 0.05, None), 0.0)
    cdf = np.cumsum(density)
    return cdf / cdf[-1]


@dataclass
class _Legs:
    """Columnar contact legs (all arrays of equal length)."""

    parent: np.ndarray
    first: np.ndarray
    channel: np.ndarray
    direction: np.ndarray
    queue: np.ndarray
    team: np.ndarray  # team that answers (queue, or outbound team)
    initiated: np.ndarray
    has_ivr: np.ndarray
    ivr_end: np.ndarray
    ivr_outcome: np.ndarray
    enqueued: np.ndarray
    answered: np.ndarray
    answered_at: np.ndarray
    agent: np.ndarray
    talk: np.ndarray
    hold: np.ndarray
    acw: np.ndarray
    ended: np.ndarray
    disconnect: np.ndarray
    patience: np.ndarray

    @staticmethod
    def concat(parts: list[_Legs]) -> _Legs:
        return _Legs(**{name: np.concatenate([getattr(p, name) for p in parts])
                        for name in _Legs.__dataclass_fields__})


def _patience(rng, q: np.ndarray, callback: np.ndarray) -> np.ndarray:
    n = len(q)
    med = np.array([x.patience_median for x in QUEUES])[q] * np.where(callback, 8, 1)
    pat = _lognormal(rng, med, 0.9, n)
    short = rng.random(n) < 0.06
    return np.where(short, rng.uniform(0, 5, n), pat)


def _answer(rng, legs: _Legs, mask: np.ndarray) -> None:
    """Talk, hold, acw, ended_at and disconnect reason for answered legs (in place)."""
    n = int(mask.sum())
    q = np.where(legs.queue[mask] >= 0, legs.queue[mask], legs.team[mask])
    talk_med = np.array([x.talk_median for x in QUEUES])[q]
    talk_med = np.where(legs.direction[mask] == 1, 150, talk_med)
    talk = np.clip(np.round(_lognormal(rng, talk_med, 0.55, n)), 5, 4 * 3600)
    voice = legs.channel[mask] == 0
    hold = np.where(voice & (rng.random(n) < 0.3), np.round(_lognormal(rng, 40, 0.7, n)), 0)
    acw_mean = np.array([x.acw_mean for x in QUEUES])[q]
    acw = np.round(rng.gamma(2.0, acw_mean / 2.0))
    acw = np.where(rng.random(n) < 0.05, 0, acw)
    legs.talk[mask] = talk
    legs.hold[mask] = hold
    legs.acw[mask] = acw
    legs.ended[mask] = legs.answered_at[mask] + (talk + hold).astype(np.int64) + rng.integers(
        0, 3, n)
    u = rng.random(n)
    legs.disconnect[mask] = np.where(u < 0.62, 0, np.where(u < 0.99, 1, 4))


def _first_legs(rng, cal: _Calendar, sched: _Schedule, contacts_per_day: int) -> _Legs:
    factor = np.array([1.08, 1.02, 1.0, 1.0, 0.97, 0.66, 0.58])[cal.weekday]
    factor = np.where(cal.holiday, factor * 0.45, factor)
    factor = factor * _lognormal(rng, 1.0, 0.04, cal.days)
    factor = factor / factor.mean()
    base = contacts_per_day / LEGS_PER_INTERACTION
    counts = rng.poisson(base * factor)
    n = int(counts.sum())
    day = np.repeat(np.arange(cal.days), counts)
    u_dir = rng.random(n)
    direction = np.where(u_dir < 0.03, 1, np.where(u_dir < 0.06, 2, 0))
    shares = np.array([q.share for q in QUEUES])
    queue = rng.choice(N_QUEUES, size=n, p=shares / shares.sum())
    # callbacks are voice only (billing or technical); outbound is made by sales or billing
    queue = np.where((direction == 2) & (queue >= 2), queue % 2, queue)
    channel = np.where(queue == CHAT_QUEUE, 1, 0)
    channel = np.where(direction == 1, 0, channel)
    team = np.where(direction == 1, np.where(rng.random(n) < 0.6, 2, 0), queue)
    queue = np.where(direction == 1, -1, queue)
    minute = np.where(channel == 1,
                      np.searchsorted(_arrival_cdf(True), rng.random(n)),
                      np.searchsorted(_arrival_cdf(False), rng.random(n)))
    initiated = cal.day0_utc[day] + minute * 60 + rng.integers(0, 60, n)
    order = np.argsort(initiated, kind="stable")
    direction, queue, channel, team, initiated = (
        a[order] for a in (direction, queue, channel, team, initiated))
    inbound_voice = (direction == 0) & (channel == 0)
    has_ivr = inbound_voice & (queue != VIP_QUEUE) & (rng.random(n) < 0.97)
    ivr_dur = np.clip(np.round(_lognormal(rng, 45, 0.5, n)), 8, 400).astype(np.int64)
    ivr_end = np.where(has_ivr, initiated + ivr_dur, 0)
    u = rng.random(n)
    ivr_outcome = np.where(has_ivr, np.where(u < 0.17, 0, np.where(u < 0.21, 2, 1)), -1)
    queued = (direction != 1) & (~has_ivr | (ivr_outcome == 1))
    enqueued = np.where(has_ivr, ivr_end + rng.integers(0, 3, n),
                        initiated + np.where(channel == 1, rng.integers(3, 20, n),
                                             rng.integers(0, 4, n)))
    enqueued = np.where(queued, enqueued, 0)
    legs = _Legs(
        parent=np.full(n, -1), first=np.arange(n), channel=channel, direction=direction,
        queue=np.where(queued, queue, -1), team=team, initiated=initiated, has_ivr=has_ivr,
        ivr_end=ivr_end, ivr_outcome=ivr_outcome, enqueued=enqueued,
        answered=np.zeros(n, dtype=bool), answered_at=np.zeros(n, dtype=np.int64),
        agent=np.full(n, -1), talk=np.zeros(n), hold=np.zeros(n), acw=np.zeros(n),
        ended=np.where(has_ivr, ivr_end + rng.integers(0, 3, n), initiated),
        disconnect=np.zeros(n, dtype=np.int64), patience=np.zeros(n),
    )
    # outbound: the customer picks up after ringing (agent assignment may still fail)
    out = direction == 1
    ring = rng.integers(5, 26, n)
    pick_up = out & (rng.random(n) < 0.8)
    legs.answered[pick_up] = True
    legs.answered_at[pick_up] = initiated[pick_up] + ring[pick_up]
    legs.ended[out & ~pick_up] = initiated[out & ~pick_up] + ring[out & ~pick_up] + 20
    return legs


def _transfer_legs(rng, legs: _Legs, parents: np.ndarray) -> _Legs:
    n = len(parents)
    src_q = legs.queue[parents]
    dst = VOICE_QUEUES[rng.integers(0, len(VOICE_QUEUES), n)]
    dst = np.where(dst == src_q, VOICE_QUEUES[(np.searchsorted(VOICE_QUEUES, dst) + 1)
                                              % len(VOICE_QUEUES)], dst)
    initiated = legs.ended[parents]
    return _Legs(
        parent=parents, first=legs.first[parents], channel=legs.channel[parents],
        direction=np.zeros(n, dtype=np.int64), queue=dst, team=dst, initiated=initiated,
        has_ivr=np.zeros(n, dtype=bool), ivr_end=np.zeros(n, dtype=np.int64),
        ivr_outcome=np.full(n, -1), enqueued=initiated + rng.integers(0, 3, n),
        answered=np.zeros(n, dtype=bool), answered_at=np.zeros(n, dtype=np.int64),
        agent=np.full(n, -1), talk=np.zeros(n), hold=np.zeros(n), acw=np.zeros(n),
        ended=initiated.copy(), disconnect=np.zeros(n, dtype=np.int64), patience=np.zeros(n),
    )


# ---------------------------------------------------------------------------------------
# Service simulation: queues, agents and transfers as one event-driven FCFS simulation
# (issue 11: occupancy, service level and abandons emerge from staffing that is sometimes short)

SERVICE_ROUTING_SECONDS = 3  # ACD routing delay of a call answered without waiting (0-3 s)
OUTBOUND_MAX_DELAY = 1800  # an outbound call no agent can place within 30 minutes is not made
TRANSFER_SHARES = (0.105, 0.03)  # share of answered voice legs transferred, per chain round
# Callers wait longer than the queue specs' patience medians suggest once a real FCFS queue
# decides their waits (hotline callers typically hold 2-5 minutes before hanging up)
PATIENCE_SCALE = 2.5
PART_TIME_EVERY = 2  # every second agent of a team works a part-time shift


def _candidate_chain(rng, legs: _Legs) -> tuple[_Legs, np.ndarray, np.ndarray]:
    """First legs plus every transfer leg they could lead to (two rounds), all attributes drawn.

    Which candidates happen is decided by the simulation: a transfer leg exists only when its
    parent was answered. Returns (all legs, transfer flag per leg, round per leg).
    """
    parts, flags, rounds = [legs], [], [np.zeros(len(legs.initiated), dtype=np.int64)]
    current, base = legs, 0
    for depth, share in enumerate(TRANSFER_SHARES, start=1):
        cand = (current.channel == 0) & (current.direction != 1) & (current.queue >= 0)
        xfer = cand & (rng.random(len(cand)) < share)
        flags.append(xfer)
        parents = np.flatnonzero(xfer) + base
        if len(parents) == 0:
            break
        child = _transfer_legs(rng, _Legs.concat(parts), parents)
        child.patience[:] = _patience(rng, child.queue, np.zeros(len(parents), dtype=bool))
        base += len(current.initiated)
        parts.append(child)
        rounds.append(np.full(len(parents), depth))
        current = child
    all_legs = _Legs.concat(parts)
    flag = np.zeros(len(all_legs.initiated), dtype=bool)
    offset = 0
    for part, f in zip(parts, flags, strict=False):
        flag[offset:offset + len(part.initiated)] = f
        offset += len(part.initiated)
    return all_legs, flag, np.concatenate(rounds)


class _AgentPool:
    """Agents of one team: a heap of (free from, agent-day), breaks taken when due.

    A scheduled block (break, meeting, training) starts on time when the agent is idle and
    late when a contact runs over it; an agent leaves the pool at the planned logout (a
    contact in progress runs over it).
    """

    def __init__(self, members: list[int], sched: _Schedule, blocks: list[list[int]],
                 block_start: dict[int, int]):
        import heapq

        self.heapq = heapq
        self.sched = sched
        self.blocks = blocks  # per agent-day: item indices in start order
        self.next_block = {ad: 0 for ad in members}
        self.free_at = {ad: int(sched.login[ad]) for ad in members}
        self.heap = [(int(sched.login[ad]), ad) for ad in members]
        heapq.heapify(self.heap)
        self.block_start = block_start  # item -> actual start (shared by all teams)

    def _settle(self, ad: int, free: int, until: int) -> int:
        """Take every block due before the agent would start at max(until, free)."""
        items = self.blocks[ad]
        k = self.next_block[ad]
        while k < len(items) and int(self.sched.item_start[items[k]]) <= max(until, free):
            start = max(int(self.sched.item_start[items[k]]), free)
            self.block_start[items[k]] = start
            free = start + int(self.sched.item_dur[items[k]])
            k += 1
        self.next_block[ad] = k
        self.free_at[ad] = max(self.free_at[ad], free)
        return free

    def earliest(self, at: int) -> tuple[int, int] | None:
        """(start, agent-day) of the agent who can take a contact arriving at `at` first."""
        heap = self.heap
        while heap:
            free, ad = heap[0]
            settled = self._settle(ad, free, at)
            if max(settled, at) >= int(self.sched.logout_planned[ad]):
                self.heapq.heappop(heap)  # shift over: the agent logs out
                continue
            if settled != free:
                self.heapq.heapreplace(heap, (settled, ad))
                continue
            return max(at, free), ad
        return None

    def occupy(self, ad: int, busy_until: int) -> None:
        self.heapq.heapreplace(self.heap, (busy_until, ad))
        self.free_at[ad] = busy_until

    def finish(self) -> None:
        """Blocks nobody reached (the agent was idle or gone): on schedule, after the last work."""
        for ad, k in self.next_block.items():
            free = self.free_at[ad]
            for item in self.blocks[ad][k:]:
                start = max(int(self.sched.item_start[item]), free)
                self.block_start[item] = start
                free = start + int(self.sched.item_dur[item])


def _simulate_service(rng, legs: _Legs, cal: _Calendar, sched: _Schedule,
                      agents: _Agents, plant_intervention: bool = False) -> tuple[_Legs, tuple]:
    """Serve every leg first come, first served by the longest-idle agent of its team.

    A queued caller is answered when an agent is free (plus a 0-3 s routing delay) unless the
    wait would exceed the caller's patience (then abandons) or the queue's timeout (then
    queue_timeout); answered voice legs marked for transfer start a new leg in another queue
    when they end. Outbound calls are placed by the team's next free agent. Agents take their
    scheduled blocks when due. Returns the legs that happened and the agent timelines.
    """
    import heapq

    legs, xfer, _ = _candidate_chain(rng, legs)
    n = len(legs.initiated)
    legs.patience[:] = PATIENCE_SCALE * np.where(legs.parent < 0, _patience(
        rng, np.maximum(legs.queue, 0), legs.direction == 2), legs.patience)
    answered_outbound = legs.answered.copy()  # the customer picks up (drawn in _first_legs)
    ended0, disconnect0 = legs.ended.copy(), legs.disconnect.copy()
    ring = rng.integers(5, 26, n)
    # durations of every leg, used if it is answered (answered_at = 0 gives the offsets)
    legs.answered_at[:] = 0
    _answer(rng, legs, np.ones(n, dtype=bool))
    if plant_intervention:  # before agents are occupied: the shorter wrap-up frees them sooner
        _plant_shorter_wrap_up(legs, cal)
    talk_end = legs.ended.copy()  # talk + hold + a second or two
    disconnect_answered = legs.disconnect.copy()
    routing = rng.integers(0, SERVICE_ROUTING_SECONDS + 1, n)
    child_of = {}  # parent leg -> its candidate transfer leg
    for child in np.flatnonzero(legs.parent >= 0):
        child_of[int(legs.parent[child])] = int(child)
    timeout = np.array([q.timeout for q in QUEUES])
    # agent-days per team, and each agent-day's blocks in start order
    blocks: list[list[int]] = [[] for _ in range(len(sched.ad_agent))]
    for item in np.argsort(sched.item_start, kind="stable"):
        blocks[int(sched.item_ad[item])].append(int(item))
    team_of_ad = agents.team[sched.ad_agent]
    block_start: dict[int, int] = {}
    pools = [_AgentPool([int(a) for a in np.flatnonzero(team_of_ad == q)], sched, blocks,
                        block_start) for q in range(N_QUEUES)]
    active = legs.parent < 0
    outbound = legs.direction == 1
    arrival = np.where(legs.queue >= 0, legs.enqueued, legs.initiated)
    events = [(int(arrival[i]), i) for i in np.flatnonzero(active)
              if legs.queue[i] >= 0 or (outbound[i] and answered_outbound[i])]
    heapq.heapify(events)
    answered = np.zeros(n, dtype=bool)
    agent_day = np.full(n, -1)
    answered_at = np.zeros(n, dtype=np.int64)
    ended = ended0
    disconnect = disconnect0
    initiated = legs.initiated.copy()
    enqueued = legs.enqueued.copy()
    while events:
        at, i = heapq.heappop(events)
        pool = pools[int(legs.team[i])]
        if outbound[i]:
            slot = pool.earliest(at)
            if slot is None or slot[0] - at > OUTBOUND_MAX_DELAY:
                continue  # nobody to place it: an unanswered call without agent (below)
            start, ad = slot
            initiated[i] = start
            answered_at[i] = start + int(ring[i])
        else:
            patience = min(float(legs.patience[i]), float(timeout[legs.queue[i]]))
            slot = pool.earliest(at + int(routing[i]))
            if slot is None or slot[0] - at > patience:
                gave_up = float(legs.patience[i]) < float(timeout[legs.queue[i]])
                ended[i] = at + int(round(patience))
                disconnect[i] = 0 if gave_up else 3
                continue
            start, ad = slot
            answered_at[i] = start
        answered[i] = True
        agent_day[i] = ad
        ended[i] = answered_at[i] + int(talk_end[i])
        disconnect[i] = disconnect_answered[i]
        pool.occupy(ad, int(ended[i]) + int(legs.acw[i]))
        child = child_of.get(int(i))
        if child is not None and xfer[i]:
            disconnect[i] = 2
            active[child] = True
            initiated[child] = ended[i]
            enqueued[child] = ended[i] + int(rng.integers(0, 3))
            heapq.heappush(events, (int(enqueued[child]), child))
    for pool in pools:
        pool.finish()
    # outbound calls nobody placed, or the customer did not pick up: no agent
    missed = active & outbound & ~answered
    ended[missed] = initiated[missed] + np.where(answered_outbound[missed], 30, ring[missed] + 20)
    disconnect[missed] = 0
    legs.answered, legs.answered_at, legs.ended = answered, answered_at, ended
    legs.disconnect, legs.initiated, legs.enqueued = disconnect, initiated, enqueued
    legs.agent = np.where(answered, sched.ad_agent[np.maximum(agent_day, 0)], -1)
    for name in ("talk", "hold", "acw"):
        getattr(legs, name)[~answered] = 0
    keep = np.flatnonzero(active)
    new_index = np.full(n, -1)
    new_index[keep] = np.arange(len(keep))
    legs = _Legs(**{name: getattr(legs, name)[keep] for name in _Legs.__dataclass_fields__})
    legs.parent = np.where(legs.parent >= 0, new_index[np.maximum(legs.parent, 0)], -1)
    agent_day = agent_day[keep]
    # agent timelines in the layout _agent_states reads: answered legs, then blocks
    ans = np.flatnonzero(legs.answered)
    block_items = np.arange(len(sched.item_ad))
    item_start = np.array([block_start[int(item)] for item in block_items], dtype=np.int64)
    group = np.concatenate([agent_day[ans], sched.item_ad]).astype(np.int64)
    start = np.concatenate([legs.answered_at[ans], item_start])
    dur = np.concatenate([(legs.ended[ans] - legs.answered_at[ans]) + legs.acw[ans].astype(
        np.int64), sched.item_dur])
    kind = np.concatenate([np.zeros(len(ans), dtype=np.int64),
                           np.ones(len(sched.item_ad), dtype=np.int64)])
    order = np.lexsort((kind, start, group))
    return legs, (ans, group, order, start, dur, kind)


def _agent_states(legs: _Legs, cal: _Calendar, sched: _Schedule, timelines) -> dict:
    ans, group, order, pushed, dur, kind = timelines
    g = group[order]
    s = pushed[order]
    d = dur[order]
    k = kind[order]
    src = order  # index into concatenated (legs, items)
    n_ans = len(ans)
    is_leg = k == 0
    leg_idx = np.where(is_leg, ans[np.minimum(src, n_ans - 1)] if n_ans else 0, -1)
    item_idx = np.where(~is_leg, src - n_ans, -1)
    first = _group_starts(g)
    end = s + d
    prev_end = np.empty_like(end)
    prev_end[1:] = end[:-1]
    login = sched.login[g]
    prev_end = np.where(first, login, prev_end)
    parts_agent, parts_state, parts_start, parts_end = [], [], [], []

    def add(mask, state, a, b):
        parts_agent.append(sched.ad_agent[g[mask]])
        state = np.asarray(state)
        parts_state.append((state[mask] if state.ndim else np.full(int(mask.sum()), state))
                           .astype(np.int64))
        parts_start.append(a[mask])
        parts_end.append(b[mask])

    add(s > prev_end, 0, prev_end, s)
    on_end = s + np.where(is_leg, legs.ended[leg_idx] - legs.answered_at[leg_idx], 0)
    add(is_leg & (on_end > s), 1, s, on_end)
    add(is_leg & (end > on_end), 2, on_end, end)
    item_state = np.where(~is_leg, sched.item_state[np.maximum(item_idx, 0)], 0)
    add(~is_leg, item_state, s, end)
    last = np.ones(len(g), dtype=bool)
    last[:-1] = g[1:] != g[:-1]
    logout = np.maximum(sched.logout_planned[g], end)
    add(last & (sched.logout_planned[g] > end), 0, end, sched.logout_planned[g])
    midnight = cal.day0_utc[sched.ad_day[g]] + DAY
    add(last & (midnight > logout), 6, logout, midnight)
    return {
        "agent": np.concatenate(parts_agent),
        "state": np.concatenate(parts_state),
        "start": np.concatenate(parts_start),
        "end": np.concatenate(parts_end),
    }


# ---------------------------------------------------------------------------------------
# Customers


@dataclass
class _Customers:
    cust: np.ndarray  # per leg: customer index (interaction index of the customer's root)
    number: np.ndarray  # per customer index
    account: np.ndarray  # per customer index, -1 when no account
    anonymous: np.ndarray


def _customers(rng, legs: _Legs) -> _Customers:
    n_first = int((legs.parent < 0).sum())  # first legs are the leading block, time-ordered
    t = legs.initiated[:n_first]
    direction = legs.direction[:n_first]
    parent = np.arange(n_first)
    inbound = np.flatnonzero(direction == 0)
    ti = t[inbound]
    m = len(inbound)
    repeat = rng.random(m) < 0.145
    lag = np.where(rng.random(m) < 0.5, rng.exponential(4 * 3600, m),
                   rng.uniform(60, 7 * DAY - 60, m))
    lag = np.minimum(lag, 7 * DAY - 60)
    target = ti - lag
    early = target < ti[0]
    target = np.where(early, ti[0] + rng.random(m) * (ti - ti[0]), target)
    j = np.searchsorted(ti, target, side="left")
    ok = repeat & (j < np.arange(m))
    parent[inbound[ok]] = inbound[j[ok]]
    # returning customers from more than a week ago
    back = ~ok & (rng.random(m) < 0.05)
    j2 = np.searchsorted(ti, ti - rng.uniform(8 * DAY, 30 * DAY, m))
    back &= (j2 < np.arange(m)) & (ti[np.minimum(j2, m - 1)] < ti - 7 * DAY)
    parent[inbound[back]] = inbound[j2[back]]
    # outbound calls and callbacks go to known customers when there are any
    other = np.flatnonzero(direction != 0)
    if m:
        k = np.searchsorted(ti, t[other]) - 1
        pick = np.where(k >= 0, (rng.random(len(other)) * np.maximum(k, 0)).astype(int), -1)
        has = pick >= 0
        parent[other[has]] = inbound[pick[has]]
    for _ in range(64):  # pointer jumping to the root customer
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            break
        parent = nxt
    cust = parent[legs.first]
    prefixes = np.array([130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 157,
                         158, 159, 166, 177, 180, 181, 186, 187, 188, 189, 199])
    number = prefixes[rng.integers(0, len(prefixes), n_first)] * 10**8 + rng.integers(
        0, 10**8, n_first)
    account = np.where(rng.random(n_first) < 0.6, 10_000_000 + np.arange(n_first) * 7 % 89_999_999
                       + rng.integers(0, 7, n_first), -1)
    anonymous = (rng.random(n_first) < 0.05) & (legs.channel[:n_first] == 0)
    account = np.where(anonymous, -1, account)
    return _Customers(cust, number, account, anonymous)


def _format_numbers(rng, number: np.ndarray) -> pa.Array:
    s = _int_str(number)
    a, b, c = (pc.utf8_slice_codeunits(s, 0, 3), pc.utf8_slice_codeunits(s, 3, 7),
               pc.utf8_slice_codeunits(s, 7, 11))
    fmt = rng.choice(4, size=len(number), p=[0.55, 0.2, 0.1, 0.15])
    f1 = pc.binary_join_element_wise("+86 ", a, "-", b, "-", c, "")
    f2 = pc.binary_join_element_wise("0086 ", s, "")
    f3 = pc.binary_join_element_wise("86 ", a, " ", b, " ", c, "")
    out = pc.if_else(pa.array(fmt == 1), f1, s)
    out = pc.if_else(pa.array(fmt == 2), f2, out)
    return pc.if_else(pa.array(fmt == 3), f3, out)


# ---------------------------------------------------------------------------------------
# Tickets and surveys


@dataclass
class _Tickets:
    n: int
    created: np.ndarray
    origin_leg: np.ndarray  # -1: not from a contact
    source: np.ndarray
    priority0: np.ndarray
    category: np.ndarray
    group0: np.ndarray
    assignee: np.ndarray
    cust: np.ndarray  # customer index or -1
    email_user: np.ndarray  # -1 no email
    subject: np.ndarray
    subject_pii: np.ndarray
    # events
    ev_ticket: np.ndarray
    ev_time: np.ndarray
    ev_type: np.ndarray
    ev_actor: np.ndarray
    ev_agent: np.ndarray
    ev_from: np.ndarray  # text codes, see _ev_labels
    ev_to: np.ndarray
    first_solved: np.ndarray
    reopened: np.ndarray


# from/to values of events: statuses, then priorities, then groups
_EV_LABELS = STATUSES + PRIORITIES + GROUPS


def _tickets(rng, legs: _Legs, cust: _Customers, agents: _Agents, cal: _Calendar) -> _Tickets:
    handled = (legs.answered & (legs.agent >= 0) & (legs.direction != 1)
               & (legs.disconnect != 2))
    origin = np.flatnonzero(handled & (rng.random(len(legs.answered)) < 0.25))
    n_c = len(origin)
    created_c = legs.answered_at[origin] + (rng.uniform(0.3, 0.9, n_c) * legs.talk[origin]
                                            ).astype(np.int64)
    n_o = int(round(n_c * 0.3)) + 1
    day = rng.integers(0, cal.days, n_o)
    created_o = cal.day0_utc[day] + rng.integers(7 * 3600, 23 * 3600, n_o)
    n = n_c + n_o
    created = np.concatenate([created_c, created_o])
    origin_leg = np.concatenate([origin, np.full(n_o, -1)])
    q = legs.queue[origin]
    q = np.where(q >= 0, q, legs.team[origin])
    source = np.concatenate([legs.channel[origin], rng.choice([2, 3, 4], n_o, p=[0.6, 0.3, 0.1])])
    cat_by_queue = np.array([0, 1, 2, 3, 0])
    category = np.concatenate([cat_by_queue[q], rng.integers(0, len(CATEGORIES), n_o)])
    category = np.where(rng.random(n) < 0.08, 3, category)  # complaints come from everywhere
    pr = rng.choice(4, size=n, p=[0.05, 0.2, 0.6, 0.15])
    pr = np.where(np.concatenate([q == VIP_QUEUE, np.zeros(n_o, bool)]) & (pr > 1), 1, pr)
    group0 = np.concatenate([q, np.array([0, 1, 2, 6, 0])[category[n_c:]]])
    group0 = np.where(category == 3, 6, group0)
    group0 = np.minimum(group0, len(GROUPS) - 1)
    # tickets without a contact go to an agent of the team behind their group
    group_team = np.array([0, 1, 2, 3, 4, 1, 3])[group0[n_c:]]
    by_team = np.argsort(agents.team, kind="stable")
    team_size = np.bincount(agents.team, minlength=N_QUEUES)
    team_first = np.concatenate([[0], np.cumsum(team_size)])[:-1]
    pos = team_first[group_team] + rng.integers(0, 1 << 30, n_o) % team_size[group_team]
    assignee = np.concatenate([legs.agent[origin], by_team[pos]])
    pool = np.flatnonzero(cust.account >= 0)
    other_cust = np.where(rng.random(n_o) < 0.7, pool[rng.integers(0, max(1, len(pool)), n_o)]
                          if len(pool) else -1, -1)
    tcust = np.concatenate([cust.cust[origin], other_cust])
    email_user = np.where((source >= 2) | (rng.random(n) < 0.3), rng.integers(1000, 99999, n), -1)
    subject = rng.integers(0, len(_SUBJECTS), n)
    subject_pii = rng.choice(3, size=n, p=[0.9, 0.06, 0.04])  # none, phone, email

    fr_t = FR_TARGET_MIN[pr] * 60.0
    res_t = RES_TARGET_MIN[pr] * 60.0
    fr = np.maximum(60, _lognormal(rng, 0.4 * fr_t, 0.75, n)).astype(np.int64)
    t_assign = created + np.minimum(rng.integers(5, 120, n), fr // 2)
    t_fr = created + fr
    pending = rng.random(n) < 0.45
    t_pend = t_fr + 1
    t_cr = t_fr + _lognormal(rng, 3 * 3600, 1.0, n).astype(np.int64) + 2
    has_comment = rng.random(n) < 0.4
    t_comment = t_fr + rng.integers(60, 3600, n)
    esc = rng.random(n) < 0.05
    t_esc = t_fr + rng.integers(600, 7200, n)
    pchg = (rng.random(n) < 0.05) & (pr > 0)
    t_pchg = created + rng.integers(60, 1800, n)
    latest = np.maximum.reduce([t_fr + 2, np.where(pending, t_cr, 0),
                                np.where(has_comment, t_comment, 0), np.where(esc, t_esc, 0),
                                np.where(pchg, t_pchg, 0)])
    res = _lognormal(rng, 0.45 * res_t, 0.8, n).astype(np.int64)
    t_solved = np.maximum(created + res, latest + rng.integers(60, 1800, n))
    never = rng.random(n) < 0.04
    t_solved = np.where(never, np.iinfo(np.int64).max // 4, t_solved)
    reopen = ~never & (rng.random(n) < 0.08)
    t_ro = t_solved + _lognormal(rng, 10 * 3600, 0.8, n).astype(np.int64)
    t_reply2 = t_ro + rng.integers(600, 3 * 3600, n)
    t_solved2 = t_reply2 + rng.integers(600, DAY, n)
    last_solved = np.where(reopen, t_solved2, t_solved)
    t_close = last_solved + 3 * DAY
    ids = np.arange(n)
    agent_actor = np.where(origin_leg >= 0, 0, 1)
    ns, npr = len(STATUSES), len(PRIORITIES)
    new_pr = np.maximum(pr - 1, 0)
    specs = [
        # mask, time, type, actor, actor is agent, from, to
        (np.ones(n, bool), created, 0, agent_actor, origin_leg >= 0, -1, -1),
        (np.ones(n, bool), t_assign, 1, 2, False, -1, ns + npr + group0),
        (np.ones(n, bool), t_fr - 1, 4, 0, True, 0, 1),
        (np.ones(n, bool), t_fr, 2, 0, True, -1, -1),
        (pchg, t_pchg, 5, 0, True, ns + pr, ns + new_pr),
        (pending, t_pend, 4, 0, True, 1, 2),
        (pending, t_cr, 3, 1, False, -1, -1),
        (pending, t_cr + 1, 4, 2, False, 2, 1),
        (has_comment, t_comment, 7, 0, True, -1, -1),
        (esc, t_esc, 6, 0, True, ns + npr + group0, ns + npr + 5),
        (~never, t_solved, 4, 0, True, 1, 3),
        (reopen, t_ro, 3, 1, False, -1, -1),
        (reopen, t_ro + 1, 4, 2, False, 3, 1),
        (reopen, t_reply2, 2, 0, True, -1, -1),
        (reopen, t_solved2, 4, 0, True, 1, 3),
        (~never, t_close, 4, 2, False, 3, 4),
    ]
    horizon = cal.day0_utc[-1] + DAY
    cols = {k: [] for k in ("ticket", "time", "type", "actor", "agent", "from", "to", "seq")}
    for seq, (mask, t, etype, actor, is_agent, frm, to) in enumerate(specs):
        keep = mask & (t < horizon)
        cols["ticket"].append(ids[keep])
        cols["time"].append(np.broadcast_to(t, (n,))[keep])
        cols["type"].append(np.full(int(keep.sum()), etype))
        cols["actor"].append(np.broadcast_to(np.asarray(actor), (n,))[keep])
        cols["agent"].append(np.where(np.broadcast_to(is_agent, (n,)), assignee, -1)[keep])
        cols["from"].append(np.broadcast_to(np.asarray(frm), (n,))[keep])
        cols["to"].append(np.broadcast_to(np.asarray(to), (n,))[keep])
        cols["seq"].append(np.full(int(keep.sum()), seq))
    ev = {k: np.concatenate(v) for k, v in cols.items()}
    order = np.lexsort((ev["seq"], ev["time"], ev["ticket"]))
    ev = {k: v[order] for k, v in ev.items()}
    first_solved = np.where(never, -1, t_solved)
    return _Tickets(n, created, origin_leg, source, pr, category, group0, assignee, tcust,
                    email_user, subject, subject_pii, ev["ticket"], ev["time"], ev["type"],
                    ev["actor"], ev["agent"], ev["from"], ev["to"], first_solved, reopen)


@dataclass
class _Surveys:
    leg: np.ndarray
    ticket: np.ndarray
    stype: np.ndarray
    channel: np.ndarray
    sent: np.ndarray
    responded: np.ndarray
    score: np.ndarray
    resolved: np.ndarray  # 1 yes, 0 no, -1 not answered
    comment: np.ndarray  # -1 none
    comment_pii: np.ndarray


def _surveys(rng, legs: _Legs, tk: _Tickets, cal: _Calendar,
             sat_shift: np.ndarray | None = None) -> _Surveys:
    handled = (legs.answered & (legs.agent >= 0) & (legs.direction != 1)
               & (legs.disconnect != 2))
    c_leg = np.flatnonzero(handled & (rng.random(len(handled)) < 0.12))
    nc = len(c_leg)
    wait = np.where(legs.queue[c_leg] >= 0, legs.answered_at[c_leg] - legs.enqueued[c_leg], 0)
    xfer = (legs.parent[c_leg] >= 0).astype(float)
    c_sent = legs.ended[c_leg] + legs.acw[c_leg].astype(np.int64) + rng.integers(30, 300, nc)
    c_channel = np.where(legs.channel[c_leg] == 1, 2, np.where(rng.random(nc) < 0.7, 0, 1))
    solved = tk.first_solved >= 0
    t_tk = np.flatnonzero(solved & (rng.random(tk.n) < 0.15))
    nt = len(t_tk)
    t_sent = tk.first_solved[t_tk] + 300
    leg = np.concatenate([c_leg, np.full(nt, -1)])
    ticket = np.concatenate([np.full(nc, -1), t_tk])
    n = nc + nt
    sent = np.concatenate([c_sent, t_sent])
    channel = np.concatenate([c_channel, np.full(nt, 3)])
    responded = sent + np.minimum(_lognormal(rng, 1200, 1.3, n), DAY - 600).astype(np.int64)
    stype = np.concatenate([rng.choice(3, nc, p=[0.6, 0.25, 0.15]),
                            rng.choice(3, nt, p=[0.8, 0.2, 0.0])])
    wait_all = np.concatenate([wait, np.zeros(nt)])
    xfer_all = np.concatenate([xfer, tk.reopened[t_tk].astype(float)])
    p_res = 0.86 - 0.15 * xfer_all
    res = rng.random(n) < p_res
    p_sat = np.clip(0.94 - 0.0012 * np.minimum(wait_all, 600) - 0.1 * xfer_all
                    - 0.35 * (~res), 0.1, 0.97)
    if sat_shift is not None:  # per contact leg (planted story, see _planted_satisfaction_shift)
        p_sat = np.clip(p_sat + np.concatenate([sat_shift[c_leg], np.zeros(nt)]), 0.02, 0.98)
    sat = rng.random(n) < p_sat
    u = rng.random(n)
    csat = np.where(sat, np.where(u < 0.6, 5, 4), np.where(u < 0.3, 1, np.where(u < 0.6, 2, 3)))
    nps = np.where(sat, np.where(u < 0.75, 9 + (u < 0.45), 7 + (u < 0.85)),
                   np.where(u < 0.8, (u * 8.75).astype(int), 7 + (u < 0.9)))
    ces = np.where(sat, 5 + (u * 3).astype(int) % 3, 1 + (u * 4).astype(int) % 4)
    score = np.select([stype == 0, stype == 1], [csat, nps], ces)
    resolved = np.where(rng.random(n) < 0.85, res.astype(int), -1)
    comment = np.where(rng.random(n) < 0.25, rng.integers(0, len(_COMMENTS), n), -1)
    comment_pii = (comment >= 0) & (rng.random(n) < 0.15)
    horizon = cal.day0_utc[-1] + DAY
    keep = responded < horizon
    return _Surveys(leg[keep], ticket[keep], stype[keep], channel[keep], sent[keep],
                    responded[keep], score[keep], resolved[keep], comment[keep],
                    comment_pii[keep])


# ---------------------------------------------------------------------------------------
# Tables (string columns in contract order) with their delivery day


def _late(rng, day: np.ndarray, days: int) -> np.ndarray:
    late = (rng.random(len(day)) < LATE_SHARE) & (day + 1 < days)
    return np.where(late, day + 1, day)


def _pii_text(rng, base: pa.Array, kind: np.ndarray) -> pa.Array:
    n = len(kind)
    phone = _int_str(13900000000 + rng.integers(0, 10**8, n))
    email = pc.binary_join_element_wise("kehu", _int_str(rng.integers(100, 9999, n)),
                                        "@example.com", "")
    with_phone = pc.binary_join_element_wise(base, " 电话 ", phone, "")
    with_email = pc.binary_join_element_wise(base, " (", email, ")", "")
    out = pc.if_else(pa.array(kind == 1), with_phone, base)
    return pc.if_else(pa.array(kind == 2), with_email, out)


def _contacts_table(rng, legs: _Legs, cust: _Customers, cal: _Calendar):
    n = len(legs.initiated)
    order = np.lexsort((np.arange(n), legs.initiated))
    number_of = np.empty(n, dtype=np.int64)
    number_of[order] = np.arange(n)
    serial = 1_000_000 + number_of * 3 + rng.integers(0, 3, n)  # gaps like a real sequence
    cid = _ids("C", serial, 10)
    first_cid = pc.take(cid, pa.array(legs.first))
    own_initial = rng.random(n) < 0.5
    is_first = legs.parent < 0
    initial = pc.if_else(pa.array(is_first & ~own_initial), pa.nulls(n, pa.string()), first_cid)
    prev = pc.take(cid, pa.array(np.where(legs.parent >= 0, legs.parent, 0)))
    prev = pc.if_else(pa.array(legs.parent >= 0), prev, pa.nulls(n, pa.string()))
    c = cust.cust
    anon = cust.anonymous[c]
    numbers = _format_numbers(rng, cust.number[c])
    # one format per interaction: take the first leg's rendering
    numbers = pc.take(numbers, pa.array(legs.first))
    numbers = pc.if_else(pa.array(anon), pa.nulls(n, pa.string()), numbers)
    acct = cust.account[c]
    account = _ids("AC", np.maximum(acct, 0), 8, acct >= 0)
    q_spec_dialed = np.array([q.dialed for q in QUEUES] + [""], dtype=object)
    dialed_q = np.where(legs.queue >= 0, legs.queue, legs.team)
    dialed = pa.array(q_spec_dialed[dialed_q], type=pa.string())
    dialed = pc.if_else(pa.array(legs.direction == 2), pa.scalar("callback"), dialed)
    plain = _int_str(cust.number[c])
    dialed = pc.if_else(pa.array(legs.direction == 1), plain, dialed)
    queued = legs.queue >= 0
    ans = legs.answered
    wraps = [q.wraps for q in QUEUES]
    max_w = max(len(w) for w in wraps)
    flat = np.array([w[i % len(w)] for w in wraps for i in range(max_w)], dtype=object)
    wq = np.where(queued, legs.queue, legs.team)
    wrap = flat[wq * max_w + rng.integers(0, max_w, n) % np.array([len(w) for w in wraps])[wq]]
    wrap = pa.array(np.where(ans, wrap, None), type=pa.string())
    last_upd = legs.ended + np.where(ans, legs.acw.astype(np.int64), 0) + rng.integers(1, 30, n)
    agent_id = _ids("A", legs.agent + 1, 5, ans & (legs.agent >= 0))
    table = pa.table({
        "contact_id": cid,
        "initial_contact_id": initial,
        "previous_contact_id": prev,
        "channel": _choice_str(CHANNELS, legs.channel),
        "direction": _choice_str(DIRECTIONS, legs.direction),
        "customer_number": numbers,
        "customer_account_id": account,
        "dialed_number": dialed,
        "initiated_at": _ts(legs.initiated),
        "ivr_ended_at": _ts(legs.ivr_end, legs.has_ivr),
        "ivr_outcome": _choice_str(IVR_OUTCOMES, legs.ivr_outcome, legs.ivr_outcome >= 0),
        "queue_id": _choice_str(tuple(q.queue_id for q in QUEUES), legs.queue, queued),
        "enqueued_at": _ts(legs.enqueued, queued),
        "answered_at": _ts(legs.answered_at, ans),
        "agent_id": agent_id,
        "talk_seconds": _int_str(legs.talk, ans),
        "hold_seconds": _int_str(legs.hold, ans),
        "acw_seconds": _int_str(legs.acw, ans),
        "ended_at": _ts(legs.ended),
        "disconnect_reason": _choice_str(DISCONNECTS, legs.disconnect),
        "wrap_code": wrap,
        "last_updated_at": _ts(last_upd, z_mask=np.ones(n, dtype=bool)),
    })
    day = np.clip(cal.day_of(legs.initiated), 0, cal.days - 1)
    return table, _late(rng, day, cal.days), number_of, cid


def _agent_states_table(rng, st: dict, cal: _Calendar):
    order = np.lexsort((st["start"], st["agent"]))
    table = pa.table({
        "agent_id": _ids("A", st["agent"][order] + 1, 5),
        "state": _choice_str(STATES, st["state"][order]),
        "started_at": _ts(st["start"][order]),
        "ended_at": _ts(st["end"][order]),
    })
    day = np.clip(cal.day_of(st["start"][order]), 0, cal.days - 1)
    return table, _late(rng, day, cal.days)


def _agents_tables(agents: _Agents, cal: _Calendar) -> list[pa.Table]:
    out = []
    team_names = np.array([q.team for q in QUEUES], dtype=object)
    for d in range(cal.days):  # one snapshot per delivery day
        present = agents.hire_day <= d
        idx = np.flatnonzero(present)
        hire = [(cal.start + timedelta(days=int(h))).isoformat() for h in agents.hire_day[idx]]
        term = [(cal.start + timedelta(days=int(t))).isoformat() if t <= d else None
                for t in agents.term_day[idx]]
        team = [f"{team_names[agents.team[i]]}-{agents.subteam[i, d] + 1}" for i in idx]
        changed = agents.change_day[idx, d]
        upd = cal.day0_utc[changed] + 7 * 3600
        out.append(pa.table({
            "agent_id": _ids("A", idx + 1, 5),
            "agent_name": pa.array([agents.names[i] for i in idx], type=pa.string()),
            "team": pa.array(team, type=pa.string()),
            "site": pa.array([SITES[s] for s in agents.site[idx]], type=pa.string()),
            "hire_date": pa.array(hire, type=pa.string()),
            "termination_date": pa.array(term, type=pa.string()),
            "updated_at": _ts(upd),
        }))
    return out


def _queues_tables(cal: _Calendar) -> list[pa.Table]:
    out = []
    for d in range(cal.days):
        # the sales queue's threshold is tightened halfway through the period
        changed = d >= cal.days // 2 and cal.days >= 4
        sl = [q.sl_seconds if not (changed and q.queue_id == "Q_SALES") else 15 for q in QUEUES]
        upd = [cal.day0_utc[0] - 30 * DAY + 9 * 3600] * N_QUEUES
        if changed:
            upd[2] = cal.day0_utc[cal.days // 2] + 6 * 3600
        out.append(pa.table({
            "queue_id": _str([q.queue_id for q in QUEUES]),
            "queue_name": _str([q.name for q in QUEUES]),
            "channel": _str([q.channel for q in QUEUES]),
            "service_level_seconds": _str([str(s) for s in sl]),
            "service_level_target": _str([f"{q.sl_target:.2f}" for q in QUEUES]),
            "business_unit": _str([q.business_unit for q in QUEUES]),
            "updated_at": _ts(np.array(upd, dtype=np.int64)),
        }))
    return out


def _ticket_tables(rng, tk: _Tickets, cid: pa.Array, cust: _Customers, cal: _Calendar):
    ne = len(tk.ev_ticket)
    ticket_id = _ids("T", 500_000 + np.arange(tk.n), 8)
    ev_day = np.clip(cal.day_of(tk.ev_time), 0, cal.days - 1)
    label = np.array(_EV_LABELS, dtype=object)
    events = pa.table({
        "event_id": _ids("E", 10_000_000 + np.arange(ne), 9),
        "ticket_id": pc.take(ticket_id, pa.array(tk.ev_ticket)),
        "occurred_at": _ts(tk.ev_time, z_mask=rng.random(ne) < 0.2),
        "event_type": _choice_str(EVENT_TYPES, tk.ev_type),
        "actor_type": _choice_str(ACTORS, tk.ev_actor),
        "actor_agent_id": _ids("A", tk.ev_agent + 1, 5, tk.ev_agent >= 0),
        "from_value": pa.array(np.where(tk.ev_from >= 0, label[np.maximum(tk.ev_from, 0)], None),
                               type=pa.string()),
        "to_value": pa.array(np.where(tk.ev_to >= 0, label[np.maximum(tk.ev_to, 0)], None),
                             type=pa.string()),
    })
    ev_deliv = _late(rng, ev_day, cal.days)
    # current state after each event (forward fill within ticket; the created event seeds it)
    ns, npr = len(STATUSES), len(PRIORITIES)
    created = tk.ev_type == 0
    is_status = (tk.ev_type == 4) | created
    status = _ffill_in_group(np.where(created, 0, tk.ev_to), is_status)
    is_prio = (tk.ev_type == 5) | created
    prio = _ffill_in_group(np.where(created, tk.priority0[tk.ev_ticket], tk.ev_to - ns), is_prio)
    is_group = (tk.ev_type == 1) | (tk.ev_type == 6) | created
    grp = _ffill_in_group(np.where(created, tk.group0[tk.ev_ticket], tk.ev_to - ns - npr),
                          is_group)
    key = tk.ev_ticket * cal.days + ev_day
    last = np.ones(ne, dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    sel = np.flatnonzero(last)
    t = tk.ev_ticket[sel]
    origin = tk.origin_leg[t]
    has_origin = origin >= 0
    cust_idx = tk.cust[t]
    acct = np.where(cust_idx >= 0, cust.account[np.maximum(cust_idx, 0)], -1)
    email = tk.email_user[t]
    subj_base = pa.array(np.array(_SUBJECTS, dtype=object)[tk.subject[t]], type=pa.string())
    tickets = pa.table({
        "ticket_id": pc.take(ticket_id, pa.array(t)),
        "created_at": _ts(tk.created[t]),
        "updated_at": _ts(tk.ev_time[sel]),
        "source_channel": _choice_str(SOURCE_CHANNELS, tk.source[t]),
        "origin_contact_id": pc.if_else(pa.array(has_origin),
                                        pc.take(cid, pa.array(np.maximum(origin, 0))),
                                        pa.nulls(len(t), pa.string())),
        "customer_account_id": _ids("AC", np.maximum(acct, 0), 8, acct >= 0),
        "requester_email": pc.binary_join_element_wise(
            "user", _int_str(email, email >= 0), "@example.com", ""),
        "priority": _choice_str(PRIORITIES, prio[sel]),
        "category": _choice_str(CATEGORIES, tk.category[t]),
        "status": _choice_str(STATUSES, status[sel]),
        "assigned_group": _choice_str(GROUPS, grp[sel]),
        "assignee_agent_id": _ids("A", tk.assignee[t] + 1, 5),
        "subject": _pii_text(rng, subj_base, tk.subject_pii[t]),
    })
    tk_deliv = _late(rng, ev_day[sel], cal.days)
    return tickets, tk_deliv, events, ev_deliv, ticket_id


def _survey_table(rng, sv: _Surveys, cid: pa.Array, ticket_id: pa.Array, cal: _Calendar):
    n = len(sv.leg)
    base = pa.array(np.where(sv.comment >= 0,
                             np.array(_COMMENTS, dtype=object)[np.maximum(sv.comment, 0)], None),
                    type=pa.string())
    pii = np.where(sv.comment_pii, rng.integers(1, 3, n), 0)
    table = pa.table({
        "response_id": _ids("S", 2_000_000 + np.arange(n), 8),
        "survey_type": _choice_str(SURVEY_TYPES, sv.stype),
        "contact_id": pc.if_else(pa.array(sv.leg >= 0), pc.take(cid, pa.array(
            np.maximum(sv.leg, 0))), pa.nulls(n, pa.string())),
        "ticket_id": pc.if_else(pa.array(sv.ticket >= 0), pc.take(ticket_id, pa.array(
            np.maximum(sv.ticket, 0))), pa.nulls(n, pa.string())),
        "channel": _choice_str(("sms", "ivr", "chat", "email"), sv.channel),
        "sent_at": _ts(sv.sent),
        "responded_at": _ts(sv.responded, z_mask=rng.random(n) < 0.3),
        "score": _int_str(sv.score),
        "issue_resolved": _choice_str(("no", "yes"), sv.resolved, sv.resolved >= 0),
        "comment": _pii_text(rng, base, pii),
    })
    order = np.argsort(sv.responded, kind="stable")
    day = np.clip(cal.day_of(sv.responded), 0, cal.days - 1)
    return table.take(pa.array(order)), _late(rng, day[order], cal.days)


# ---------------------------------------------------------------------------------------
# Bad rows (dirty mode)

_BAD_KINDS = {
    "contacts": ("malformed_fields", "broken_quote", "unknown_enum", "negative_duration",
                 "ended_before_start", "bad_timestamp", "missing_required", "duplicate",
                 "orphan_queue", "orphan_agent"),
    "agent_states": ("malformed_fields", "broken_quote", "unknown_enum", "ended_before_start",
                     "bad_timestamp", "missing_required", "duplicate", "orphan_agent"),
    "tickets": ("malformed_fields", "unknown_enum", "bad_timestamp", "missing_required",
                "duplicate", "orphan_agent"),
    "ticket_events": ("malformed_fields", "unknown_enum", "bad_timestamp", "missing_required",
                      "duplicate", "orphan_ticket"),
    "survey_responses": ("malformed_fields", "broken_quote", "unknown_enum", "out_of_range",
                         "bad_timestamp", "missing_required", "duplicate", "orphan_contact"),
}
_KEY = {"contacts": "contact_id", "agent_states": "started_at", "tickets": "ticket_id",
        "ticket_events": "event_id", "survey_responses": "response_id"}
_ENUM = {"contacts": ("disconnect_reason", "hangup"), "agent_states": ("state", "lunch"),
         "tickets": ("priority", "critical"), "ticket_events": ("event_type", "merged"),
         "survey_responses": ("survey_type", "csat5")}
_TS_COL = {"contacts": "initiated_at", "agent_states": "started_at", "tickets": "created_at",
           "ticket_events": "occurred_at", "survey_responses": "responded_at"}
_REQUIRED_BLANK = {"contacts": "channel", "agent_states": "state", "tickets": "status",
                   "ticket_events": "ticket_id", "survey_responses": "score"}
_BAD_TS = ("2026-02-30T25:61:00+08:00", "not a date", "31/13/2026 10:00")


def _csv_line(values: list[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(values)
    return buf.getvalue().encode()


def _shift_ts(text: str, seconds: int) -> str:
    value = datetime.fromisoformat(text) + timedelta(seconds=seconds)
    return value.isoformat()


def _bad_lines(rng, entity: str, table: pa.Table, start_kind: int, k: int):
    """k bad CSV lines derived from random rows of this file; returns (lines, kinds)."""
    kinds = _BAD_KINDS[entity]
    columns = table.column_names
    lines, used = [], []
    for i in range(k):  # ~1 % of a day's rows, dirty mode only
        kind = kinds[(start_kind + i) % len(kinds)]
        pick = int(rng.integers(0, table.num_rows))
        if kind == "orphan_agent" and entity == "contacts":
            answered = pc.is_valid(table["agent_id"]).to_numpy(zero_copy_only=False)
            rows = np.flatnonzero(answered)
            if len(rows):
                pick = int(rows[rng.integers(0, len(rows))])
        if kind == "duplicate":
            lines.append(pick)  # the writer copies that row's exact bytes
            used.append(kind)
            continue
        row = {c: ("" if v is None else str(v))
               for c, v in table.slice(pick, 1).to_pylist()[0].items()}
        key = _KEY[entity]
        if entity == "agent_states":
            row[key] = _shift_ts(row[key], 1 + i)
        else:
            row[key] = f"{row[key]}-X{start_kind + i}"
        if kind == "malformed_fields":
            line = _csv_line([row[c] for c in columns][:-3])
        elif kind == "broken_quote":
            # a truncated export: the last field opens a quote that never closes, so it is
            # written as the file's last line (it cannot swallow the lines after it)
            values = [row[c].replace('"', "") for c in columns]
            values[-1] = '"' + values[-1] + " (truncated"
            line = ("END", _csv_line(values[:-1]).rstrip(b"\n") + b"," + values[-1].encode())
        else:
            if kind == "unknown_enum":
                col, value = _ENUM[entity]
                row[col] = value
            elif kind == "negative_duration":
                row["talk_seconds"] = "-42"
            elif kind == "out_of_range":
                row["score"] = "11" if row["survey_type"] != "nps" else "12"
            elif kind == "ended_before_start":
                col = "initiated_at" if entity == "contacts" else "started_at"
                row["ended_at"] = _shift_ts(row[col], -600)
            elif kind == "bad_timestamp":
                row[_TS_COL[entity]] = _BAD_TS[i % len(_BAD_TS)]
            elif kind == "missing_required":
                row[_REQUIRED_BLANK[entity]] = ""
            elif kind == "orphan_queue":
                row["queue_id"] = "Q_LEGACY_99"
                if not row["enqueued_at"]:
                    row["enqueued_at"] = row["initiated_at"]
            elif kind in ("orphan_agent",):
                col = {"contacts": "agent_id", "agent_states": "agent_id",
                       "tickets": "assignee_agent_id"}[entity]
                row[col] = "A99999"
            elif kind == "orphan_ticket":
                row["ticket_id"] = "T99999999"
            elif kind == "orphan_contact":
                row["contact_id"] = "C9999999999"
            line = _csv_line([row[c] for c in columns])
        lines.append(line)
        used.append(kind)
    return lines, used


# ---------------------------------------------------------------------------------------
# Planted intervention (option plant_intervention; DECISIONS.md, "Interventions")
#
# The sample data's "extra day shift and wrap-up template" in 技术支持 (Q_TECH): from day
# DEMO_INTERVENTION_OFFSET_DAYS of the generated period (the 8th day) the Technical team gains
# day-shift agents (09:30-18:00), and its after-contact work halves (a wrap-up template). The
# other voice queues, the default control group of a queue intervention, do not change. The
# shipped seed `interventions` lists it as demo_tech_extra_shift with an empty start_date,
# which the warehouse resolves to the first data day + var demo_intervention_offset_days (also
# 7), so the seed and the generated data agree whatever dates `make demo` generates. Known effect:
# AHT falls by DEMO_ACW_FACTOR's share of Technical's mean ACW (the seeded test checks that
# the measured DiD's confidence interval contains it). Satisfaction additionally falls for
# repeat contacts, so the driver analysis has wait, transfers and repeats to find.

DEMO_INTERVENTION_OFFSET_DAYS = 7
DEMO_TREATED_QUEUE = "Q_TECH"
DEMO_EXTRA_AGENTS_SHARE = 0.35  # agents added, as a share of the Technical team
DEMO_EXTRA_SHIFT = 1  # index into SHIFTS: 09:30-18:00, over the day's two peaks
DEMO_ACW_FACTOR = 0.5  # after-contact work of Technical legs from the start day
DEMO_REPEAT_SATISFACTION_SHIFT = -0.15  # probability of a satisfied repeat caller


def demo_treated_queue() -> int:
    return next(i for i, q in enumerate(QUEUES) if q.queue_id == DEMO_TREATED_QUEUE)


def demo_expected_aht_effect_seconds() -> float:
    """Expected change of Technical's AHT from the wrap-up template (talk and hold unchanged).

    ACW is gamma(2, mean / 2), set to 0 for 5 % of legs: its mean is 0.95 * acw_mean.
    """
    return -(1 - DEMO_ACW_FACTOR) * 0.95 * QUEUES[demo_treated_queue()].acw_mean


def _plant_extra_shift(rng, agents: _Agents, days: int) -> _Agents:
    """Add 09:30-18:00 Technical agents hired on the start day (joiners, so the roster,
    schedule, waits and agent states all follow)."""
    start = DEMO_INTERVENTION_OFFSET_DAYS
    if start >= days:
        return agents
    team = demo_treated_queue()
    k = max(2, int(round(DEMO_EXTRA_AGENTS_SHARE * int((agents.team == team).sum()))))
    names = [_SURNAMES[i] + _GIVEN[j] for i, j in zip(
        rng.integers(0, len(_SURNAMES), k), rng.integers(0, len(_GIVEN), k), strict=True)]
    subteam = np.zeros((k, days), dtype=agents.subteam.dtype)
    change_day = np.where(np.arange(days) >= start, start, 0)[None, :].repeat(k, axis=0)
    return _Agents(
        n=agents.n + k,
        team=np.concatenate([agents.team, np.full(k, team)]),
        shift=np.concatenate([agents.shift, np.full(k, DEMO_EXTRA_SHIFT)]),
        site=np.concatenate([agents.site, rng.integers(0, len(SITES), k)]),
        names=agents.names + names,
        hire_day=np.concatenate([agents.hire_day, np.full(k, start)]),
        term_day=np.concatenate([agents.term_day, np.full(k, 10**6)]),
        subteam=np.concatenate([agents.subteam, subteam]),
        change_day=np.concatenate([agents.change_day, change_day.astype(
            agents.change_day.dtype)]),
    )


def _plant_shorter_wrap_up(legs: _Legs, cal: _Calendar) -> None:
    """Halve the after-contact work of Technical legs queued from the start day (in place).

    Called before the service simulation serves the legs (so the shorter wrap-up frees agents
    sooner); legs that end up unanswered have their ACW set to 0 there anyway.
    """
    queued_day = np.where(legs.queue >= 0, cal.day_of(legs.enqueued), -1)
    treated = ((legs.queue == demo_treated_queue())
               & (queued_day >= DEMO_INTERVENTION_OFFSET_DAYS))
    legs.acw[treated] = np.round(legs.acw[treated] * DEMO_ACW_FACTOR)


def _planted_satisfaction_shift(legs: _Legs, cust: _Customers) -> np.ndarray:
    """Per leg: lower satisfaction when its interaction repeats one the same customer started
    in the 7 days before (inbound interactions)."""
    n_first = int((legs.parent < 0).sum())  # first legs are the leading block
    inbound = np.flatnonzero(legs.direction[:n_first] == 0)
    who, when = cust.cust[inbound], legs.initiated[inbound]
    order = np.lexsort((when, who))
    who, when = who[order], when[order]
    repeat_sorted = np.zeros(len(inbound), dtype=bool)
    repeat_sorted[1:] = (who[1:] == who[:-1]) & (when[1:] - when[:-1] <= 7 * DAY)
    repeat_first = np.zeros(n_first, dtype=bool)
    repeat_first[inbound[order]] = repeat_sorted
    return np.where(repeat_first[legs.first], DEMO_REPEAT_SATISFACTION_SHIFT, 0.0)


# ---------------------------------------------------------------------------------------
# Writing


def _csv_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=True))
    return sink.getvalue().to_pybytes()


@dataclass
class _Writer:
    landing_dir: Path
    cal: _Calendar
    dirty: bool
    rng: np.random.Generator
    summary: GenerationSummary
    kind_cursor: dict[str, int] = field(default_factory=dict)
    bad_kinds: dict[str, set] = field(default_factory=dict)

    def write(self, entity: str, day: int, table: pa.Table) -> None:
        spec = ENTITY_BY_NAME[entity]
        name = spec.folder.rsplit("/", 1)[-1]
        stamp = (self.cal.start + timedelta(days=day)).isoformat()
        path = self.landing_dir / spec.folder / f"{name}_{stamp}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = _csv_bytes(table)
        bad = 0
        if self.dirty and entity in _BAD_KINDS and table.num_rows >= 20:
            k = int(np.ceil(table.num_rows * 0.01))
            cursor = self.kind_cursor.get(entity, 0)
            lines, kinds = _bad_lines(self.rng, entity, table, cursor, k)
            self.kind_cursor[entity] = cursor + k
            self.bad_kinds.setdefault(entity, set()).update(kinds)
            body = data.split(b"\n")
            header, rows = body[0], body[1:-1]
            at_end = [line[1] for line in lines if isinstance(line, tuple)]
            lines = [line for line in lines if not isinstance(line, tuple)]
            positions = np.sort(self.rng.integers(0, len(rows) + 1, len(lines)))
            out = [header]
            prev = 0
            for pos, line in zip(positions, lines, strict=True):
                out.extend(rows[prev:pos])
                out.append(rows[line] if isinstance(line, int) else line.rstrip(b"\n"))
                prev = pos
            out.extend(rows[prev:])
            out.extend(at_end)
            data = b"\n".join(out) + b"\n"
            bad = len(lines) + len(at_end)
        path.write_bytes(data)
        self.summary.files_written += 1
        self.summary.rows[entity] = self.summary.rows.get(entity, 0) + table.num_rows + bad
        if bad:
            self.summary.bad_rows[entity] = self.summary.bad_rows.get(entity, 0) + bad


def _split_by_day(table: pa.Table, day: np.ndarray, days: int,
                  within: np.ndarray | None = None) -> list[pa.Table]:
    order = np.argsort(day, kind="stable") if within is None else np.lexsort((within, day))
    sorted_day = day[order]
    bounds = np.searchsorted(sorted_day, np.arange(days + 1))
    taken = table.take(pa.array(order))
    return [taken.slice(bounds[d], bounds[d + 1] - bounds[d]) for d in range(days)]


def generate(landing_dir: Path, start_date: date, days: int, contacts_per_day: int, seed: int,
             dirty: bool = False, plant_intervention: bool = False,
             holiday_week: bool = False, fmt: str = "hotline") -> GenerationSummary:
    """Generate `days` days of landing extracts starting at `start_date` (delivery days).

    plant_intervention: the sample data's planted change (section "Planted intervention"),
    which the shipped seed `interventions` lists as demo_tech_extra_shift.
    holiday_week: put a golden week with make-up workdays (调休) in the period.
    fmt other than "hotline" writes the entities a native product exports in its format
    (hotline/devtools/native_export.py); the others stay in the contract layout.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    t0 = time.perf_counter()
    landing_dir = Path(landing_dir)
    summary = GenerationSummary(landing_dir, start_date, days)
    console = Console(file=sys.stderr)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        console=console, disable=not console.is_terminal, transient=True)
    with progress:
        sim = progress.add_task("simulating", total=5)
        rng = np.random.default_rng(seed)
        cal = _Calendar.build(start_date, days, holiday_week)
        agents = _build_agents(rng, contacts_per_day, days)
        if plant_intervention:
            agents = _plant_extra_shift(np.random.default_rng(seed + 2), agents, days)
        sched = _build_schedule(rng, cal, agents)
        progress.advance(sim)
        legs, timelines = _simulate_service(
            rng, _first_legs(rng, cal, sched, contacts_per_day), cal, sched, agents,
            plant_intervention=plant_intervention)
        states = _agent_states(legs, cal, sched, timelines)
        progress.advance(sim)
        cust = _customers(rng, legs)
        tk = _tickets(rng, legs, cust, agents, cal)
        sv = _surveys(rng, legs, tk, cal,
                      _planted_satisfaction_shift(legs, cust) if plant_intervention else None)
        progress.advance(sim)
        contacts, c_day, c_rank, cid = _contacts_table(rng, legs, cust, cal)
        st_table, st_day = _agent_states_table(rng, states, cal)
        tickets, tk_day, events, ev_day, ticket_id = _ticket_tables(rng, tk, cid, cust, cal)
        surveys, sv_day = _survey_table(rng, sv, cid, ticket_id, cal)
        progress.advance(sim)
        per_day = {
            "contacts": _split_by_day(contacts, c_day, days, c_rank),
            "agent_states": _split_by_day(st_table, st_day, days),
            "agents": _agents_tables(agents, cal),
            "queues": _queues_tables(cal),
            "tickets": _split_by_day(tickets, tk_day, days),
            "ticket_events": _split_by_day(events, ev_day, days),
            "survey_responses": _split_by_day(surveys, sv_day, days),
        }
        progress.advance(sim)
        writer = _Writer(landing_dir, cal, dirty, np.random.default_rng(seed + 1), summary)
        native = None
        if fmt != "hotline":  # a native export format: hotline/devtools/native_export.py
            from hotline.devtools.native_export import native_writer

            native = native_writer(fmt, landing_dir, start_date, per_day, dirty, seed + 2)
        task = progress.add_task("writing days", total=days)
        for d in range(days):
            for entity, tables in per_day.items():
                if native is None:
                    writer.write(entity, d, tables[d])
                elif entity not in native.takes:
                    writer.write(entity, d, native.rewrite(entity, tables[d]))
            if native is not None:
                native.write_day(d)
            progress.advance(task)
        if native is not None:
            summary.files_written += native.files
            summary.rows.update(native.rows)
    summary.seconds = time.perf_counter() - t0
    return summary
