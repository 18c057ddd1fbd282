"""`checkin session import`: one client's sessions from an `.ics` calendar, read by the same
reader as the console's upload (`calendar_read.read_calendar`): the same bounds, the same
sessions and weekly series, and the same handling of an event moved in the calendar since it was
imported (`apply_proposal`, which the upload's confirmation uses too).

What the command adds, having no preview to show: every proposal goes to the one client named;
an event whose repeat rule cannot be imported (more often than daily, too many steps to reach
the window, unreadable) or that has no UID (nothing would match it on the next import) refuses
the whole file, naming the event, so nothing is imported half and silently; and an
occurrence (`UID@start`) of a series in the file that the file no longer has (the therapist
cancelled it in the calendar, or the rule is now read as one weekly series) is cancelled here
too. Re-importing the same file changes nothing; floating times are read in the client's zone
unless the calendar names its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.errors import NotFoundError
from bot.scheduling.calendar_read import (
    AHEAD,
    MORE_THAN_DAILY,
    NO_UID,
    TOO_OFTEN,
    UNREADABLE_RULE,
    CalendarFileError,
    Proposal,
    read_calendar,
)
from bot.scheduling.planner import occurrences
from bot.scheduling.sessions import SessionService, slot_of
from bot.storage import Database
from bot.storage.models import Client, TherapySession

# The key of one date of a rule: "<event UID>@<start UTC>".
_OCCURRENCE = re.compile(r"^(?P<series>.+)@\d{8}T\d{6}Z$")
Applied = Literal["added", "already", "moved"]


@dataclass
class ImportReport:
    added: list[int] = field(default_factory=list)
    unchanged: int = 0
    moved: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    ignored: int = 0  # all-day, cancelled in the calendar, or without a start


def moved(session: TherapySession, proposal: Proposal, zone: ZoneInfo) -> bool:
    """Whether the calendar now has this imported session at another time or length (a session
    cancelled here stays cancelled: not "moved")."""
    if session.cancelled_at is not None:
        return False
    if timedelta(minutes=session.duration_minutes) != proposal.length:
        return True
    near = proposal.starts_at - timedelta(minutes=1), proposal.starts_at + timedelta(minutes=1)
    return proposal.starts_at not in occurrences(slot_of(session), zone, *near)


async def booked(db: Database, client_id: int, uid: str) -> TherapySession | None:
    """The client's session imported from calendar event `uid`, if any."""
    async with db.session() as s:
        found = await s.exec(
            select(TherapySession).where(
                TherapySession.client_id == client_id, TherapySession.external_uid == uid
            )
        )
        return found.first()


async def apply_proposal(
    service: SessionService,
    client: Client,
    proposal: Proposal,
    now: datetime,
    *,
    before: TherapySession | None,
    allow_overlap: bool,
    therapist_id: int | None = None,
    actor: str | None = None,
) -> tuple[Applied, TherapySession]:
    """Book a proposal for `client`, given the session imported before from the same event
    (`before`): unchanged, moved there (the calendar moved it since), or registered. Raises
    what `SessionService` raises (OverlapError when `allow_overlap` is False)."""
    assert client.id is not None
    if before is not None and before.id is not None:
        if not moved(before, proposal, ZoneInfo(client.timezone)):
            return "already", before
        session = await service.move(
            before.id,
            proposal.starts_at,
            now,
            length=proposal.length,
            therapist_id=therapist_id,
            allow_overlap=allow_overlap,
        )
        return "moved", session
    session = await service.register(
        client.id,
        proposal.starts_at,
        now,
        length=proposal.length,
        weekly=proposal.weekly,
        until=proposal.until,
        source="ics",
        external_uid=proposal.uid,
        actor=actor,
        allow_overlap=allow_overlap,
    )
    return "added", session


async def import_ics(
    service: SessionService, client_id: int, data: bytes, now: datetime
) -> ImportReport:
    """Import a calendar's sessions for one client; safe to run again with the same file."""
    async with service.db.session() as s:
        client = await s.get(Client, client_id)
        if client is None:
            raise NotFoundError("client", client_id)
        found = await s.exec(
            select(TherapySession).where(
                TherapySession.client_id == client_id,
                col(TherapySession.external_uid).is_not(None),
            )
        )
        existing = {x.external_uid or "": x for x in found.all()}
    reading = read_calendar(data, ZoneInfo(client.timezone), now)
    _refuse_rules(reading.skipped)
    report = ImportReport(ignored=len(reading.skipped))
    # First what the file no longer has: the weeks of a rule imported one by one before make
    # room for the series that the same rule is read as now.
    report.cancelled = await _cancel_vanished(service, existing, reading.proposals, now)
    for proposal in reading.proposals:
        applied, session = await apply_proposal(
            service, client, proposal, now, before=existing.get(proposal.uid), allow_overlap=True
        )
        assert session.id is not None
        if applied == "added":
            report.added.append(session.id)
        elif applied == "moved":
            report.moved.append(session.id)
        else:
            report.unchanged += 1
    return report


def _refuse_rules(skipped: list[tuple[str, str]]) -> None:
    """Refuse the file if the reader skipped an event for its repeat rule or for having no UID:
    the command has no preview that would show the therapist what was left out."""
    for summary, why in skipped:
        if why in (TOO_OFTEN, MORE_THAN_DAILY):
            raise CalendarFileError(
                f"The event {summary!r} repeats too often to import. "
                "Remove it from the calendar or export a shorter period, then import again."
            )
        if why.startswith(NO_UID):
            raise CalendarFileError(
                f"The event {summary!r} {why}. Give it a UID line, or export the calendar again "
                "from your calendar app (it gives every event one), then import again."
            )
        if why == UNREADABLE_RULE:
            raise CalendarFileError(
                f"The repeat rule of the event {summary!r} cannot be read. "
                "Export the calendar again as .ics, then import again."
            )


def _series_of(uid: str) -> str:
    match = _OCCURRENCE.match(uid)
    return match.group("series") if match else uid


async def _cancel_vanished(
    service: SessionService,
    existing: dict[str, TherapySession],
    proposals: list[Proposal],
    now: datetime,
) -> list[int]:
    """Coming occurrences, inside the window, of the file's events that the file no longer has."""
    keys = {p.uid for p in proposals}
    events = {_series_of(p.uid) for p in proposals}
    gone = [
        x
        for uid, x in existing.items()
        if uid not in keys
        and _OCCURRENCE.match(uid)
        and _series_of(uid) in events
        and x.cancelled_at is None
        and now < x.starts_at <= now + AHEAD
    ]
    for session in gone:
        assert session.id is not None
        await service.cancel(session.id, now)
    return [x.id for x in gone if x.id is not None]
