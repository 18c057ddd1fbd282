"""When a client's measures fall due: the therapist's schedule + sessions + time zone -> items.

Pure, like the follow-up planner (bot/scheduling/planner.py), and by its rules: local wall times
become instants by `to_utc`, an item inside quiet hours moves to their end, and nothing is planned
that would only be skipped as late.

- `every_weeks` counts weeks from `starts_on` (the local date the schedule was set): weeks 0, N,
  2N, ... are measure weeks.
- `day_before_session`: in a measure week, the evening (18:00 local) before each session that
  starts in that week. With no session in a measure week, nothing is planned for it: the measure
  belongs to the session. A week is counted by the session's day, so the item itself may fall on
  the last day of the week before.
- `fixed`: in a measure week, 18:00 local on the weekday of `starts_on`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.config import QuietHours
from bot.scheduling.planner import HORIZON, PlannedItem, after_quiet_hours, local_wall, to_utc

MEASURE = "measure"
AT = time(18, 0)  # the evening before a session, as the follow-ups' day-before check-in
ANCHORS = ("day_before_session", "fixed")
Anchor = Literal["day_before_session", "fixed"]


@dataclass(frozen=True, slots=True)
class MeasurePlan:
    measures: tuple[str, ...]
    every_weeks: int
    anchor: Anchor
    starts_on: date

    def describe(self) -> str:
        which = " and ".join(
            m.upper().replace("PHQ9", "PHQ-9").replace("GAD7", "GAD-7") for m in self.measures
        )
        every = "every week" if self.every_weeks == 1 else f"every {self.every_weeks} weeks"
        when = (
            "the day before the session"
            if self.anchor == "day_before_session"
            else (f"on {self.starts_on:%A}s at 18:00")
        )
        return f"{which or 'no measures'}, {every}, {when} (counted from {self.starts_on:%d %b %Y})"


def measure_week(plan: MeasurePlan, day: date) -> bool:
    weeks = (day - plan.starts_on).days // 7
    return weeks >= 0 and weeks % plan.every_weeks == 0


def plan_measures(
    plan: MeasurePlan,
    client_id: int,
    session_starts: Sequence[datetime],
    tz: ZoneInfo,
    quiet: QuietHours,
    now: datetime,
    horizon: timedelta = HORIZON,
) -> list[PlannedItem]:
    """The measure items still ahead, up to `now + horizon`, keyed so nothing is planned twice."""
    if not plan.measures or plan.every_weeks < 1:
        return []
    payload = {"measures": list(plan.measures), "client_id": client_id}
    items: dict[str, PlannedItem] = {}
    if plan.anchor == "day_before_session":
        for start in sorted(session_starts):
            day = local_wall(start, tz).date()
            if not measure_week(plan, day):
                continue
            due = after_quiet_hours(
                to_utc(datetime.combine(day - timedelta(days=1), AT), tz), quiet, tz
            )
            if now <= due < start and due <= now + horizon:
                key = f"{MEASURE}:{client_id}:{day.isoformat()}"
                items.setdefault(
                    key, PlannedItem(key, due, MEASURE, {**payload, "session": start.isoformat()})
                )
    else:
        day = plan.starts_on
        last = local_wall(now + horizon, tz).date()
        while day <= last:
            due = after_quiet_hours(to_utc(datetime.combine(day, AT), tz), quiet, tz)
            if now <= due <= now + horizon:
                key = f"{MEASURE}:{client_id}:{day.isoformat()}"
                items[key] = PlannedItem(key, due, MEASURE, payload)
            day += timedelta(weeks=plan.every_weeks)
    return sorted(items.values(), key=lambda i: (i.due_at, i.key))
