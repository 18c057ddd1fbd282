"""The planner: session + policy + the client's time zone + `now` -> due items. Pure: no I/O, no clock.

Rules (each has a test table in tests/scheduling/test_planner.py):

- Offsets count from the session's end (start + length).
- An offset of whole days keeps the local wall time: a 1d follow-up after a session that ends at
  15:50 local comes at 15:50 local the next day, even across a daylight-saving change. Any other
  offset (`3h`, `1d12h`) is absolute time: 3h is always 3 real hours.
- A weekly session repeats at the same local wall time every week, except the occurrences the
  therapist cancelled or moved one by one (`changes`): a cancelled one is gone, a moved one is at
  its new start and its follow-ups count from there (keyed by the new start).
- Local times are turned into instants by ONE rule, applied everywhere (`to_utc`): a time that does
  not exist (spring forward) is shifted forward by the length of the gap (02:30 -> 03:30 in Berlin);
  a time that exists twice (fall back) is the first occurrence (fold=0, the summer-time one).
- An item due inside the client's quiet hours (local, may span midnight) moves to their end.
- Items due before `now - useful_window` are not planned: they would only be skipped as late.
- `day_before_next_session` plans one item at 18:00 local the day before each planned occurrence
  of the session (including a one-off session), keyed by that occurrence.
- Follow-ups due at or after `next_session_start` are dropped: the next session supersedes them.

The daily ping cap is enforced at dispatch time, not here (see `apply_daily_cap`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import QuietHours, format_duration
from bot.scheduling.policy import Policy

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
HORIZON = timedelta(weeks=4)
DAY_BEFORE_AT = time(18, 0)

FOLLOWUP = "followup"
DAY_BEFORE = "day_before"
REMINDER = "reminder"
# Kinds that ping the client unprompted; they count toward the daily cap and respect pause/stop.
PING_KINDS = frozenset({FOLLOWUP, DAY_BEFORE, REMINDER, "checkin", "measure"})
# Kinds that start a check-in; when several are overdue at once, only the newest is sent.
START_KINDS = frozenset({FOLLOWUP, DAY_BEFORE, "checkin"})


@dataclass(frozen=True)
class SessionSlot:
    """A registered session as the planner sees it (times aware)."""

    id: int
    starts_at: datetime
    length: timedelta
    weekly: bool = False
    until: datetime | None = None
    client_id: int | None = None
    # One occurrence of a weekly series changed by itself: (its regular start, its new start, or
    # None when it was cancelled). A pair whose regular start is not (any longer) an occurrence of
    # the series, say after the whole series moved, has no effect.
    changes: tuple[tuple[datetime, datetime | None], ...] = ()


@dataclass(frozen=True)
class PlannedItem:
    key: str
    due_at: datetime  # aware UTC
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive local wall time to an aware UTC instant, by the one documented rule.

    fold=0 means: for an ambiguous time the first occurrence; for a nonexistent time the offset in
    force before the gap, which lands the instant as far after the gap as the time was into it.
    """
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


def local_wall(instant: datetime, tz: ZoneInfo) -> datetime:
    """An instant as a naive local wall time in `tz`."""
    return instant.astimezone(tz).replace(tzinfo=None)


def after_quiet_hours(due: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """`due` itself, or the end of the quiet hours it falls into (both aware UTC)."""
    wall = local_wall(due, tz)
    if not quiet.contains(wall.time()):
        return due
    end_day = wall.date()
    if quiet.start > quiet.end and wall.time() >= quiet.start:
        end_day += DAY  # quiet hours span midnight and we are before it: they end tomorrow
    return to_utc(datetime.combine(end_day, quiet.end), tz)


def occurrences(
    session: SessionSlot, tz: ZoneInfo, since: datetime, until: datetime
) -> list[datetime]:
    """Start instants (UTC) of the session from `since` to `until`, same local wall time weekly,
    with the occurrences changed one by one taken out or put at their new start."""
    if not session.changes:
        return regular_occurrences(session, tz, since, until)
    changed = dict(session.changes)
    found = [t for t in regular_occurrences(session, tz, since, until) if t not in changed]
    for regular, new in session.changes:
        if new is not None and since <= new <= until and is_regular(session, tz, regular):
            found.append(new)
    return sorted(found)


def is_regular(session: SessionSlot, tz: ZoneInfo, start: datetime) -> bool:
    """Whether `start` is one of the session's regular starts (before any one-by-one change)."""
    return regular_occurrences(session, tz, start, start) == [start]


def regular_occurrences(
    session: SessionSlot, tz: ZoneInfo, since: datetime, until: datetime
) -> list[datetime]:
    """The series' own starts from `since` to `until`, ignoring one-by-one changes."""
    if not session.weekly:
        return [session.starts_at] if since <= session.starts_at <= until else []
    last = min(until, session.until) if session.until else until
    first_wall = local_wall(session.starts_at, tz)
    # Jump close to `since` instead of walking every week since the session was registered.
    skip = max(0, (since - session.starts_at) // WEEK - 1)
    found: list[datetime] = []
    k = skip
    while True:
        start = to_utc(first_wall + k * WEEK, tz)
        if start > last:
            return found
        if start >= since:
            found.append(start)
        k += 1


def _followup_due(end: datetime, offset: timedelta, tz: ZoneInfo) -> datetime:
    if offset % DAY == timedelta(0):
        return to_utc(local_wall(end, tz) + offset, tz)  # whole days: same local wall time
    return end + offset


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def plan_followups(
    session: SessionSlot,
    policy: Policy,
    tz: ZoneInfo,
    now: datetime,
    next_session_start: datetime | None = None,
    horizon: timedelta = HORIZON,
) -> list[PlannedItem]:
    """Every follow-up still worth planning for the session's occurrences up to `now + horizon`."""
    oldest = now - policy.useful_window
    longest = max(policy.offsets, default=timedelta(0)) + policy.session_length + DAY
    starts = occurrences(session, tz, oldest - longest - session.length, now + horizon)
    items: list[PlannedItem] = []
    for i, start in enumerate(starts):
        cutoff = next_session_start
        if session.weekly:
            following = starts[i + 1] if i + 1 < len(starts) else start + WEEK
            cutoff = min(cutoff, following) if cutoff else following
        items.extend(_after_one(session, start, policy, tz, cutoff))
        if policy.day_before_next_session:
            items.extend(_day_before(session, start, policy, tz))
    return sorted((i for i in items if i.due_at >= oldest), key=lambda i: (i.due_at, i.key))


def _after_one(
    session: SessionSlot,
    start: datetime,
    policy: Policy,
    tz: ZoneInfo,
    cutoff: datetime | None,
) -> Iterator[PlannedItem]:
    end = start + session.length
    for offset in policy.offsets:
        due = after_quiet_hours(_followup_due(end, offset, tz), policy.quiet_hours, tz)
        if cutoff is not None and due >= cutoff:
            continue
        text = format_duration(offset)
        yield PlannedItem(
            key=f"followup:{session.id}:{_iso(start)}:{text}",
            due_at=due,
            kind=FOLLOWUP,
            payload=_payload(session, start, offset=text),
        )


def _day_before(
    session: SessionSlot, start: datetime, policy: Policy, tz: ZoneInfo
) -> Iterator[PlannedItem]:
    eve = local_wall(start, tz).date() - DAY
    due = after_quiet_hours(
        to_utc(datetime.combine(eve, DAY_BEFORE_AT), tz), policy.quiet_hours, tz
    )
    if due < start:
        yield PlannedItem(
            key=f"day_before:{session.id}:{_iso(start)}",
            due_at=due,
            kind=DAY_BEFORE,
            payload=_payload(session, start),
        )


def _payload(session: SessionSlot, start: datetime, **extra: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"session_id": session.id, "occurrence": _iso(start), **extra}
    if session.client_id is not None:
        payload["client_id"] = session.client_id
    return payload


def plan_reminder(
    sent_at: datetime,
    policy: Policy,
    *,
    of_key: str,
    tz: ZoneInfo | None = None,
    payload: Mapping[str, Any] | None = None,
) -> PlannedItem | None:
    """The one reminder for a check-in sent at `sent_at` that got no answer (None when turned off).

    Reminders of reminders are never planned: a client who does not answer twice is left alone.
    """
    if policy.reminder_after is None or of_key.startswith(f"{REMINDER}:"):
        return None
    due = sent_at + policy.reminder_after
    if tz is not None:
        due = after_quiet_hours(due, policy.quiet_hours, tz)
    return PlannedItem(
        key=f"{REMINDER}:{of_key}",
        due_at=due.astimezone(UTC),
        kind=REMINDER,
        payload={**(payload or {}), "reminds": of_key},
    )


def apply_daily_cap(
    items: Iterable[PlannedItem],
    policy: Policy,
    tz: ZoneInfo,
    already_sent: Mapping[date, int] | None = None,
) -> tuple[list[PlannedItem], list[PlannedItem]]:
    """Split items (in due order) into those within `max_pings_per_day` per local day and the rest.

    Enforced by the dispatcher when an item falls due, not at planning: only then are all the
    sources visible together (several sessions, reminders, snoozed items) and only then is it
    known what was actually sent today. Items whose kind is not a ping (exercise timers) are
    never capped: they continue a conversation the client is already in.
    """
    counts: dict[date, int] = dict(already_sent or {})
    kept: list[PlannedItem] = []
    over: list[PlannedItem] = []
    for item in sorted(items, key=lambda i: (i.due_at, i.key)):
        if item.kind not in PING_KINDS:
            kept.append(item)
            continue
        day = local_wall(item.due_at, tz).date()
        if counts.get(day, 0) >= policy.max_pings_per_day:
            over.append(item)
        else:
            counts[day] = counts.get(day, 0) + 1
            kept.append(item)
    return kept, over
