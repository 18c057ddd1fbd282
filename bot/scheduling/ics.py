"""Importing sessions from an `.ics` calendar exported from a practice calendar.

Each occurrence in the import window becomes one session, recurring events expanded by
recurring-ical-events (so EXDATEs and moved instances are honoured). A session's `external_uid` is
`<event UID>` for a single event and `<event UID>@<occurrence start UTC>` for an occurrence of a
recurring one; with the unique (client, external_uid) constraint, re-importing the same file
changes nothing. An occurrence that disappeared from the file (the therapist cancelled it in the
calendar) is cancelled here too. All-day events are not sessions and are ignored; floating times
(no time zone) are read in the client's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from sqlmodel import col, select

from bot.errors import CheckinError, NotFoundError
from bot.scheduling.calendar_read import bounded_calendar
from bot.scheduling.sessions import SessionService
from bot.storage.models import Client, TherapySession

IMPORT_AHEAD = timedelta(weeks=8)
IMPORT_BEHIND = timedelta(days=1)


class CalendarError(CheckinError, ValueError):
    """The calendar file cannot be read."""


@dataclass
class ImportReport:
    added: list[int] = field(default_factory=list)
    unchanged: int = 0
    cancelled: list[int] = field(default_factory=list)
    ignored: int = 0  # all-day or malformed events


@dataclass(frozen=True)
class CalendarOccurrence:
    external_uid: str
    series_uid: str
    starts_at: datetime
    length: timedelta


def read_occurrences(
    data: bytes, tz: ZoneInfo, since: datetime, until: datetime
) -> tuple[list[CalendarOccurrence], int]:
    """Timed occurrences between `since` and `until`, and how many events were ignored.
    Hostile files (huge, thousands of events, a rule repeating every second since 1970) are
    refused first with the console upload's bounds, so expanding the rules stays small."""
    calendar = bounded_calendar(data, tz, until)
    try:
        events = recurring_ical_events.of(calendar).between(since, until)
    except Exception as exc:  # the libraries raise many types for a broken file
        raise CalendarError(
            f"The calendar cannot be read ({type(exc).__name__}); export it again as .ics"
        ) from None
    found: list[CalendarOccurrence] = []
    ignored = 0
    for event in events:
        start = event.get("DTSTART").dt if event.get("DTSTART") else None
        uid = str(event.get("UID") or "")
        if not isinstance(start, datetime) or not uid:
            ignored += 1
            continue
        end = event.get("DTEND").dt if event.get("DTEND") else None
        if not isinstance(end, datetime):
            end = start + (event.get("DURATION").dt if event.get("DURATION") else timedelta(0))
        start_utc, end_utc = (_aware(x, tz) for x in (start, end))
        recurring = event.get("RRULE") is not None or event.get("RECURRENCE-ID") is not None
        key = f"{uid}@{start_utc:%Y%m%dT%H%M%SZ}" if recurring else uid
        found.append(CalendarOccurrence(key, uid, start_utc, end_utc - start_utc))
    return found, ignored


def _aware(value: datetime | date, tz: ZoneInfo) -> datetime:
    assert isinstance(value, datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


async def import_ics(
    service: SessionService, client_id: int, data: bytes, now: datetime
) -> ImportReport:
    """Import a calendar's sessions for one client; safe to run again with the same file."""
    async with service.db.session() as s:
        client = await s.get(Client, client_id)
        if client is None:
            raise NotFoundError("client", client_id)
        existing = {
            x.external_uid: x
            for x in (
                await s.exec(
                    select(TherapySession).where(
                        TherapySession.client_id == client_id,
                        col(TherapySession.external_uid).is_not(None),
                    )
                )
            ).all()
        }
    since, until = now - IMPORT_BEHIND, now + IMPORT_AHEAD
    found, ignored = read_occurrences(data, ZoneInfo(client.timezone), since, until)
    report = ImportReport(ignored=ignored)
    for occ in found:
        if occ.external_uid in existing:
            report.unchanged += 1
            continue
        length = occ.length if occ.length >= timedelta(minutes=10) else None
        session = await service.register(
            client_id,
            occ.starts_at,
            now,
            length=length,
            source="ics",
            external_uid=occ.external_uid,
        )
        assert session.id is not None
        report.added.append(session.id)
    report.cancelled = await _cancel_vanished(service, existing, found, since, until, now)
    return report


async def _cancel_vanished(
    service: SessionService,
    existing: dict[str | None, TherapySession],
    found: list[CalendarOccurrence],
    since: datetime,
    until: datetime,
    now: datetime,
) -> list[int]:
    """Occurrences of series in this file, inside the window, that the file no longer has."""
    keys = {o.external_uid for o in found}
    series = {o.series_uid for o in found}
    gone = [
        x
        for uid, x in existing.items()
        if uid
        and uid not in keys
        and uid.rsplit("@", 1)[0] in series
        and "@" in uid
        and x.cancelled_at is None
        and since <= x.starts_at <= until
        and x.starts_at > now
    ]
    for session in gone:
        assert session.id is not None
        await service.cancel(session.id, now)
    return [x.id for x in gone if x.id is not None]
