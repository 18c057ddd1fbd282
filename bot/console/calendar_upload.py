"""`.ics` upload in the console: read the therapist's calendar, show what it found, create the
sessions only when the therapist confirms.

Nothing is stored between the preview and the confirmation: the preview's form carries the
proposals (times, lengths, series, calendar UIDs; no titles) with an HMAC under the session's
secret, so the confirmation creates exactly what was shown, and any replica can take it. The
therapist's choice of client per row is checked against their own clients again on confirm.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.console.tokens import sign_form, signature_ok
from bot.console.web import COOKIE, console_of, render, therapist_of
from bot.errors import CheckinError
from bot.scheduling.calendar_read import (
    MAX_BYTES,
    CalendarFileError,
    CalendarReading,
    Proposal,
    read_calendar,
)
from bot.scheduling.ics import apply_proposal, booked, moved
from bot.scheduling.sessions import OverlapError
from bot.service.audit import audit, therapist_actor
from bot.service.identity import clients_of
from bot.service.names import clients_named_in, distinct_name
from bot.storage.models import Client, Therapist, TherapySession

PURPOSE = "ics-import"


@dataclass(frozen=True)
class Row:
    """One proposal as the preview shows it."""

    index: int
    proposal: Proposal
    matched: Client | None
    candidates: list[Client]  # several clients fit the title: pick one
    already: bool  # the matched client has this calendar event already, at this time
    was: datetime | None = None  # imported before at another time (moved in the calendar)


def therapist_calendar_zone(therapist: Therapist) -> ZoneInfo:
    try:
        return ZoneInfo(therapist.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


async def upload(request: web.Request) -> web.StreamResponse:
    """The uploaded file, read and shown as a preview with a confirm form (nothing saved yet)."""
    console = console_of(request)
    therapist = therapist_of(request).therapist
    now = console.now()
    form = await request.post()
    field = form.get("calendar")
    if not isinstance(field, web.FileField):
        return _error(request, "Choose a calendar file (.ics) to upload.")
    data = field.file.read(MAX_BYTES + 1)
    if not data:
        return _error(request, "The file is empty. Export your calendar as .ics and try again.")
    zone = therapist_calendar_zone(therapist)
    try:
        # In a thread: a large file takes a moment to parse, and the bot shares this loop.
        reading = await asyncio.to_thread(read_calendar, data, zone, now)
    except CalendarFileError as exc:
        async with console.db.session() as s:
            audit(s, now, therapist_actor(therapist), "console.import.refused")
        return _error(request, str(exc))
    async with console.db.session() as s:
        clients = await clients_of(s, therapist)
        rows = await _rows(s, reading, clients)
        audit(
            s,
            now,
            therapist_actor(therapist),
            "console.import.preview",
            count=len(reading.proposals),
        )
    payload = _encode(reading.proposals)
    return render(
        request,
        "import_preview.html",
        rows=rows,
        reading=reading,
        clients=clients,
        names={c.id: distinct_name(c, clients) for c in clients},
        zone=ZoneInfo(reading.zone),
        filename=(field.filename or "calendar.ics")[:80],
        payload=payload,
        signature=sign_form(request.cookies.get(COOKIE, ""), PURPOSE, payload),
    )


async def _rows(s: AsyncSession, reading: CalendarReading, clients: list[Client]) -> list[Row]:
    ids = [c.id for c in clients if c.id is not None]
    booked: dict[tuple[int, str], TherapySession] = {}
    if ids:
        found = await s.exec(
            select(TherapySession).where(
                col(TherapySession.client_id).in_(ids),
                col(TherapySession.external_uid).is_not(None),
            )
        )
        booked = {(x.client_id, x.external_uid or ""): x for x in found.all()}
    rows = []
    for n, proposal in enumerate(reading.proposals):
        named = clients_named_in(clients, proposal.summary)
        matched = named[0] if len(named) == 1 else None
        before = None
        already = False
        if matched is not None and matched.id is not None:
            before = booked.get((matched.id, proposal.uid))
            if before is not None:
                already = not moved(before, proposal, ZoneInfo(matched.timezone))
        was = before.starts_at if before is not None and not already else None
        rows.append(Row(n, proposal, matched, named if len(named) > 1 else [], already, was))
    return rows


def _encode(proposals: list[Proposal]) -> str:
    return json.dumps(
        [
            [
                p.uid,
                p.starts_at.isoformat(),
                int(p.length.total_seconds() // 60),
                p.weekly,
                p.until.isoformat() if p.until else None,
            ]
            for p in proposals
        ],
        separators=(",", ":"),
    )


def _decode(text: str) -> list[Proposal]:
    proposals = []
    for uid, start, minutes, weekly, until in json.loads(text):
        proposals.append(
            Proposal(
                uid=str(uid),
                summary="",
                starts_at=datetime.fromisoformat(start),
                length=timedelta(minutes=int(minutes)),
                weekly=bool(weekly),
                until=datetime.fromisoformat(until) if until else None,
            )
        )
    return proposals


async def confirm(request: web.Request) -> web.StreamResponse:
    """Create the sessions the therapist kept, each for the client chosen for it."""
    console = console_of(request)
    therapist = therapist_of(request).therapist
    now = console.now()
    form = await request.post()
    payload = str(form.get("payload", ""))
    if not signature_ok(request.cookies.get(COOKIE, ""), PURPOSE, payload, form.get("sig")):
        return _error(
            request, "This preview has expired (you signed in again). Upload the file again."
        )
    try:
        proposals = _decode(payload)
    except (ValueError, TypeError, KeyError):
        return _error(request, "This preview cannot be read. Upload the file again.")
    async with console.db.session() as s:
        clients = {c.id: c for c in await clients_of(s, therapist)}
    chosen: list[tuple[Client, Proposal]] = []
    for n, proposal in enumerate(proposals):
        choice = str(form.get(f"client-{n}", "skip"))
        if choice in ("skip", ""):
            continue
        client = clients.get(int(choice)) if choice.isdigit() and len(choice) < 12 else None
        if client is None:  # another therapist's client, or made up: change nothing at all
            raise web.HTTPNotFound(text="no such client among yours")
        chosen.append((client, proposal))
    added: list[tuple[Client, Proposal]] = []
    already: list[tuple[Client, Proposal]] = []
    shifted: list[tuple[Client, Proposal]] = []
    skipped = len(proposals) - len(chosen)
    errors: list[str] = []
    for client, proposal in chosen:
        assert client.id is not None
        name = distinct_name(client, list(clients.values()))
        before = await booked(console.db, client.id, proposal.uid)
        try:
            applied, _ = await apply_proposal(
                console.sessions,
                client,
                proposal,
                now,
                before=before,
                therapist_id=therapist.id,
                actor=therapist_actor(therapist),
                allow_overlap=False,  # a session booked by hand at that time: not twice
            )
        except OverlapError as exc:
            if before is not None:  # moving it in the calendar met another session
                errors.append(f"{name}: {exc}")
                continue
            when = proposal.starts_at.astimezone(ZoneInfo(client.timezone))
            errors.append(
                f"{name}, {when:%a %d %b %H:%M}: "
                "overlaps a session already booked, so it was not imported. Move or cancel one "
                "of them on the client's sessions page."
            )
            continue
        except CheckinError as exc:
            errors.append(f"{name}: {exc}")
            continue
        {"added": added, "already": already, "moved": shifted}[applied].append((client, proposal))
    async with console.db.session() as s:
        audit(s, now, therapist_actor(therapist), "console.import.confirm", count=len(added))
    everyone = list(clients.values())
    return render(
        request,
        "import_done.html",
        added=added,
        already=already,
        shifted=shifted,
        skipped=skipped,
        errors=errors,
        name_of=lambda c: distinct_name(c, everyone),
        zone_of=lambda c: ZoneInfo(c.timezone),
    )


def _error(request: web.Request, message: str) -> web.StreamResponse:
    return render(
        request,
        "message.html",
        status=400,
        title="Calendar upload",
        message=message,
        back="/timing#import",
        back_text="Back to the upload",
    )
