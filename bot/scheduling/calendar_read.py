"""A therapist's whole calendar (.ics) read into proposed sessions, before anything is saved.

The console's upload shows these proposals; only when the therapist confirms are sessions created
(`SessionService.register`, so follow-ups are planned like any other session). Pure: bytes, a zone
and `now` in, a `CalendarReading` out; no database, no clock.

What becomes what:
- a timed event in the window (yesterday to 8 weeks ahead) -> one session;
- a plain weekly rule (`FREQ=WEEKLY`, every week, on the start's weekday, no exceptions) -> one
  weekly series, ending at its `UNTIL`/`COUNT`;
- any other rule (every other week, monthly, several days, EXDATEs, moved instances) -> each of
  its dates in the window as its own session (`UID@start`), since a series here is weekly only;
- all-day events, cancelled events and rules repeating more than daily are listed as skipped;
- so is an event without a UID, with its line: the UID is what tells, on the next import of the
  edited file, which session an event already is. RFC 5545 requires one and every calendar app
  writes one; keyed by its place in the file, an event added above moved another client's
  session, and keyed by its time and title, a moved event would be booked a second time.
Times are converted from the event's TZID (icalendar maps Windows names too) or UTC; floating
times are read in the calendar's `X-WR-TIMEZONE`, else in the therapist's zone.

Hostile files are bounded before any work grows with them: the byte size, the number of events,
the proposals per upload, and an estimate of how many steps a rule takes to reach the window
(a rule from 1970 repeating daily would otherwise be walked day by day).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events

from bot.errors import CheckinError
from bot.scheduling.planner import WEEK, SessionSlot, occurrences, to_utc

MAX_BYTES = 1024 * 1024  # a year of a busy practice's calendar is a few hundred kB
MAX_EVENTS = 5000
MAX_PROPOSALS = 300
MAX_DATES = 40  # dates of one irregular rule inside the window (8 weeks, daily at most: 57)
MAX_RULE_STEPS = 20_000  # estimated steps of one rule from its start to the window's end
MAX_TOTAL_STEPS = 200_000
AHEAD = timedelta(weeks=8)
BEHIND = timedelta(days=1)
SHORTEST = timedelta(minutes=10)
LONGEST = timedelta(hours=8)
SUMMARY_SHOWN = 80

# Why an event is skipped for its repeat rule (`checkin session import` refuses the file then).
MORE_THAN_DAILY = "repeats more often than daily"
TOO_OFTEN = "repeats too often to import"
UNREADABLE_RULE = "its repeat rule cannot be read"
# Why an event without a UID is skipped (its line follows; `checkin session import` refuses it).
NO_UID = "has no UID"

_FREQ_DAYS = {"DAILY": 1.0, "WEEKLY": 7.0, "MONTHLY": 28.0, "YEARLY": 365.0}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_SIMPLE_PARTS = {"FREQ", "INTERVAL", "UNTIL", "COUNT", "BYDAY", "WKST"}


class CalendarFileError(CheckinError, ValueError):
    """The upload is not a calendar this can read; the message says what to do."""


@dataclass(frozen=True)
class Proposal:
    """One session (or weekly series) the calendar proposes."""

    uid: str  # stored as the session's external_uid: re-importing the file adds nothing twice
    summary: str
    starts_at: datetime  # aware UTC; a series: its first occurrence in the window
    length: timedelta
    weekly: bool = False
    until: datetime | None = None  # a series' last start (UTC), None: open-ended
    zone: str = "UTC"  # where the time came from, for the preview


@dataclass
class CalendarReading:
    proposals: list[Proposal] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (summary, why)
    outside: int = 0  # timed events with nothing in the window (past, or too far ahead)
    zone: str = "UTC"  # the calendar's own zone (X-WR-TIMEZONE), else the therapist's


def read_calendar(data: bytes, fallback: ZoneInfo, now: datetime) -> CalendarReading:
    """Proposed sessions from an .ics file's bytes; `CalendarFileError` when it cannot be read."""
    calendar, components = _bounded(data)
    zone = _calendar_zone(calendar, fallback)
    since, until = now - BEHIND, now + AHEAD
    reading = CalendarReading(zone=zone.key)
    by_uid: dict[str, list[Any]] = defaultdict(list)
    lines = _event_lines(data, len(components))
    for component, line in zip(components, lines, strict=True):
        uid = str(component.get("UID") or "").strip()
        if not uid:
            where = f" (line {line})" if line else ""
            unmatched = f"{NO_UID}{where}, so a later import could not tell it from another event"
            reading.skipped.append((_summary(component), unmatched))
            continue
        by_uid[uid].append(component)
    budget = float(MAX_TOTAL_STEPS)
    for uid, group in by_uid.items():
        masters = [c for c in group if c.get("RECURRENCE-ID") is None]
        master = masters[0] if masters else group[0]
        summary = _summary(master)
        why = _unusable(master)
        if why:
            reading.skipped.append((summary, why))
            continue
        if master.get("RRULE") is None or not masters:
            for one in group:  # a single event, or moved instances without their series
                _add_single(reading, uid, one, zone, since, until, keyed=len(group) > 1)
            continue
        steps = _rule_steps(master, zone, until)
        if steps is None or steps > MAX_RULE_STEPS or steps > budget:
            reading.skipped.append((summary, TOO_OFTEN))
            continue
        budget -= steps
        if len(group) == 1 and _simple_weekly(master, zone):
            _add_series(reading, uid, master, zone, since, until)
        else:
            _add_dates(reading, uid, group, zone, since, until)
    if len(reading.proposals) > MAX_PROPOSALS:
        raise CalendarFileError(
            f"The file has {len(reading.proposals)} sessions in the next 8 weeks; at most "
            f"{MAX_PROPOSALS} are imported at once. Export one calendar, or a shorter period."
        )
    reading.proposals.sort(key=lambda p: (p.starts_at, p.summary))
    return reading


def _bounded(data: bytes) -> tuple[Any, list[Any]]:
    """The parsed calendar and its events, refusing files too large to read safely."""
    if len(data) > MAX_BYTES:
        raise CalendarFileError(
            f"The file is {len(data) // 1024} kB; the limit is {MAX_BYTES // 1024} kB. "
            "Export a shorter period (for example the next three months)."
        )
    calendar = _parse(data)
    components = list(calendar.walk("VEVENT"))
    if len(components) > MAX_EVENTS:
        raise CalendarFileError(
            f"The file has {len(components)} events; at most {MAX_EVENTS} are read at once. "
            "Export a shorter period (for example the next three months)."
        )
    return calendar, components


def _event_lines(data: bytes, count: int) -> list[int | None]:
    """The line of each event's BEGIN:VEVENT, in the order the parser walks them (the file's);
    None for all if the count differs (an event the parser read where no line says so)."""
    text = data.decode("utf-8-sig", errors="replace")
    found: list[int | None] = [
        n
        for n, line in enumerate(re.split(r"\r\n|\n|\r", text), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]
    return found if len(found) == count else [None] * count


def _parse(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CalendarFileError(
            "This is not a calendar file: it is not text. Export your calendar as .ics "
            "(iCalendar) and upload that file."
        ) from None
    if "BEGIN:VCALENDAR" not in text[:2048].upper():
        raise CalendarFileError(
            "This is not a calendar file (.ics): it does not start with BEGIN:VCALENDAR. "
            "Export your calendar as iCalendar and upload that file."
        )
    try:
        return icalendar.Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises several types for a broken file
        raise CalendarFileError(
            f"The calendar file is damaged and cannot be read ({_short(str(exc))}). "
            "Export it again from your calendar."
        ) from None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _calendar_zone(calendar: Any, fallback: ZoneInfo) -> ZoneInfo:
    name = str(calendar.get("X-WR-TIMEZONE") or "").strip()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return fallback


def _summary(event: Any) -> str:
    text = " ".join(str(event.get("SUMMARY") or "").split())
    return text[:SUMMARY_SHOWN] or "(no title)"


def _start(event: Any) -> date | datetime | None:
    prop = event.get("DTSTART")
    return getattr(prop, "dt", None) if prop is not None else None


def _unusable(event: Any) -> str | None:
    """Why an event cannot be a session, or None."""
    start = _start(event)
    if start is None:
        return "has no start"
    if not isinstance(start, datetime):
        return "all-day event"
    if str(event.get("STATUS") or "").upper() == "CANCELLED":
        return "cancelled in the calendar"
    rule = event.get("RRULE")
    if rule is not None:
        freq = _rule_part(rule, "FREQ")
        if freq not in _FREQ_DAYS or any(
            k in rule for k in ("BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS")
        ):
            return MORE_THAN_DAILY
    return None


def _rule_part(rule: Any, key: str) -> Any:
    values = rule.get(key)
    if not values:
        return None
    return values[0] if isinstance(values, list) else values


def _instant(value: datetime, zone: ZoneInfo) -> datetime:
    if value.tzinfo is None:  # floating: the calendar's own zone
        return to_utc(value, zone)
    return value.astimezone(UTC)


def _zone_of(value: datetime, zone: ZoneInfo) -> ZoneInfo:
    return value.tzinfo if isinstance(value.tzinfo, ZoneInfo) else zone


def _zone_name(value: datetime, zone: ZoneInfo) -> str:
    if value.tzinfo is None:
        return zone.key
    # A zone defined in the file itself (VTIMEZONE with its own name) has neither key nor name.
    return getattr(value.tzinfo, "key", None) or value.tzname() or "the calendar's own zone"


def _length(event: Any, start: datetime) -> timedelta:
    """The event's length, held to what a session can be (10 minutes to 8 hours)."""
    end = getattr(event.get("DTEND"), "dt", None)
    if isinstance(end, datetime) and (end.tzinfo is None) == (start.tzinfo is None):
        length = end - start
    elif event.get("DURATION") is not None and isinstance(event["DURATION"].dt, timedelta):
        length = event["DURATION"].dt
    else:
        length = timedelta(0)
    return min(max(length, SHORTEST), LONGEST)


def _add_single(
    reading: CalendarReading,
    uid: str,
    event: Any,
    zone: ZoneInfo,
    since: datetime,
    until: datetime,
    *,
    keyed: bool,
) -> None:
    start = _start(event)
    assert isinstance(start, datetime)
    at = _instant(start, zone)
    if not since <= at <= until:
        reading.outside += 1
        return
    reading.proposals.append(
        Proposal(
            uid=f"{uid}@{at:%Y%m%dT%H%M%SZ}" if keyed else uid,
            summary=_summary(event),
            starts_at=at,
            length=_length(event, start),
            zone=_zone_name(start, zone),
        )
    )


def _rule_steps(event: Any, zone: ZoneInfo, until: datetime) -> float | None:
    """About how many dates the rule generates from its start to `until` (None: unbounded)."""
    rule = event["RRULE"]
    start = _start(event)
    assert start is not None
    if not isinstance(start, datetime):  # an all-day rule counts from its first midnight
        start = datetime.combine(start, time(0))
    freq = _rule_part(rule, "FREQ")
    try:
        interval = max(1, int(_rule_part(rule, "INTERVAL") or 1))
        count = _rule_part(rule, "COUNT")
        span = (until - _instant(start, zone)).total_seconds() / 86400
    except (TypeError, ValueError, OverflowError):  # OverflowError: a start in year 1
        return None
    per_period = 1
    for key in (
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYHOUR",
        "BYMINUTE",
        "BYSECOND",
    ):
        values = rule.get(key)
        if values:
            per_period *= len(values) if isinstance(values, list) else 1
    steps = max(0.0, span) / (_FREQ_DAYS[freq] * interval) * per_period
    if count is not None:
        try:
            steps = min(steps, float(count))
        except (TypeError, ValueError):
            return None
    return steps


def _simple_weekly(event: Any, zone: ZoneInfo) -> bool:
    """Every week on the start's weekday, with no exceptions: one weekly series here."""
    rule = event["RRULE"]
    start = _start(event)
    assert isinstance(start, datetime)
    if set(rule) - _SIMPLE_PARTS or _rule_part(rule, "FREQ") != "WEEKLY":
        return False
    if int(_rule_part(rule, "INTERVAL") or 1) != 1:
        return False
    if event.get("EXDATE") is not None or event.get("RDATE") is not None:
        return False
    days = rule.get("BYDAY") or []
    wall = start if start.tzinfo is None else start.astimezone(_zone_of(start, zone))
    return not days or [str(d).upper() for d in days] == [_WEEKDAYS[wall.weekday()]]


def _series_end(event: Any, start: datetime, zone: ZoneInfo) -> datetime | None:
    """The last start of a weekly rule (UTC), from UNTIL or COUNT; None if open-ended."""
    rule = event["RRULE"]
    last = _rule_part(rule, "UNTIL")
    if isinstance(last, datetime):
        return _instant(last, zone)
    if isinstance(last, date):
        return to_utc(datetime.combine(last, time(23, 59)), _zone_of(start, zone))
    count = _rule_part(rule, "COUNT")
    if count is not None:
        wall = start.replace(tzinfo=None) if start.tzinfo is None else None
        if wall is not None:
            return to_utc(wall + (int(count) - 1) * WEEK, zone)
        tz = _zone_of(start, zone)
        local = start.astimezone(tz).replace(tzinfo=None)
        return to_utc(local + (int(count) - 1) * WEEK, tz)
    return None


def _add_series(
    reading: CalendarReading,
    uid: str,
    event: Any,
    zone: ZoneInfo,
    since: datetime,
    until: datetime,
) -> None:
    start = _start(event)
    assert isinstance(start, datetime)
    tz = _zone_of(start, zone)
    first_start = _instant(start, zone)
    last = _series_end(event, start, zone)
    length = _length(event, start)
    slot = SessionSlot(id=0, starts_at=first_start, length=length, weekly=True, until=last)
    upcoming = occurrences(slot, tz, since, until)
    if not upcoming:
        reading.outside += 1
        return
    reading.proposals.append(
        Proposal(
            uid=uid,
            summary=_summary(event),
            starts_at=upcoming[0],
            length=length,
            weekly=True,
            until=last,
            zone=_zone_name(start, zone),
        )
    )


def _add_dates(
    reading: CalendarReading,
    uid: str,
    group: list[Any],
    zone: ZoneInfo,
    since: datetime,
    until: datetime,
) -> None:
    """Each date of an irregular rule in the window (EXDATEs and moved instances honoured)."""
    calendar = icalendar.Calendar()
    for component in group:
        calendar.add_component(component)
    found = 0
    try:
        query = recurring_ical_events.of(calendar)
        for event in query.between(since, until):
            start = _start(event)
            if not isinstance(start, datetime) or _unusable(event) == "cancelled in the calendar":
                continue
            found += 1
            if found > MAX_DATES:
                break
            at = _instant(start, zone)
            reading.proposals.append(
                Proposal(
                    uid=f"{uid}@{at:%Y%m%dT%H%M%SZ}",
                    summary=_summary(event),
                    starts_at=at,
                    length=_length(event, start),
                    zone=_zone_name(start, zone),
                )
            )
    except Exception:  # a rule the library cannot expand: say so for this event only
        reading.skipped.append((_summary(group[0]), UNREADABLE_RULE))
        return
    if found == 0:
        reading.outside += 1
