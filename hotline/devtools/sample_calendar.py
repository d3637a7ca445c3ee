"""Holidays and make-up workdays (调休) of the sample data, and the demo's calendar seeds.

Chinese public holidays are moved with make-up workdays: a Saturday or Sunday next to a long
holiday becomes a normal working day. The generator (devtools/generator.py) simulates them — a
holiday has low volume and skeleton staffing, a make-up day the volume and staffing of the
weekday whose hours it keeps — and `hotline generate --calendar-config-dir DIR` writes the
matching configuration CSVs (business_schedules, business_calendar, queue_schedules,
sla_policies) so the demo can run with HOTLINE_CONFIG_DIR=DIR and show business-time SLAs
without changing the shipped seeds (README, "Business hours and holidays").

With `--holiday-week` the generated period gets a golden week like National Day 2026
(7 days Thursday–Wednesday, the Sunday before and the Saturday after worked), placed inside the
period wherever it fits, so a short demo window still shows one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# Official make-up workdays (State Council notices), each keeping Monday's hours (workday_as
# 1): a center whose weekdays differ can set another weekday in its business_calendar.
OFFICIAL_MAKEUP_WORKDAYS: frozenset[date] = frozenset(date.fromisoformat(d) for d in (
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
    "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
))

DEMO_TIME_ZONE = "Asia/Shanghai"
OFFICE_SCHEDULE = "default"  # the ticket desk: Monday–Friday 09:00–12:00, 13:00–18:00
HOTLINE_SCHEDULE = "hotline"  # the phone and chat lines: every day 08:00–22:00
# queues of the sample centre and the hours they keep (the sales desk keeps office hours)
DEMO_QUEUE_SCHEDULES = (
    ("Q_BILLING", HOTLINE_SCHEDULE), ("Q_TECH", HOTLINE_SCHEDULE),
    ("Q_SALES", OFFICE_SCHEDULE), ("Q_VIP", HOTLINE_SCHEDULE), ("Q_CHAT", HOTLINE_SCHEDULE),
)
# (priority, first response, resolution minutes, schedule): the shipped targets; urgent and
# high run on calendar time (24/7 escalation), normal and low on the office's business time
DEMO_SLA_POLICIES = (
    ("urgent", 60, 240, ""), ("high", 120, 480, ""),
    ("normal", 480, 1440, OFFICE_SCHEDULE), ("low", 1440, 4320, OFFICE_SCHEDULE),
)
CONFIG_MARGIN_DAYS = 60  # calendar rows written beyond the period (due instants fall later)


@dataclass
class SampleCalendar:
    """Days off and make-up workdays ({date: ISO weekday whose hours it keeps})."""

    holidays: set[date] = field(default_factory=set)
    makeup_workdays: dict[date, int] = field(default_factory=dict)

    def weekday_index(self, day: date) -> int:
        """Python weekday (0 = Monday) whose volume and staffing the day has."""
        if day in self.makeup_workdays:
            return self.makeup_workdays[day] - 1
        return day.weekday()


def demo_holiday_week(start: date, days: int) -> SampleCalendar:
    """A Thursday–Wednesday golden week inside [start, start + days) with the Sunday before and
    the Saturday after as make-up workdays (those that fall in the period). Neither falls on the
    period's last day, the ordinary day a demo summary shows; in a 14-day period that leaves
    exactly one make-up day. Prefers placements with more make-up days, then the earliest.
    Empty when no such week fits."""
    end = start + timedelta(days=days - 1)
    thursdays = [start + timedelta(days=i) for i in range(days)
                 if (start + timedelta(days=i)).weekday() == 3
                 and start + timedelta(days=i + 6) < end]

    def makeups(thursday: date) -> list[date]:
        return [d for d in (thursday - timedelta(days=4), thursday + timedelta(days=9))
                if start <= d < end]

    if not thursdays:
        return SampleCalendar()
    best = max(thursdays, key=lambda t: (len(makeups(t)), -t.toordinal()))
    return SampleCalendar(
        holidays={best + timedelta(days=i) for i in range(7)},
        makeup_workdays={d: 1 for d in makeups(best)},
    )


def sample_calendar(start: date, days: int, official_holidays: frozenset[date],
                    holiday_week: bool = False) -> SampleCalendar:
    """The holidays and make-up workdays the generator simulates over a period (official ones,
    plus the demo's golden week when asked; the golden week wins where they meet)."""
    last = start + timedelta(days=days + CONFIG_MARGIN_DAYS)
    first = start - timedelta(days=7)
    calendar = SampleCalendar(
        holidays={d for d in official_holidays if first <= d <= last},
        makeup_workdays={d: 1 for d in OFFICIAL_MAKEUP_WORKDAYS if first <= d <= last},
    )
    if holiday_week:
        week = demo_holiday_week(start, days)
        for day in week.holidays:
            calendar.makeup_workdays.pop(day, None)
        for day in week.makeup_workdays:
            calendar.holidays.discard(day)
        calendar.holidays |= week.holidays
        calendar.makeup_workdays.update(week.makeup_workdays)
    return calendar


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_calendar_config(config_dir: Path, calendar: SampleCalendar) -> list[Path]:
    """The sample centre's calendar seeds (HOTLINE_CONFIG_DIR files): the office keeps the
    holidays and make-up days, the hotline is open every day; normal and low tickets run on
    office business time."""
    config_dir = Path(config_dir)
    config_dir.mkdir(parents=True, exist_ok=True)
    schedules = [[OFFICE_SCHEDULE, DEMO_TIME_ZONE, weekday, opening, closing]
                 for weekday in range(1, 6)
                 for opening, closing in (("09:00", "12:00"), ("13:00", "18:00"))]
    schedules += [[HOTLINE_SCHEDULE, DEMO_TIME_ZONE, weekday, "08:00", "22:00"]
                  for weekday in range(1, 8)]
    days = sorted([(d, "holiday", "") for d in calendar.holidays]
                  + [(d, "workday", weekday) for d, weekday in calendar.makeup_workdays.items()])
    files = {
        "business_schedules.csv": (
            ["schedule_id", "time_zone", "weekday", "open_time", "close_time"], schedules),
        "business_calendar.csv": (
            ["schedule_id", "calendar_date", "day_type", "workday_as"],
            [[OFFICE_SCHEDULE, d.isoformat(), kind, weekday] for d, kind, weekday in days]),
        "queue_schedules.csv": (["queue_id", "schedule_id"],
                                [list(row) for row in DEMO_QUEUE_SCHEDULES]),
        "sla_policies.csv": (
            ["priority", "first_response_target_minutes", "resolution_target_minutes",
             "schedule_id"], [list(row) for row in DEMO_SLA_POLICIES]),
    }
    written = []
    for name, (header, rows) in files.items():
        _write(config_dir / name, header, rows)
        written.append(config_dir / name)
    return written
