"""A therapist's working hours ("Mon-Fri 9-17", "Mon-Thu 8:30-18, Sat 10-12"), read from the
free text they registered, and when the next working period starts.

Pure. Text that cannot be read as hours (e.g. "by appointment") means "no known hours": alerts
are then never held back. Days are English three-letter names; a range wraps (Sat-Mon).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = r"(\d{1,2})(?::(\d{2}))?"
_PART = re.compile(
    rf"^\s*(?P<d1>[a-z]{{3}})[a-z]*\s*(?:-\s*(?P<d2>[a-z]{{3}})[a-z]*)?\s+"
    rf"{_TIME}\s*-\s*{_TIME}\s*$"
)


@dataclass(frozen=True, order=True)
class WorkPeriod:
    weekday: int  # Monday is 0
    start: time
    end: time


def parse_hours(text: str | None) -> tuple[WorkPeriod, ...] | None:
    """The weekly working periods in `text`, or None when it does not read as hours."""
    if not text:
        return None
    periods: list[WorkPeriod] = []
    for part in re.split(r"[,;]", text.lower()):
        match = _PART.match(part)
        if match is None or match["d1"] not in DAYS:
            return None
        first = DAYS.index(match["d1"])
        last = DAYS.index(match["d2"]) if match["d2"] in DAYS else first
        if match["d2"] is not None and match["d2"] not in DAYS:
            return None
        start = _clock(match.group(3), match.group(4))
        end = _clock(match.group(5), match.group(6))
        if start is None or end is None or end <= start:
            return None
        day = first
        while True:
            periods.append(WorkPeriod(day, start, end))
            if day == last:
                break
            day = (day + 1) % 7
    return tuple(periods) or None


def _clock(hour: str, minute: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if h == 24 and m == 0:
        return time(23, 59, 59)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return time(h, m)


def next_working_time(
    now: datetime, periods: tuple[WorkPeriod, ...] | None, tz: tzinfo
) -> datetime:
    """`now` if it falls in a working period (or no hours are known), else the next start."""
    if not periods:
        return now
    local = now.astimezone(tz)
    for offset in range(8):
        day = (local + timedelta(days=offset)).date()
        for period in sorted(p for p in periods if p.weekday == day.weekday()):
            start = datetime.combine(day, period.start, tz)
            end = datetime.combine(day, period.end, tz)
            if offset == 0 and start <= local < end:
                return now
            if start > local:
                return start
    return now


def in_working_hours(now: datetime, periods: tuple[WorkPeriod, ...] | None, tz: tzinfo) -> bool:
    return next_working_time(now, periods, tz) == now
