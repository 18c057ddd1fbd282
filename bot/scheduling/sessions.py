"""Registering, cancelling and moving sessions, and keeping each client's follow-ups planned.

Every change re-plans the client's follow-ups as a whole: a new session can cut short the
follow-ups of the one before it, and a cancelled one takes its own with it. Re-planning writes rows
by their unique key (insert if absent, refresh if still pending) and cancels pending rows of the
client's sessions that the new plan no longer contains, so nothing is ever planned twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import FollowUpConfig
from bot.errors import CheckinError, NotFoundError
from bot.measures.schedule import MeasurePlan
from bot.scheduling.measures import plan_in_force, replan_measures, set_schedule
from bot.scheduling.overlaps import Clash, find_clashes
from bot.scheduling.planner import (
    DAY,
    HORIZON,
    PlannedItem,
    SessionSlot,
    is_regular,
    occurrences,
    plan_followups,
)
from bot.scheduling.policy import Policy
from bot.scheduling.store import cancel_pending, upsert_items
from bot.scheduling.timing import TimingChange, load_policy, set_timing
from bot.service.audit import actor_for, audit
from bot.service.names import client_name
from bot.storage import Database
from bot.storage.models import Client, MeasureSchedule, TherapySession

# A client saying "I just had a session" within this long of a registered one means that one.
RECENT_SESSION = timedelta(hours=6)


class SessionError(CheckinError, ValueError):
    """A session cannot be registered or changed as asked."""


@dataclass(frozen=True)
class ReplanReport:
    written: int
    cancelled: int


class SessionRecord(Protocol):
    """What a session's slot is made of: a `TherapySession`, or a row of its columns."""

    id: int | None
    client_id: int
    starts_at: datetime
    duration_minutes: int
    weekly: bool
    until: datetime | None
    cancelled_at: datetime | None
    changes: dict[str, str | None] | None


def slot_of(session: SessionRecord) -> SessionSlot:
    assert session.id is not None
    changes = tuple(
        (from_iso(regular), from_iso(new) if new else None)
        for regular, new in (session.changes or {}).items()
    )
    return SessionSlot(
        id=session.id,
        starts_at=session.starts_at,
        length=timedelta(minutes=session.duration_minutes),
        weekly=session.weekly,
        until=session.until,
        client_id=session.client_id,
        changes=changes if session.weekly else (),
    )


def iso(instant: datetime) -> str:
    """An instant as the ISO UTC text that keys a changed occurrence ("2026-12-08T14:00:00Z")."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass(frozen=True)
class ClashOwner:
    """Whose the clashing session is, read while the database session was open."""

    name: str
    telegram_id: int
    timezone: str


class StaleOccurrenceError(SessionError):
    """The occurrence asked for was cancelled or moved meanwhile (a tap on an old button)."""


class HeldOccurrenceError(SessionError):
    """The occurrence asked for has already taken place: it is history, never cancelled or moved
    (a button tapped after the session, or a command naming a past week)."""

    def __init__(self, session_id: int | None, occurrence: datetime) -> None:
        self.occurrence = occurrence
        super().__init__(
            f"Session {session_id} took place at {iso(occurrence)}; it stays in the history"
        )


class OverlapError(SessionError):
    """The booking overlaps other sessions; `clashes` names them (book anyway to override)."""

    def __init__(self, clashes: list[Clash], clients: dict[int, ClashOwner]) -> None:
        self.clashes = clashes
        self.clients = clients
        first = clashes[0]
        super().__init__(
            f"This overlaps {len(clashes)} other session(s), first session {first.session_id} "
            f"at {iso(first.starts_at)}"
        )


class SessionService:
    """Sessions and timing on one database, with the clinic's follow-up defaults."""

    def __init__(self, db: Database, clinic: FollowUpConfig) -> None:
        self.db = db
        self.clinic = clinic

    # ---- sessions --------------------------------------------------------------------------------
    async def register(
        self,
        client_id: int,
        starts_at: datetime,
        now: datetime,
        *,
        length: timedelta | None = None,
        weekly: bool = False,
        until: datetime | None = None,
        source: str = "cli",
        external_uid: str | None = None,
        allow_overlap: bool = True,
        actor: str | None = None,
    ) -> TherapySession:
        """Register a one-off or weekly session and plan its follow-ups (with `allow_overlap`
        False, a double booking raises OverlapError and nothing is written; `actor`: who, for
        the audit trail, when the source alone does not say: a therapist's calendar upload)."""
        if starts_at.tzinfo is None:
            raise SessionError(f"Session start {starts_at.isoformat()} has no time zone")
        minutes = int((length or self.clinic.session_length).total_seconds() // 60)
        if not 10 <= minutes <= 8 * 60:
            raise SessionError(
                f"Session length of {minutes} minutes is out of range; use 10m to 8h"
            )
        async with self.db.session() as s:
            client = await _client(s, client_id)
            if not allow_overlap:
                candidate = SessionSlot(
                    0, starts_at, timedelta(minutes=minutes), weekly, until, client_id
                )
                await self._refuse_clashes(s, client, candidate, now, {})
            session = TherapySession(
                client_id=client_id,
                therapist_id=client.therapist_id,
                starts_at=starts_at,
                duration_minutes=minutes,
                weekly=weekly,
                until=until,
                source=source,
                external_uid=external_uid,
                created_at=now,
            )
            s.add(session)
            await s.flush()
            actor = actor or await actor_for(s, client.therapist_id, source)
            audit(s, now, actor, "session.add", client=client, target=f"session:{session.id}")
            await self._replan(s, client, now)
            return session

    async def cancel(
        self, session_id: int, now: datetime, therapist_id: int | None = None
    ) -> TherapySession:
        """Cancel a session; its pending follow-ups go with it. A weekly series that has already
        met ends now instead, so the weeks held stay in the summary's history; one that has ended,
        and a one-off session already held, have nothing left to cancel (SessionError). The check
        and the change are one transaction on the locked row: a change made meanwhile is seen."""
        async with self.db.session() as s:
            session, client = await _locked(s, session_id, therapist_id)
            zone = ZoneInfo(client.timezone)
            if _under_way(session, zone, now):
                return await self._cancel_series(s, session, client, now, therapist_id, "cli")
            _refuse_ended_series(session, zone, now)
            held = _held(session, zone, now)
            if held and session.cancelled_at is None:  # a one-off that has taken place
                raise HeldOccurrenceError(session.id, held[-1])
            session.cancelled_at = now
            await self._record(s, session, client, now, "session.cancel", therapist_id)
            return session

    async def move(
        self,
        session_id: int,
        starts_at: datetime,
        now: datetime,
        *,
        length: timedelta | None = None,
        therapist_id: int | None = None,
        allow_overlap: bool = True,
    ) -> TherapySession:
        """Move a session to a new start (weekly: the whole series); re-plan follow-ups. A weekly
        series that has already met carries on from `starts_at` as a new series, so the weeks
        held keep their dates in the history (checked and done in one transaction, as `cancel`);
        one that has ended is refused, for moving it would move the weeks held too."""
        async with self.db.session() as s:
            session, client = await _locked(s, session_id, therapist_id)
            zone = ZoneInfo(client.timezone)
            if _under_way(session, zone, now):
                return await self._move_series(
                    s, session, client, starts_at, now, therapist_id, "cli", allow_overlap, length
                )
            _refuse_ended_series(session, zone, now)
            if session.cancelled_at is not None:
                raise SessionError(f"Session {session_id} is cancelled; register a new one instead")
            session.starts_at = starts_at
            if length is not None:
                session.duration_minutes = int(length.total_seconds() // 60)
            if not allow_overlap:
                assert session.id is not None
                candidate = slot_of(session)
                await self._refuse_clashes(s, client, candidate, now, {session.id: None})
            await self._record(s, session, client, now, "session.move", therapist_id)
            return session

    # ---- one occurrence, or the series from now on -----------------------------------------------
    async def cancel_occurrence(
        self,
        session_id: int,
        occurrence: datetime,
        now: datetime,
        *,
        therapist_id: int | None = None,
        source: str = "cli",
    ) -> TherapySession:
        """Cancel one occurrence (of a weekly series, or a one-off session); its planned check-ins
        go with it, the series' other occurrences stay."""
        async with self.db.session() as s:
            session, client, slot = await self._occurrence(
                s, session_id, occurrence, therapist_id, now
            )
            if session.weekly:
                regular = _regular_of(slot, ZoneInfo(client.timezone), occurrence)
                session.changes = {**(session.changes or {}), iso(regular): None}
            else:
                session.cancelled_at = now
            target = f"session:{session.id}:{iso(occurrence)}"
            await self._record(
                s,
                session,
                client,
                now,
                "session.cancel_occurrence",
                therapist_id,
                source,
                target=target,
            )
            return session

    async def move_occurrence(
        self,
        session_id: int,
        occurrence: datetime,
        starts_at: datetime,
        now: datetime,
        *,
        therapist_id: int | None = None,
        source: str = "cli",
        allow_overlap: bool = True,
    ) -> TherapySession:
        """Move one occurrence to `starts_at` (a one-off session: the session); its check-ins are
        planned after the new time, the series' other occurrences stay."""
        if starts_at.tzinfo is None:
            raise SessionError(f"Session start {starts_at.isoformat()} has no time zone")
        async with self.db.session() as s:
            session, client, slot = await self._occurrence(
                s, session_id, occurrence, therapist_id, now
            )
            assert session.id is not None
            candidate = SessionSlot(0, starts_at, slot.length, client_id=client.id)
            if session.weekly:
                regular = _regular_of(slot, ZoneInfo(client.timezone), occurrence)
                changes = {**(session.changes or {}), iso(regular): iso(starts_at)}
                if starts_at == regular:  # moved back where it belongs
                    del changes[iso(regular)]
                without = replace(slot, changes=(*slot.changes, (regular, None)))
                if not allow_overlap:
                    await self._refuse_clashes(s, client, candidate, now, {session.id: without})
                session.changes = changes
            else:
                if not allow_overlap:
                    await self._refuse_clashes(s, client, candidate, now, {session.id: None})
                session.starts_at = starts_at
            target = f"session:{session.id}:{iso(occurrence)}"
            await self._record(
                s,
                session,
                client,
                now,
                "session.move_occurrence",
                therapist_id,
                source,
                target=target,
            )
            return session

    async def move_series(
        self,
        session_id: int,
        first: datetime,
        now: datetime,
        *,
        therapist_id: int | None = None,
        source: str = "cli",
        allow_overlap: bool = True,
        length: timedelta | None = None,
    ) -> TherapySession:
        """A weekly series from now on at a new weekday and time (and `length`, if given),
        starting at `first`; the occurrences already held stay in the history. Returns the
        series now in force."""
        async with self.db.session() as s:
            old, client = await _locked(s, session_id, therapist_id)
            return await self._move_series(
                s, old, client, first, now, therapist_id, source, allow_overlap, length
            )

    async def _move_series(
        self,
        s: AsyncSession,
        old: TherapySession,
        client: Client,
        first: datetime,
        now: datetime,
        therapist_id: int | None,
        source: str,
        allow_overlap: bool,
        length: timedelta | None,
    ) -> TherapySession:
        """`move_series` on a row already read and locked in `s`."""
        zone = ZoneInfo(client.timezone)
        if not running_series(old, zone, now):
            raise SessionError(f"Session {old.id} is not a running weekly series")
        assert old.id is not None
        slot = slot_of(old)
        held = occurrences(slot, zone, slot.starts_at, now)
        ended = replace(slot, until=now) if held else None
        new_length = slot.length if length is None else length
        minutes = int(new_length.total_seconds() // 60)
        candidate = replace(slot, id=0, starts_at=first, changes=(), length=new_length)
        if not allow_overlap:
            await self._refuse_clashes(s, client, candidate, now, {old.id: ended})
        if held:  # end the old series now; the new one carries on from `first`
            old.until = now
            # The calendar event it was imported from now names the series in force, so the
            # next import compares the calendar with that one, not with the ended weeks.
            uid, old.external_uid = old.external_uid, None
            s.add(old)
            await s.flush()  # the event's UID is unique per client: free it first
            series = TherapySession(
                client_id=old.client_id,
                therapist_id=old.therapist_id,
                starts_at=first,
                duration_minutes=minutes,
                weekly=True,
                until=slot.until,
                source=source,
                external_uid=uid,
                created_at=now,
            )
            s.add(series)
        else:  # nothing held yet: the series itself moves
            old.starts_at, old.changes, old.duration_minutes = first, None, minutes
            series = old
        await self._record(s, old, client, now, "session.move_series", therapist_id, source)
        return series

    async def cancel_series(
        self,
        session_id: int,
        now: datetime,
        *,
        therapist_id: int | None = None,
        source: str = "cli",
    ) -> TherapySession:
        """No more occurrences of a series from now on; those already held stay in the history
        (a series that has not begun is cancelled whole)."""
        async with self.db.session() as s:
            session, client = await _locked(s, session_id, therapist_id)
            return await self._cancel_series(s, session, client, now, therapist_id, source)

    async def _cancel_series(
        self,
        s: AsyncSession,
        session: TherapySession,
        client: Client,
        now: datetime,
        therapist_id: int | None,
        source: str,
    ) -> TherapySession:
        """`cancel_series` on a row already read and locked in `s`."""
        zone = ZoneInfo(client.timezone)
        if session.cancelled_at is not None or (
            session.weekly and not running_series(session, zone, now)
        ):
            raise SessionError(f"Session {session.id} is already cancelled or ended")
        if _under_way(session, zone, now):
            session.until = now
        else:
            session.cancelled_at = now
        await self._record(s, session, client, now, "session.cancel", therapist_id, source)
        return session

    async def _occurrence(
        self,
        s: AsyncSession,
        session_id: int,
        occurrence: datetime,
        therapist_id: int | None,
        now: datetime,
    ) -> tuple[TherapySession, Client, SessionSlot]:
        """The session (locked for the change), its client and slot, if `occurrence` is still
        one of its starts and still to come; else StaleOccurrenceError (cancelled or moved
        meanwhile) or HeldOccurrenceError (it has taken place: history stays as it was)."""
        session, client = await _locked(s, session_id, therapist_id)
        slot = slot_of(session)
        zone = ZoneInfo(client.timezone)
        if session.cancelled_at is not None or occurrence not in occurrences(
            slot, zone, occurrence, occurrence
        ):
            raise StaleOccurrenceError(
                f"Session {session_id} has no occurrence at {iso(occurrence)} any more "
                "(cancelled or moved)"
            )
        if occurrence <= now:
            raise HeldOccurrenceError(session_id, occurrence)
        return session, client, slot

    async def _refuse_clashes(
        self,
        s: AsyncSession,
        client: Client,
        candidate: SessionSlot,
        now: datetime,
        replaced: dict[int, SessionSlot | None],
    ) -> None:
        """Raise OverlapError if `candidate` meets another session of the client or of the
        therapist; `replaced` stands in for sessions being changed (None: left out)."""
        rows = (
            await s.exec(
                select(TherapySession, Client)
                .join(Client, col(Client.id) == TherapySession.client_id)
                .where(
                    or_(
                        col(TherapySession.therapist_id) == client.therapist_id,
                        col(TherapySession.client_id) == client.id,
                    ),
                    col(TherapySession.cancelled_at).is_(None),
                )
            )
        ).all()
        others: list[tuple[SessionSlot, ZoneInfo]] = []
        owners: dict[int, ClashOwner] = {}
        for row, owner in rows:
            assert row.id is not None
            assert owner.id is not None
            slot = replaced[row.id] if row.id in replaced else slot_of(row)
            if slot is not None:
                others.append((slot, ZoneInfo(owner.timezone)))
                owners[owner.id] = ClashOwner(client_name(owner), owner.telegram_id, owner.timezone)
        clashes = find_clashes(candidate, ZoneInfo(client.timezone), others, now)
        if clashes:
            raise OverlapError(clashes, owners)

    async def client_aftersession(self, client_id: int, now: datetime) -> TherapySession:
        """A client says they just had a session: use a registered one that just ended, or
        register one ending now (so the follow-ups count from now)."""
        async with self.db.session() as s:
            client = await _client(s, client_id)
            for session in await _active_sessions(s, client_id):
                slot = slot_of(session)
                for start in occurrences(
                    slot, ZoneInfo(client.timezone), now - RECENT_SESSION, now
                ):
                    if start + slot.length <= now + timedelta(minutes=15):
                        return session
        length = self.clinic.session_length
        return await self.register(client_id, now - length, now, length=length, source="client")

    async def list_sessions(
        self, *, client_id: int | None = None, therapist_id: int | None = None
    ) -> list[TherapySession]:
        async with self.db.session() as s:
            query = select(TherapySession).order_by(col(TherapySession.starts_at))
            if client_id is not None:
                query = query.where(TherapySession.client_id == client_id)
            if therapist_id is not None:
                query = query.where(TherapySession.therapist_id == therapist_id)
            return list((await s.exec(query)).all())

    # ---- timing ----------------------------------------------------------------------------------
    async def set_timing(
        self, therapist_id: int, change: TimingChange, now: datetime, client_id: int | None = None
    ) -> Policy:
        """Save a therapist's (or one client's) timing and re-plan the clients it applies to."""
        async with self.db.session() as s:
            await set_timing(s, therapist_id, change, now, client_id)
            client = await _client(s, client_id) if client_id is not None else None
            actor = await actor_for(s, therapist_id)
            audit(s, now, actor, "timing.set", client=client, target=f"therapist_id:{therapist_id}")
        if client_id is not None:
            await self.replan_client(client_id, now)
            return await self.policy_for_client(client_id)
        for client in await self._clients_of(therapist_id):
            assert client.id is not None
            await self.replan_client(client.id, now)
        from bot.scheduling.timing import therapist_policy

        async with self.db.session() as s:
            return await therapist_policy(s, self.clinic, therapist_id)

    async def policy_for_client(self, client_id: int) -> Policy:
        async with self.db.session() as s:
            return await load_policy(s, self.clinic, await _client(s, client_id))

    # ---- measures --------------------------------------------------------------------------------
    async def set_measures(
        self,
        therapist_id: int,
        measures: list[str],
        known: list[str],
        now: datetime,
        *,
        client_id: int | None = None,
        every_weeks: int = 2,
        anchor: str = "day_before_session",
    ) -> MeasurePlan:
        """Save a therapist's default (or one client's) measures and re-plan who it applies to."""
        async with self.db.session() as s:
            client = await _client(s, client_id) if client_id is not None else None
            zone = ZoneInfo(client.timezone) if client else ZoneInfo("UTC")
            plan = await set_schedule(
                s,
                therapist_id=therapist_id,
                client_id=client_id,
                measures=measures,
                known=known,
                every_weeks=every_weeks,
                anchor=anchor,
                today=now.astimezone(zone).date(),
                now=now,
            )
            actor = await actor_for(s, therapist_id)
            audit(
                s, now, actor, "measures.set", client=client, target=f"therapist_id:{therapist_id}"
            )
        targets = (
            [client_id]
            if client_id is not None
            else [c.id for c in await self._clients_of(therapist_id) if c.id is not None]
        )
        for target in targets:
            await self.replan_client(target, now)
        return plan

    async def measures_for_client(self, client_id: int) -> tuple[MeasurePlan | None, str]:
        async with self.db.session() as s:
            return await plan_in_force(s, await _client(s, client_id))

    # ---- planning --------------------------------------------------------------------------------
    async def replan_client(self, client_id: int, now: datetime) -> ReplanReport:
        """Bring the client's planned follow-ups in line with their sessions and policy."""
        async with self.db.session() as s:
            return await self._replan(s, await _client(s, client_id), now)

    async def replan_all(self, now: datetime) -> int:
        """Re-plan every client with sessions or measures (run daily: extends weekly series and
        fixed-day measures past the horizon)."""
        async with self.db.session() as s:
            ids = set((await s.exec(select(TherapySession.client_id))).all())
            scheduled = select(MeasureSchedule.therapist_id)
            found = await s.exec(select(Client.id).where(col(Client.therapist_id).in_(scheduled)))
            ids |= {i for i in found.all() if i is not None}
        for client_id in sorted(ids):
            await self.replan_client(client_id, now)
        return len(ids)

    async def _record(
        self,
        s: AsyncSession,
        row: TherapySession,
        client: Client,
        now: datetime,
        action: str,
        therapist_id: int | None,
        source: str = "cli",
        *,
        target: str | None = None,
    ) -> None:
        """Save a change to `row`: audited as `action` by whoever made it (on `target`, else the
        session), and the client's follow-ups re-planned to match, in the change's transaction."""
        s.add(row)
        await s.flush()
        actor = await actor_for(s, therapist_id, source)
        audit(s, now, actor, action, client=client, target=target or f"session:{row.id}")
        await self._replan(s, client, now)

    async def _replan(self, s: AsyncSession, client: Client, now: datetime) -> ReplanReport:
        assert client.id is not None
        policy = await load_policy(s, self.clinic, client)
        tz = ZoneInfo(client.timezone)
        all_sessions = await _all_sessions(s, client.id)
        active = [x for x in all_sessions if x.cancelled_at is None]
        items: list[PlannedItem] = []
        for session in active:
            cutoff = None if session.weekly else _next_start(session, active, tz, now)
            items += plan_followups(slot_of(session), policy, tz, now, cutoff)
        written = await upsert_items(s, items, client.id, now)
        ahead = now + HORIZON + DAY
        starts = [o for x in active for o in occurrences(slot_of(x), tz, now, ahead)]
        await replan_measures(s, client, starts, policy, now)
        prefixes = [f"{kind}:{x.id}:" for x in all_sessions for kind in ("followup", "day_before")]
        cancelled = 0
        if prefixes:
            cancelled = await cancel_pending(
                s, now, key_prefixes=prefixes, keep=[i.key for i in items]
            )
        return ReplanReport(written, cancelled)

    async def _clients_of(self, therapist_id: int) -> list[Client]:
        async with self.db.session() as s:
            found = await s.exec(select(Client).where(Client.therapist_id == therapist_id))
            return list(found.all())


def _next_start(
    session: TherapySession, others: list[TherapySession], tz: ZoneInfo, now: datetime
) -> datetime | None:
    """The first start of any other session after this one starts (its follow-ups stop there)."""
    starts = []
    for other in others:
        if other.id == session.id:
            continue
        slot = slot_of(other)
        window_end = max(now, session.starts_at) + HORIZON
        starts += [
            t for t in occurrences(slot, tz, session.starts_at, window_end) if t > session.starts_at
        ]
    return min(starts, default=None)


async def _client(s: AsyncSession, client_id: int) -> Client:
    client = await s.get(Client, client_id)
    if client is None:
        raise NotFoundError("client", client_id, "List clients with `checkin session list`.")
    return client


async def _session(
    s: AsyncSession, session_id: int, therapist_id: int | None, *, lock: bool = False
) -> TherapySession:
    # Locked for a change made from what it holds now (its changed occurrences): two taps at
    # once on PostgreSQL wait for each other instead of one undoing the other.
    session = await s.get(TherapySession, session_id, with_for_update=lock)
    if session is None or (therapist_id is not None and session.therapist_id != therapist_id):
        raise NotFoundError("session", session_id, "See `checkin session list` for the ids.")
    return session


async def _locked(
    s: AsyncSession, session_id: int, therapist_id: int | None
) -> tuple[TherapySession, Client]:
    """The session, locked for a change made from what it holds now, and its client."""
    session = await _session(s, session_id, therapist_id, lock=True)
    return session, await _client(s, session.client_id)


async def _all_sessions(s: AsyncSession, client_id: int) -> list[TherapySession]:
    found = await s.exec(select(TherapySession).where(TherapySession.client_id == client_id))
    return list(found.all())


async def _active_sessions(s: AsyncSession, client_id: int) -> list[TherapySession]:
    return [x for x in await _all_sessions(s, client_id) if x.cancelled_at is None]


def running_series(session: TherapySession, zone: ZoneInfo, now: datetime) -> bool:
    """A weekly series, not cancelled, with a regular start still to come (ended ones have none)."""
    if not session.weekly or session.cancelled_at is not None:
        return False
    slot = replace(slot_of(session), changes=())
    return bool(occurrences(slot, zone, now, max(now, session.starts_at) + timedelta(weeks=2)))


def _under_way(session: TherapySession, zone: ZoneInfo, now: datetime) -> bool:
    """A running weekly series with occurrences already held: changing it as a whole would
    rewrite its past, so it is ended or split at `now` instead."""
    return running_series(session, zone, now) and bool(_held(session, zone, now))


def _held(session: TherapySession, zone: ZoneInfo, now: datetime) -> list[datetime]:
    """The session's starts up to `now`: what has taken place, the client's history."""
    slot = slot_of(session)
    return occurrences(slot, zone, slot.starts_at, now)


def _refuse_ended_series(session: TherapySession, zone: ZoneInfo, now: datetime) -> None:
    """Raise SessionError for a weekly series that has met and ended: cancelling or moving it
    whole would erase (or move) the weeks held (a running one is ended or split at `now`)."""
    if not session.weekly or session.cancelled_at is not None:
        return
    held = _held(session, zone, now)
    if held and not running_series(session, zone, now):
        raise SessionError(
            f"Session {session.id} is a weekly series that has ended (last held at "
            f"{iso(held[-1])}); the weeks held stay in the history, so nothing is changed"
        )


def _regular_of(slot: SessionSlot, zone: ZoneInfo, occurrence: datetime) -> datetime:
    """The regular start an occurrence stands for: itself, or the one it was moved from."""
    for regular, new in slot.changes:
        if new == occurrence and is_regular(slot, zone, regular):
            return regular
    return occurrence
