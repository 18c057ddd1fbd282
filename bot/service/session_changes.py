"""/sessions NAME: a client's coming sessions, and moving or cancelling one of them or a series.

    /sessions Sam        -> each series with its next occurrences, each one-off session; under
                            them a button to move or cancel each occurrence, and the series'
    [Move Tue 1 Dec 15:00] [Cancel Tue 1 Dec]      own "Move the series" / "Cancel the series"
    Move      -> "Send the new day and time": the therapist types `thu 16:30` (read like /session,
                 in the therapist's zone); a bad answer is asked again, /sessions starts over
    Cancel    -> "Cancel ...? [Yes, cancel it] [No, keep it]"
    A booking or a move that meets another session of the client or of the therapist asks
    "This overlaps ... Book anyway?" [Yes, book anyway] [No] first.

Every change goes through `SessionService` (audited there, follow-ups re-planned there). Buttons
carry ids and UTC times (`sx:co:12:202612011400`); a button tapped after its session changed gets a
short answer, never a crash.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.dialogue.contracts import Button, Keyboard
from bot.scheduling.overlaps import Clash
from bot.scheduling.planner import occurrences, regular_occurrences
from bot.scheduling.sessions import (
    HeldOccurrenceError,
    OverlapError,
    SessionError,
    SessionService,
    StaleOccurrenceError,
    from_iso,
    iso,
    running_series,
    slot_of,
)
from bot.service.alerts import therapist_zone
from bot.service.audit import audit, therapist_actor
from bot.service.identity import clients_of, find_client_of
from bot.service.names import client_title, distinct_name
from bot.service.outgoing import Batch
from bot.service.ports import Incoming
from bot.service.timewords import TimeWordsError, read_day_and_time
from bot.storage.models import Client, Therapist, TherapySession

AHEAD = timedelta(weeks=8)  # how far /sessions looks for coming occurrences
NEXT_SHOWN = 3  # occurrences listed (with buttons) per weekly series
AWAIT_FOR = timedelta(hours=1)  # how long a "send the new time" question stays open
MOVE = "sessions.move"  # the kind of typed answer awaited after "Move"
STAMP = "%Y%m%d%H%M"  # a UTC minute in callback data: 12 characters


def stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime(STAMP)


def unstamp(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def when(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


async def pick_client(
    s: AsyncSession, batch: Batch, therapist: Therapist, chat: int, question: str, tap: str
) -> None:
    """Ask which client a command is about: a button each, whose data is `tap:CLIENT_ID` (or
    say how to invite one, when there is none yet)."""
    clients = await clients_of(s, therapist)
    if not clients:
        batch.say(chat, "No clients yet. /invite makes an invite link.")
        return
    rows = tuple((Button(distinct_name(c, clients), f"{tap}:{c.id}"),) for c in clients)
    batch.say(chat, question, rows)


class SessionChanges:
    """The /sessions command, its buttons and the typed new time."""

    def __init__(self, sessions: SessionService) -> None:
        self.sessions = sessions

    # ---- the list --------------------------------------------------------------------------------
    async def list_command(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        name = incoming.text.strip()
        chat = incoming.chat_id
        if not name:
            await pick_client(s, batch, therapist, chat, "Whose sessions?", "sx:l")
            return
        await self.show(s, batch, therapist, await find_client_of(s, therapist, name), chat, now)

    async def show(
        self,
        s: AsyncSession,
        batch: Batch,
        therapist: Therapist,
        client: Client,
        chat: int,
        now: datetime,
    ) -> None:
        """The client's coming sessions in the therapist's zone, with a button per change."""
        zone = therapist_zone(therapist, client)
        own_zone = ZoneInfo(client.timezone)
        name = await client_title(s, client)
        ref = command_ref(name, client)
        audit(s, now, therapist_actor(therapist), "sessions.read", client=client)
        rows = (
            await s.exec(
                select(TherapySession)
                .where(
                    TherapySession.client_id == client.id,
                    col(TherapySession.cancelled_at).is_(None),
                )
                .order_by(col(TherapySession.starts_at))
            )
        ).all()
        lines = [f"<b>{name}'s sessions</b>"]
        buttons: list[tuple[Button, ...]] = []
        for row in rows:
            slot = slot_of(row)
            coming = occurrences(slot, own_zone, now, now + AHEAD)
            if not coming:
                continue
            length = f"{row.duration_minutes} min"
            if row.weekly:
                regular = regular_occurrences(slot, own_zone, now, now + AHEAD)
                first = (regular or coming)[0].astimezone(zone)
                lines.append(f"• Every {first:%a %H:%M} ({length})")
                for start in coming[:NEXT_SHOWN]:
                    lines.append(f"   {when(start, zone)}{_moved_note(slot, start, zone)}")
                    buttons.append(_occurrence_buttons(row, start, zone))
                lines.extend(_cancelled_notes(slot, own_zone, now, zone))
                buttons.append(
                    (
                        Button("Move the series", f"sx:ms:{row.id}"),
                        Button("Cancel the series", f"sx:cs:{row.id}"),
                    )
                )
            else:
                lines.append(f"• {when(coming[0], zone)} ({length}), once")
                buttons.append(_occurrence_buttons(row, coming[0], zone))
        if len(lines) == 1:
            batch.say(
                chat,
                f"No coming sessions with {name}. /session {ref} tue 15:00 weekly adds one.",
            )
            return
        lines.append(f"<i>Times in {zone.key}.</i>")
        batch.say(chat, "\n".join(lines), tuple(buttons))

    # ---- buttons ---------------------------------------------------------------------------------
    async def tap(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        parts = (incoming.data or "").split(":")
        action = parts[1] if len(parts) > 1 else ""
        chat = incoming.chat_id
        if action == "no":
            batch.say(chat, "Kept as it was.")
            return
        if action == "l":
            client = await _own_client(s, therapist, parts[2] if len(parts) > 2 else "")
            if client is None:
                batch.say(chat, "That client is not one of yours any more.")
                return
            await self.show(s, batch, therapist, client, chat, now)
            return
        if action == "ay":
            await self._book_anyway(s, batch, chat, therapist, parts, now)
            return
        found = await _own_session(s, therapist, parts[2] if len(parts) > 2 else "")
        if found is None:
            batch.say(chat, "That session is not among your clients' sessions any more.")
            return
        session, client = found
        name = await client_title(s, client)
        ref = command_ref(name, client)
        at = unstamp(parts[3]) if len(parts) > 3 else None
        try:
            if action in ("co", "cy", "mo", "my") and at is None:
                return  # a malformed button: nothing to do
            await self._act(s, batch, therapist, incoming, now, session, client, action, at)
        except HeldOccurrenceError as exc:
            batch.say(chat, _held_text(name, exc, therapist_zone(therapist, client), ref))
        except StaleOccurrenceError:
            batch.say(
                chat,
                f"That session was already cancelled or moved. /sessions {ref}",
            )
        except OverlapError as exc:
            batch.say(chat, await _clash_text(s, therapist, client, exc.clashes))
        except SessionError:
            batch.say(
                chat,
                f"That series was already moved or cancelled. /sessions {ref}",
            )

    async def _act(
        self,
        s: AsyncSession,
        batch: Batch,
        therapist: Therapist,
        incoming: Incoming,
        now: datetime,
        session: TherapySession,
        client: Client,
        action: str,
        at: datetime | None,
    ) -> None:
        chat = incoming.chat_id
        zone = therapist_zone(therapist, client)
        name = await client_title(s, client)
        ref = command_ref(name, client)
        sid = session.id
        assert sid is not None
        parts = (incoming.data or "").split(":")
        if action == "co" and at is not None:
            _require_occurrence(session, client, at, now)
            only = " (only this one; the series goes on)" if session.weekly else ""
            batch.say(
                chat,
                f"Cancel {name}'s session on {when(at, zone)} {zone.key}{only}? "
                "Its check-ins are dropped.",
                (
                    (
                        Button("Yes, cancel it", f"sx:cy:{sid}:{stamp(at)}"),
                        Button("No, keep it", "sx:no"),
                    ),
                ),
            )
        elif action == "cy" and at is not None:
            await s.commit()  # the session service writes in its own transaction
            await self.sessions.cancel_occurrence(
                sid, at, now, therapist_id=therapist.id, source="telegram"
            )
            batch.say(
                chat,
                f"Cancelled: {name}'s session on {when(at, zone)} {zone.key}. Nothing will be "
                f"sent for it. /upcoming {ref} shows what is still planned.",
            )
        elif action == "cs":
            if not running_series(session, ZoneInfo(client.timezone), now):
                raise SessionError("not a running series")
            batch.say(
                chat,
                f"Cancel {name}'s weekly series? No sessions from now on; the ones already held "
                "stay in the summary.",
                (
                    (
                        Button("Yes, cancel the series", f"sx:cz:{sid}"),
                        Button("No, keep it", "sx:no"),
                    ),
                ),
            )
        elif action == "cz":
            await s.commit()
            await self.sessions.cancel_series(
                sid, now, therapist_id=therapist.id, source="telegram"
            )
            batch.say(
                chat, f"Cancelled: {name}'s weekly series. No more check-ins are planned for it."
            )
        elif action in ("mo", "ms"):
            if action == "mo" and at is not None:
                _require_occurrence(session, client, at, now)
                what = f"{name}'s session on {when(at, zone)}"
                example = "thu 16:30, tomorrow 9:00 or 2026-12-03 16:30"
            else:
                if not running_series(session, ZoneInfo(client.timezone), now):
                    raise SessionError("not a running series")
                what = f"{name}'s weekly series (from the next session on)"
                example = "wed 16:00 (the first one is the next Wednesday)"
            therapist.awaiting = {
                "kind": MOVE,
                "session": sid,
                "occurrence": iso(at) if action == "mo" and at is not None else None,
                "until": iso(now + AWAIT_FOR),
            }
            s.add(therapist)
            batch.say(
                chat,
                f"Send the new day and time for {what}, like {example}. Times in {zone.key}. "
                f"/sessions {ref} starts over.",
            )
        elif action == "my" and at is not None and len(parts) > 4:
            new = unstamp(parts[4])
            if new is None:
                return
            await s.commit()
            await self._move(batch, chat, therapist, client, sid, at, new, now, name, zone, True)
        elif action == "sy" and len(parts) > 3:
            new = unstamp(parts[3])
            if new is None:
                return
            await s.commit()
            await self._move(batch, chat, therapist, client, sid, None, new, now, name, zone, True)

    # ---- the typed new time ----------------------------------------------------------------------
    async def typed_time(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        """The answer to "Send the new day and time": move, ask again, or ask about an overlap."""
        waiting: dict[str, Any] = therapist.awaiting or {}
        chat = incoming.chat_id
        found = await _own_session(s, therapist, str(waiting.get("session", "")))
        if found is None:
            therapist.awaiting = None
            s.add(therapist)
            batch.say(chat, "That session is not among your clients' sessions any more.")
            return
        session, client = found
        zone = therapist_zone(therapist, client)
        name = await client_title(s, client)
        ref = command_ref(name, client)
        occurrence = from_iso(waiting["occurrence"]) if waiting.get("occurrence") else None
        try:
            new = read_day_and_time(incoming.text, now, zone, occurrence)
        except TimeWordsError as exc:
            batch.say(
                chat,
                f"{html.escape(str(exc))}. Send a day and a time like thu 16:30 or "
                f"2026-12-03 16:30 ({zone.key}), or /sessions {ref} to start over.",
            )
            return
        if new <= now:
            batch.say(
                chat, f"{when(new, zone)} has passed. Send a later day and time ({zone.key})."
            )
            return
        therapist.awaiting = None
        s.add(therapist)
        await s.commit()  # the session service writes in its own transaction
        assert session.id is not None
        try:
            await self._move(
                batch, chat, therapist, client, session.id, occurrence, new, now, name, zone, False
            )
        except HeldOccurrenceError as exc:
            batch.say(chat, _held_text(name, exc, zone, ref))
        except StaleOccurrenceError:
            batch.say(
                chat,
                f"That session was already cancelled or moved. /sessions {ref}",
            )
        except SessionError:
            batch.say(
                chat,
                f"That series was already moved or cancelled. /sessions {ref}",
            )

    async def _move(
        self,
        batch: Batch,
        chat: int,
        therapist: Therapist,
        client: Client,
        session_id: int,
        occurrence: datetime | None,
        new: datetime,
        now: datetime,
        name: str,
        zone: ZoneInfo,
        anyway: bool,
    ) -> None:
        """Move one occurrence (or, with no occurrence, the series from `new` on), unless it
        meets another session and the therapist has not said "book anyway"."""
        ref = command_ref(name, client)
        try:
            if occurrence is not None:
                await self.sessions.move_occurrence(
                    session_id,
                    occurrence,
                    new,
                    now,
                    therapist_id=therapist.id,
                    source="telegram",
                    allow_overlap=anyway,
                )
                batch.say(
                    chat,
                    f"Moved: {name}'s session of {when(occurrence, zone)} is now on "
                    f"{when(new, zone)} {zone.key}. Its check-ins follow the new time; "
                    f"/upcoming {ref} shows them.",
                )
            else:
                await self.sessions.move_series(
                    session_id,
                    new,
                    now,
                    therapist_id=therapist.id,
                    source="telegram",
                    allow_overlap=anyway,
                )
                local = new.astimezone(zone)
                batch.say(
                    chat,
                    f"Moved: {name}'s sessions are now every {local:%a %H:%M} {zone.key}, the "
                    f"first on {when(new, zone)}. /upcoming {ref} shows the check-ins.",
                )
        except OverlapError as exc:
            yes = (
                f"sx:my:{session_id}:{stamp(occurrence)}:{stamp(new)}"
                if occurrence is not None
                else f"sx:sy:{session_id}:{stamp(new)}"
            )
            async with self.sessions.db.session() as s:
                text = await _clash_text(s, therapist, client, exc.clashes)
            batch.say(
                chat,
                f"{text} Move anyway?",
                ((Button("Yes, move anyway", yes), Button("No", "sx:no")),),
            )

    # ---- a booking that overlaps, booked anyway --------------------------------------------------
    async def _book_anyway(
        self,
        s: AsyncSession,
        batch: Batch,
        chat: int,
        therapist: Therapist,
        parts: list[str],
        now: datetime,
    ) -> None:
        client = await _own_client(s, therapist, parts[2] if len(parts) > 2 else "")
        starts = unstamp(parts[3]) if len(parts) > 3 else None
        if client is None or starts is None or len(parts) < 6 or not parts[5].isdigit():
            return
        weekly = parts[4] == "1"
        length = timedelta(minutes=int(parts[5]))
        assert client.id is not None
        existing = (
            await s.exec(
                select(TherapySession).where(
                    TherapySession.client_id == client.id,
                    TherapySession.starts_at == starts,
                    TherapySession.weekly == weekly,
                    col(TherapySession.cancelled_at).is_(None),
                )
            )
        ).first()
        if existing is not None:  # the button was tapped twice
            batch.say(chat, booked_text(therapist, client, existing, "", True))
            return
        await s.commit()
        session = await self.sessions.register(
            client.id, starts, now, length=length, weekly=weekly, source="telegram"
        )
        policy = await self.sessions.policy_for_client(client.id)
        batch.say(
            chat, booked_text(therapist, client, session, policy.describe()["offsets"], False)
        )


def command_ref(title: str, client: Client) -> str:
    """How to name the client in a command to type: the name, or the Telegram id when the name
    is shared (the title then reads "Sam · id 1001", which no command takes)."""
    return str(client.telegram_id) if " · id " in title else title


def booked_text(
    therapist: Therapist, client: Client, session: TherapySession, offsets: str, already: bool
) -> str:
    zone = therapist_zone(therapist, client)
    repeat = "every week from " if session.weekly else ""
    name = html.escape(distinct_name(client, [client]))
    head = "Already booked: " if already else "Session with "
    follow = f" Follow-ups {offsets} after it. /upcoming shows them." if offsets else ""
    theirs = ""
    if zone.key != client.timezone:  # /session reads the time typed in the client's zone
        local = session.starts_at.astimezone(ZoneInfo(client.timezone))
        theirs = f", {local:%H:%M} {client.timezone} for {name}"
    return (
        f"{head}{name}: {repeat}{when(session.starts_at, zone)} {zone.key}{theirs} "
        f"({session.duration_minutes} min).{follow}"
    )


async def overlap_question(
    s: AsyncSession,
    therapist: Therapist,
    client: Client,
    clashes: list[Clash],
    starts: datetime,
    weekly: bool,
    minutes: int,
) -> tuple[str, Keyboard]:
    """ "This overlaps ... Book anyway?" with its two buttons, for a booking not yet made."""
    text = await _clash_text(s, therapist, client, clashes)
    yes = f"sx:ay:{client.id}:{stamp(starts)}:{int(weekly)}:{minutes}"
    return f"{text} Book anyway?", ((Button("Yes, book anyway", yes), Button("No", "sx:no")),)


async def _clash_text(
    s: AsyncSession, therapist: Therapist, client: Client, clashes: list[Clash]
) -> str:
    everyone = await clients_of(s, therapist)
    by_id = {c.id: c for c in everyone}
    zone = therapist_zone(therapist, client)
    parts = []
    for clash in clashes[:3]:
        other = by_id.get(clash.client_id)
        if clash.client_id == client.id:
            whose = f"{html.escape(distinct_name(client, everyone))}'s other session"
        elif other is not None:
            whose = f"{html.escape(distinct_name(other, everyone))}'s session"
        else:
            whose = "another session"
        end = (clash.starts_at + clash.length).astimezone(zone)
        weekly = ", weekly" if clash.weekly else ""
        parts.append(f"{whose} at {when(clash.starts_at, zone)}–{end:%H:%M}{weekly}")
    more = f" and {len(clashes) - 3} more" if len(clashes) > 3 else ""
    return f"This overlaps {'; '.join(parts)}{more} ({zone.key})."


def _occurrence_buttons(row: TherapySession, start: datetime, zone: ZoneInfo) -> tuple[Button, ...]:
    local = start.astimezone(zone)
    return (
        Button(f"Move {local:%a} {local.day} {local:%b %H:%M}", f"sx:mo:{row.id}:{stamp(start)}"),
        Button(f"Cancel {local:%a} {local.day} {local:%b}", f"sx:co:{row.id}:{stamp(start)}"),
    )


def _moved_note(slot: Any, start: datetime, zone: ZoneInfo) -> str:
    for regular, new in slot.changes:
        if new == start:
            return f" (moved from {when(regular, zone)})"
    return ""


def _cancelled_notes(slot: Any, own_zone: ZoneInfo, now: datetime, zone: ZoneInfo) -> list[str]:
    regular = set(regular_occurrences(slot, own_zone, now, now + AHEAD))
    return [
        f"   {when(r, zone)}: cancelled" for r, new in slot.changes if new is None and r in regular
    ]


def _require_occurrence(
    session: TherapySession, client: Client, at: datetime, now: datetime
) -> None:
    zone = ZoneInfo(client.timezone)
    if session.cancelled_at is not None or at not in occurrences(slot_of(session), zone, at, at):
        raise StaleOccurrenceError("gone")
    if at <= now:
        raise HeldOccurrenceError(session.id, at)


def _held_text(name: str, exc: HeldOccurrenceError, zone: ZoneInfo, ref: str) -> str:
    return (
        f"{name}'s session on {when(exc.occurrence, zone)} {zone.key} already took place; "
        f"it stays in the summary as it was. /sessions {ref}"
    )


async def _own_client(s: AsyncSession, therapist: Therapist, raw: str) -> Client | None:
    if not raw.isdigit():
        return None
    client = await s.get(Client, int(raw))
    return client if client is not None and client.therapist_id == therapist.id else None


async def _own_session(
    s: AsyncSession, therapist: Therapist, raw: str
) -> tuple[TherapySession, Client] | None:
    """A session of one of this therapist's clients (never another therapist's)."""
    if not raw.isdigit():
        return None
    session = await s.get(TherapySession, int(raw))
    if session is None:
        return None
    client = await s.get(Client, session.client_id)
    if client is None or client.therapist_id != therapist.id:
        return None
    return session, client
