"""What the console shows, read with a few bulk queries per page (never one per check-in).

Only distress columns are selected for charts, so encrypted columns are not decrypted for
numbers; entries with words (notes) are loaded whole only for the one client being opened.
Every function takes the therapist and returns only that therapist's clients' rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.orm import load_only
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.scheduling.planner import occurrences
from bot.scheduling.sessions import slot_of
from bot.service.distress_figures import daily_peaks
from bot.storage.models import (
    Client,
    LogEntry,
    MeasureScore,
    Therapist,
    TherapySession,
    TriageEvent,
)


@dataclass(frozen=True)
class Point:
    at: datetime
    distress: int
    kind: str


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def own_client(s: AsyncSession, therapist: Therapist, client_id: int) -> Client | None:
    """The client with this id if they are this therapist's, else None (never another's)."""
    client = await s.get(Client, client_id)
    return client if client is not None and client.therapist_id == therapist.id else None


async def distress_points(
    s: AsyncSession, client_ids: list[int], since: datetime
) -> dict[int, list[Point]]:
    """Each client's rated check-ins since `since`, oldest first (numbers only, nothing decrypted)."""
    if not client_ids:
        return {}
    rows = await s.exec(
        select(
            LogEntry.client_id,
            LogEntry.recorded_at,
            func.coalesce(LogEntry.distress, LogEntry.distress_after),
            LogEntry.kind,
        )
        .where(col(LogEntry.client_id).in_(client_ids), LogEntry.recorded_at >= since)
        .order_by(col(LogEntry.recorded_at))
    )
    out: dict[int, list[Point]] = defaultdict(list)
    for client_id, at, value, kind in rows.all():
        if value is not None:
            out[client_id].append(Point(_aware(at), value, kind))
    return out


async def last_entries(s: AsyncSession, client_ids: list[int]) -> dict[int, datetime]:
    """When each client last logged anything (a check-in, a note, an exercise)."""
    if not client_ids:
        return {}
    latest = func.max(LogEntry.recorded_at).label("latest")
    rows = await s.exec(
        select(LogEntry.client_id, latest)
        .where(col(LogEntry.client_id).in_(client_ids))
        .group_by(col(LogEntry.client_id))
    )
    return {client_id: _aware(at) for client_id, at in rows.all() if at is not None}


def peaks_of(points: list[Point], zone: ZoneInfo) -> dict[date, int]:
    """The client's daily peaks, by the summary's own rule (bot/service/distress_figures.py)."""
    return daily_peaks(((p.at, p.distress) for p in points), zone)


def peaks_by_day(points: list[Point], zone: ZoneInfo, days: list[date]) -> list[int | None]:
    peaks = peaks_of(points, zone)
    return [peaks.get(d) for d in days]


async def events_of(
    s: AsyncSession, client_ids: list[int], *, open_only: bool = False
) -> dict[int, list[TriageEvent]]:
    """Alerted triage events (those the therapist was told of), newest first."""
    if not client_ids:
        return {}
    query = select(TriageEvent).where(
        col(TriageEvent.client_id).in_(client_ids), col(TriageEvent.alerted_at).is_not(None)
    )
    if open_only:
        query = query.where(col(TriageEvent.acknowledged_at).is_(None))
    rows = await s.exec(query.order_by(col(TriageEvent.at).desc(), col(TriageEvent.id).desc()))
    out: dict[int, list[TriageEvent]] = defaultdict(list)
    for event in rows.all():
        out[event.client_id].append(event)
    return out


@dataclass
class SessionsOf:
    upcoming: dict[int, datetime] = field(default_factory=dict)
    past: dict[int, list[datetime]] = field(default_factory=dict)
    rows: dict[int, list[TherapySession]] = field(default_factory=dict)


async def sessions_of(
    s: AsyncSession, clients: list[Client], now: datetime, since: datetime
) -> SessionsOf:
    """Each client's next session start, and the starts between `since` and now."""
    out = SessionsOf()
    if not clients:
        return out
    by_id = {c.id: c for c in clients}
    rows = await s.exec(
        select(TherapySession).where(
            col(TherapySession.client_id).in_(list(by_id)),
            col(TherapySession.cancelled_at).is_(None),
        )
    )
    horizon = now + timedelta(weeks=8)
    for session in rows.all():
        client = by_id[session.client_id]
        zone = ZoneInfo(client.timezone)
        out.rows.setdefault(session.client_id, []).append(session)
        for start in occurrences(slot_of(session), zone, since, horizon):
            if start > now:
                current = out.upcoming.get(session.client_id)
                if current is None or start < current:
                    out.upcoming[session.client_id] = start
                break
            out.past.setdefault(session.client_id, []).append(start)
    for starts in out.past.values():
        starts.sort()
    return out


@dataclass(frozen=True)
class Score:
    """A measure's score as the console reads it: clear columns only (a `ScoreRow`)."""

    recorded_at: datetime
    measure: str
    total: int
    band: str
    reliable_change: float | None
    cutoff: float | None
    bands: list[list[Any]]


SCORE_COLUMNS = (  # the clear ones: the answers and flags are never loaded here
    MeasureScore.recorded_at,
    MeasureScore.measure,
    MeasureScore.total,
    MeasureScore.band,
    MeasureScore.reliable_change,
    MeasureScore.cutoff,
    MeasureScore.bands,
)


async def measure_scores(s: AsyncSession, client_id: int) -> list[Score]:
    """Every standard measure (PHQ-9, GAD-7) the client took, oldest first: totals, bands and
    the measure's rules; the answers and flags stay encrypted and unread. All of them, not just
    the period's, because change is read against the first score."""
    rows = await s.exec(
        select(MeasureScore)
        .options(load_only(*SCORE_COLUMNS))  # type: ignore[arg-type]
        .where(MeasureScore.client_id == client_id)
        .order_by(col(MeasureScore.recorded_at), col(MeasureScore.id))
    )
    return [
        Score(
            _aware(r.recorded_at),
            r.measure,
            r.total,
            r.band,
            r.reliable_change,
            r.cutoff,
            list(r.bands or []),
        )
        for r in rows.all()
    ]


async def first_record(s: AsyncSession, client: Client) -> datetime:
    """Where 'all' begins for a client: they joined, or their first entry or score if earlier
    (entries imported or kept from before the client row was made)."""
    assert client.id is not None
    firsts = [client.created_at]
    for column, owner in (
        (LogEntry.recorded_at, LogEntry.client_id),
        (MeasureScore.recorded_at, MeasureScore.client_id),
    ):
        first = (await s.exec(select(func.min(column)).where(owner == client.id))).first()
        if first is not None:
            firsts.append(first)
    return min(_aware(at) for at in firsts)
