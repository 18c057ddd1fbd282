"""One week of a series cancelled or moved, the series moved or ended from now on, and double
bookings refused: on SQLite and PostgreSQL, with the follow-ups re-planned to match."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sched_rows import make_client, make_therapist, rows
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import FollowUpConfig
from bot.scheduling.planner import occurrences
from bot.scheduling.sessions import (
    OverlapError,
    SessionError,
    SessionService,
    StaleOccurrenceError,
    slot_of,
)
from bot.storage import Database
from bot.storage.models import AuditLog, TherapySession

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # a Monday
FIRST = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)  # Tue 14:00 London (summer)
WEEK = timedelta(weeks=1)
CLINIC = FollowUpConfig(offsets=["3h"])  # type: ignore[list-item]


def key(session_id: int | None, start: datetime) -> str:
    return f"followup:{session_id}:{start:%Y-%m-%dT%H:%M:%SZ}:3h"


async def setup(db: Database) -> tuple[SessionService, int, int]:
    therapist = await make_therapist(db)
    client = await make_client(db, therapist)
    assert therapist.id is not None
    assert client.id is not None
    return SessionService(db, CLINIC), therapist.id, client.id


async def test_one_week_moved_and_one_cancelled(db: Database) -> None:
    service, therapist_id, client_id = await setup(db)
    series = await service.register(client_id, FIRST, NOW, weekly=True)
    moved_to = FIRST + WEEK + timedelta(days=1, hours=2)
    await service.move_occurrence(
        series.id or 0, FIRST + WEEK, moved_to, NOW, therapist_id=therapist_id
    )
    await service.cancel_occurrence(
        series.id or 0, FIRST + 2 * WEEK, NOW, therapist_id=therapist_id
    )
    stored = await rows(db)
    assert stored[key(series.id, FIRST)].status == "pending"
    assert stored[key(series.id, FIRST + WEEK)].status == "cancelled"
    assert stored[key(series.id, moved_to)].status == "pending"
    assert stored[key(series.id, FIRST + 2 * WEEK)].status == "cancelled"
    assert stored[key(series.id, FIRST + 3 * WEEK)].status == "pending"
    # Moving the moved week back where it belongs removes the change.
    await service.move_occurrence(series.id or 0, moved_to, FIRST + WEEK, NOW)
    stored = await rows(db)
    assert stored[key(series.id, FIRST + WEEK)].status == "pending"
    assert stored[key(series.id, moved_to)].status == "cancelled"
    with pytest.raises(StaleOccurrenceError):
        await service.cancel_occurrence(series.id or 0, FIRST + 2 * WEEK, NOW)
    async with db.session() as s:
        from sqlmodel import select

        actions = [a.action for a in (await s.exec(select(AuditLog))).all()]
    assert actions.count("session.move_occurrence") == 2
    assert actions.count("session.cancel_occurrence") == 1


async def test_the_series_moves_and_ends_from_now_on(db: Database) -> None:
    service, _, client_id = await setup(db)
    series = await service.register(client_id, FIRST, NOW, weekly=True)
    later = FIRST + WEEK + timedelta(hours=1)  # after the first week was held
    new = await service.move_series(series.id or 0, FIRST + 2 * WEEK + timedelta(days=1), later)
    assert new.id != series.id
    stored = await rows(db)
    assert stored[key(series.id, FIRST + 2 * WEEK)].status == "cancelled"
    assert stored[key(new.id, FIRST + 2 * WEEK + timedelta(days=1))].status == "pending"
    await service.cancel_series(new.id or 0, later)  # nothing held yet: cancelled whole
    with pytest.raises(SessionError):
        await service.cancel_series(new.id or 0, later)
    with pytest.raises(SessionError):  # the old series ended: it cannot be moved again
        await service.move_series(series.id or 0, FIRST + 3 * WEEK, later)
    stored = await rows(db)
    assert stored[key(new.id, FIRST + 2 * WEEK + timedelta(days=1))].status == "cancelled"
    # Only the check-in after the week just held is still to come.
    assert [k for k, r in stored.items() if r.status == "pending"] == [key(series.id, FIRST + WEEK)]


async def test_a_double_booking_is_refused_unless_allowed(db: Database) -> None:
    therapist = await make_therapist(db)
    client, other = await make_client(db, therapist), await make_client(db, therapist, 2002)
    assert client.id is not None
    assert other.id is not None
    service, client_id = SessionService(db, CLINIC), client.id
    await service.register(client_id, FIRST, NOW, weekly=True)
    with pytest.raises(OverlapError) as refused:
        await service.register(
            other.id, FIRST + 3 * WEEK + timedelta(minutes=20), NOW, allow_overlap=False
        )
    assert refused.value.clashes[0].starts_at == FIRST + 3 * WEEK
    assert refused.value.clients[client_id].telegram_id == 1001
    booked = await service.register(
        other.id, FIRST + 3 * WEEK + timedelta(minutes=50), NOW, allow_overlap=False
    )
    assert booked.id is not None


async def test_cancel_or_move_of_a_series_under_way_keeps_the_weeks_held(db: Database) -> None:
    """`cancel` and `move` (the console's and the CLI's whole-series actions) end or split a
    series that has already met, instead of rewriting its past: the weeks held keep their
    dates for the summary's history."""
    service, _, client_id = await setup(db)
    later = FIRST + 2 * WEEK + timedelta(hours=4)  # three weeks held by both series
    moving = await service.register(client_id, FIRST, NOW, weekly=True)
    new = await service.move(moving.id or 0, FIRST + 3 * WEEK + timedelta(days=2), later)
    assert new.id != moving.id
    ending = await service.register(client_id, FIRST + timedelta(hours=3), NOW, weekly=True)
    await service.cancel(ending.id or 0, later)
    zone = ZoneInfo("Europe/London")
    async with db.session() as s:
        for row_id in (moving.id, ending.id):
            row = await s.get(TherapySession, row_id)
            assert row is not None
            assert row.cancelled_at is None
            assert row.until is not None
            held = occurrences(slot_of(row), zone, row.starts_at, later + 4 * WEEK)
            assert [h - held[0] for h in held] == [timedelta(0), WEEK, 2 * WEEK]


async def test_cancel_of_a_series_not_yet_begun_cancels_it_whole(db: Database) -> None:
    service, _, client_id = await setup(db)
    series = await service.register(client_id, FIRST, NOW, weekly=True)
    await service.cancel(series.id or 0, NOW)
    async with db.session() as s:
        row = await s.get(TherapySession, series.id)
    assert row is not None
    assert row.cancelled_at is not None


def meanwhile(
    monkeypatch: pytest.MonkeyPatch, db: Database, change: Callable[[], Awaitable[object]]
) -> list[SessionError]:
    """Commit `change` right after the first transaction that the next call opens ends: another
    person's change landing between two transactions of that call, if it has two. Returns the
    refusals `change` met (it may find the session already changed)."""
    original = db.session
    refused: list[SessionError] = []
    fired = False

    @asynccontextmanager
    async def session() -> AsyncIterator[AsyncSession]:
        nonlocal fired
        async with original() as s:
            yield s
        if not fired:
            fired = True
            try:
                await change()
            except SessionError as exc:
                refused.append(exc)

    monkeypatch.setattr(db, "session", session)
    return refused


async def test_cancel_sees_a_move_made_meanwhile_never_half_of_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a series is under way and cancelling it are one transaction: a move of the series
    into the past committed meanwhile comes wholly before the cancel (which then keeps the weeks
    held) or wholly after it (and is refused), never between the check and the change."""
    service, _, client_id = await setup(db)
    series = await service.register(client_id, FIRST, NOW, weekly=True)  # not begun at NOW
    assert series.id is not None
    series_id = series.id
    refused = meanwhile(monkeypatch, db, lambda: service.move(series_id, FIRST - 3 * WEEK, NOW))
    await service.cancel(series_id, NOW)
    async with db.session() as s:
        row = await s.get(TherapySession, series_id)
    assert row is not None
    if refused:  # the cancel came first: the whole series, as it was
        assert (row.starts_at, row.cancelled_at, row.until) == (FIRST, NOW, None)
    else:  # the move came first: the series was under way, so it ends, keeping three weeks
        assert (row.starts_at, row.cancelled_at, row.until) == (FIRST - 3 * WEEK, None, NOW)


async def test_move_sees_a_move_made_meanwhile_never_half_of_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for a move of the whole series: the two moves come one after the other, so the
    last one wins, or the weeks held after the first are kept as their own series."""
    service, _, client_id = await setup(db)
    series = await service.register(client_id, FIRST, NOW, weekly=True)  # not begun at NOW
    assert series.id is not None
    series_id = series.id
    earlier, later = FIRST - 3 * WEEK, FIRST + timedelta(days=2)
    meanwhile(monkeypatch, db, lambda: service.move(series_id, earlier, NOW))
    await service.move(series_id, later, NOW)
    async with db.session() as s:
        found = await s.exec(select(TherapySession).order_by(col(TherapySession.id)))
        stored = [(x.starts_at, x.until) for x in found.all()]
    assert stored in (
        [(earlier, None)],  # ours, then theirs: theirs wins
        [(earlier, NOW), (later, None)],  # theirs, then ours: the series carries on from later
    )
