"""A client's history as triage sees it: check-ins since their most recent session ended."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_, bindparam, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.safety import CheckIn, TriageResult, TriageRules, evaluate_triage
from bot.safety.triage import CrisisSignal
from bot.scheduling.planner import WEEK, PlannedItem, occurrences
from bot.scheduling.sessions import SessionRecord, slot_of
from bot.scheduling.store import upsert_items
from bot.service.alerts import record_triage
from bot.service.outgoing import Batch
from bot.storage.db import one_of, run_core
from bot.storage.models import (
    Client,
    LogEntry,
    PolicyOverride,
    Therapist,
    TherapySession,
    TriageEvent,
)

# Log entries that carry a distress rating or a coping outcome (notes to self do not).
CHECKIN_KINDS = ("log", "self_care", "sit_with_it")

# Triage reads these on every rating: built once, with the values bound at each use. They are
# Core reads of plain rows (no mapped objects built); `_triage_reading` flushes before them.
_SESSION_COLUMNS: tuple[Any, ...] = (
    TherapySession.id,
    TherapySession.client_id,
    TherapySession.starts_at,
    TherapySession.duration_minutes,
    TherapySession.weekly,
    TherapySession.until,
    TherapySession.cancelled_at,
    TherapySession.changes,
)
_SESSIONS = sa.select(*_SESSION_COLUMNS).where(
    col(TherapySession.client_id) == bindparam("client_id"),
    col(TherapySession.cancelled_at).is_(None),
    col(TherapySession.starts_at) <= bindparam("now"),
)


def therapist_default(therapist_id: Any) -> ColumnElement[bool]:
    """The override row holding a therapist's own defaults (their triage thresholds among them)."""
    return and_(
        PolicyOverride.therapist_id == therapist_id, col(PolicyOverride.client_id).is_(None)
    )


_THERAPIST_OVERRIDE = select(PolicyOverride).where(therapist_default(bindparam("therapist_id")))


class TriageEntry(Protocol):
    """What triage reads of a log entry (a `LogEntry`, or a row of `_TRIAGE_ENTRIES`)."""

    id: int | None
    kind: str
    recorded_at: datetime
    distress: int | None
    distress_before: int | None
    distress_after: int | None
    helped: bool | None
    unable_to_function: bool | None
    partly_unable: bool | None
    note: str | None
    feelings_other: str | None


# The check-in entries and, in the same statement, every rating (the latest one plans the
# silence check): one read of the log where there were two. Only the columns triage reads, as
# plain rows: no mapped objects built, and no other words of the client's decrypted.
_TRIAGE_COLUMNS: tuple[Any, ...] = (
    LogEntry.id,
    LogEntry.kind,
    LogEntry.recorded_at,
    LogEntry.distress,
    LogEntry.distress_before,
    LogEntry.distress_after,
    LogEntry.helped,
    LogEntry.unable_to_function,
    LogEntry.partly_unable,
    LogEntry.note,
    LogEntry.feelings_other,
)
_TRIAGE_ENTRIES = (
    sa.select(*_TRIAGE_COLUMNS)  # SQLAlchemy's own: sqlmodel's select takes four at most
    .where(
        col(LogEntry.client_id) == bindparam("client_id"),
        or_(one_of(LogEntry.kind, CHECKIN_KINDS), col(LogEntry.distress).is_not(None)),
    )
    .order_by(col(LogEntry.recorded_at), col(LogEntry.id))
)
# The crisis messages within the hold time and the event with the latest acknowledgement, in
# one statement (the max of the rows' acknowledgements is that event's: it is among them).
_LATEST_ACKNOWLEDGED_EVENT = (
    select(TriageEvent.id)
    .where(
        TriageEvent.client_id == bindparam("client_id"),
        col(TriageEvent.acknowledged_at).is_not(None),
    )
    .order_by(col(TriageEvent.acknowledged_at).desc())
    .limit(1)
    .scalar_subquery()
)
_CRISIS_HISTORY = select(
    TriageEvent.at, TriageEvent.crisis, TriageEvent.source, TriageEvent.acknowledged_at
).where(
    TriageEvent.client_id == bindparam("client_id"),
    or_(
        col(TriageEvent.at) >= bindparam("since"),
        col(TriageEvent.id) == _LATEST_ACKNOWLEDGED_EVENT,
    ),
)


async def last_session_end(s: AsyncSession, client: Client, now: datetime) -> datetime | None:
    """When the client's most recent session (one-off or a weekly occurrence) ended, if any."""
    rows = await run_core(s, _SESSIONS, {"client_id": client.id, "now": now})
    sessions = cast(list[SessionRecord], rows.all())
    return latest_session_end(sessions, now, ZoneInfo(client.timezone))


def latest_session_end(
    sessions: Iterable[SessionRecord], now: datetime, zone: ZoneInfo
) -> datetime | None:
    """The latest end before `now` among these sessions' occurrences (cancelled ones skipped;
    a weekly series at its local wall time in `zone`, the client's, with its changed occurrences)."""
    latest: datetime | None = None
    for session in sessions:
        if session.cancelled_at is not None:
            continue
        length = timedelta(minutes=session.duration_minutes)
        since = session.starts_at - WEEK  # an occurrence may have been moved before the first
        ends = [s + length for s in occurrences(slot_of(session), zone, since, now - length)]
        if ends and (latest is None or ends[-1] > latest):
            latest = ends[-1]
    return latest


def checkin_from_entry(entry: TriageEntry) -> CheckIn:
    self_care = "none"
    if entry.kind == "self_care" and entry.helped is not None:
        self_care = "tried_helped" if entry.helped else "tried_not_helped"
    distress = entry.distress
    if distress is None:
        distress = (
            entry.distress_after if entry.distress_after is not None else entry.distress_before
        )
    return CheckIn(
        at=entry.recorded_at,
        distress=distress,
        unable_to_function=bool(entry.unable_to_function),
        partly_unable=bool(entry.partly_unable),
        self_care=self_care,  # type: ignore[arg-type]
        text=entry.note or entry.feelings_other,
    )


# Session.info: {therapist id: their own thresholds (`PolicyOverride.triage`)} as read in this
# transaction with something else (a client's step reads them with the client).
_KNOWN_OVERRIDES = "checkin.triage_overrides"


def know_triage_override(
    s: AsyncSession, therapist_id: int, triage: Mapping[str, int] | None
) -> None:
    """The therapist's own thresholds, read in this transaction (None: they set none), so
    `triage_rules` in the same transaction need not read them again."""
    s.info.setdefault(_KNOWN_OVERRIDES, {})[therapist_id] = triage


async def triage_rules(s: AsyncSession, config: Config, therapist_id: int) -> TriageRules:
    """Clinic thresholds, overridden by the therapist's own where they set any."""
    values = config.triage.model_dump()
    known: dict[int, Mapping[str, int] | None] = s.info.get(_KNOWN_OVERRIDES, {})
    if therapist_id in known:
        triage = known[therapist_id]
    else:
        params = {"therapist_id": therapist_id}
        override = (await s.exec(_THERAPIST_OVERRIDE, params=params)).first()
        triage = override.triage if override is not None else None
    if triage:
        values.update({k: v for k, v in triage.items() if k in values})
    return TriageRules(**values)


async def set_therapist_triage(
    s: AsyncSession, config: Config, therapist_id: int, changes: dict[str, int], reset: bool
) -> dict[str, int]:
    """Save a therapist's own thresholds (validated like the clinic's); return those in force."""
    override = (
        await s.exec(
            select(PolicyOverride).where(
                PolicyOverride.therapist_id == therapist_id,
                col(PolicyOverride.client_id).is_(None),
            )
        )
    ).first()
    if override is None:
        override = PolicyOverride(therapist_id=therapist_id)
    values = {} if reset else dict(override.triage or {})
    values.update(changes)
    TriageRules(**{**config.triage.model_dump(), **values})  # raises on an invalid combination
    override.triage = values or None
    s.add(override)
    await s.flush()
    s.info.get(_KNOWN_OVERRIDES, {}).pop(therapist_id, None)  # read again below
    rules = await triage_rules(s, config, therapist_id)
    return {k: getattr(rules, k) for k in config.triage.model_dump()}


async def triage_client(
    s: AsyncSession,
    config: Config,
    client: Client,
    now: datetime,
    rules: TriageRules | None = None,
) -> TriageResult:
    """`rules`: the client's therapist's rules when the caller has them (else read here)."""
    result, _ = await _triage_reading(s, config, client, now, rules)
    return result


async def _triage_reading(
    s: AsyncSession,
    config: Config,
    client: Client,
    now: datetime,
    rules: TriageRules | None = None,
) -> tuple[TriageResult, TriageEntry | None]:
    """Triage on the client's history now, and their latest rating (read with it)."""
    assert client.id is not None
    # What this transaction added through the session so far (a concern, a triage event)
    # counts: the reads below are Core statements, which do not flush it as ORM reads do.
    await s.flush()
    since = await last_session_end(s, client, now)
    rows = await run_core(s, _TRIAGE_ENTRIES, {"client_id": client.id})
    entries = cast(list[TriageEntry], rows.all())
    rules = rules or await triage_rules(s, config, client.therapist_id)
    checkins = [checkin_from_entry(e) for e in entries if e.kind in CHECKIN_KINDS]
    latest = next((e for e in reversed(entries) if e.distress is not None), None)
    signals, acknowledged = await crisis_history(s, client.id, now, rules)
    # Days (for persisting and rising) end at the client's own midnight.
    result = evaluate_triage(
        checkins,
        since,
        now,
        rules,
        tz=ZoneInfo(client.timezone),
        crisis_signals=signals,
        acknowledged_at=acknowledged,
    )
    return result, latest


async def triage_and_alert(
    s: AsyncSession,
    config: Config,
    client: Client,
    therapist: Therapist,
    source: str,
    now: datetime,
    batch: Batch | None = None,
) -> TriageResult:
    """Run triage on the client's history now and record (and queue an alert for) what is new;
    after every rating or answer, an abandoned check-in, and the silence timer. Plans the
    silence check for a high rating."""
    rules = await triage_rules(s, config, client.therapist_id)  # read once for both
    result, latest = await _triage_reading(s, config, client, now, rules)
    await record_triage(s, config, client, therapist, result, source=source, now=now, batch=batch)
    # Recording triage writes no log entries: the rating read with the history is the latest.
    await plan_silence_check(s, client, now, rules, latest)
    return result


async def plan_silence_check(
    s: AsyncSession,
    client: Client,
    now: datetime,
    rules: TriageRules,
    latest: TriageEntry | None,
) -> None:
    """After a rating at or above `silence_after`, look again `silence_hours` later.

    `latest`: the client's latest rating (any entry with a distress rating), as read in this
    transaction with their history."""
    if latest is None or (latest.distress or 0) < rules.silence_after or latest.id is None:
        return
    due = latest.recorded_at + timedelta(hours=rules.silence_hours)
    await upsert_items(
        s, [PlannedItem(f"silence:{client.id}:{latest.id}", due, "silence")], client.id, now
    )


async def crisis_history(
    s: AsyncSession, client_id: int, now: datetime, rules: TriageRules
) -> tuple[list[CrisisSignal], datetime | None]:
    """Crisis messages within the hold time, and the therapist's latest acknowledgement.

    A Core read: events this transaction added are seen once flushed (`_triage_reading` does)."""
    since = now - timedelta(hours=rules.crisis_hold_hours)
    params = {"client_id": client_id, "since": since}
    events: Sequence[Sequence[Any]] = (await run_core(s, _CRISIS_HISTORY, params)).all()
    signals = [
        CrisisSignal(at)
        for at, crisis, source, _ in events
        if since <= at <= now and crisis and source == "screening"
    ]
    acknowledgements = [acknowledged for *_, acknowledged in events if acknowledged is not None]
    return signals, max(acknowledgements, default=None)
