"""A session already held stays in the client's history, whatever is cancelled afterwards: a
cancel button tapped after the week took place, or a series cancelled after it ended (Telegram on
each database; the command line in tests/scheduling/test_sessions_cli.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.scheduling.sessions import SessionError
from bot.service.summary_data import session_occurrences
from bot.storage.models import Client, TherapySession
from bot.testing.harness import BotHarness

pytestmark = pytest.mark.e2e
THERAPIST = 1
SAM = 1001
SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
HELD = [datetime(2026, 11, 24, 15, 0, tzinfo=UTC), datetime(2026, 12, 1, 15, 0, tzinfo=UTC)]


async def say(h: BotHarness, text: str) -> str:
    user = h.therapists[THERAPIST]
    await user.send(text)
    return (await user.next_reply()).text


async def tap(h: BotHarness, label: str) -> str:
    user = h.therapists[THERAPIST]
    await user.tap(label)
    return (await user.next_reply()).text


async def history(h: BotHarness) -> list[datetime]:
    """Sam's session starts as the summary reads them, from the series' first week to now."""
    async with h.runtime.db.session() as s:
        sam = (await s.exec(select(Client).where(Client.telegram_id == SAM))).one()
        found = await session_occurrences(s, sam, HELD[0] - timedelta(days=1), h.clock.now())
    return [o.start for o in found]


async def series(h: BotHarness) -> TherapySession:
    async with h.runtime.db.session() as s:
        return (await s.exec(select(TherapySession))).one()


async def test_a_cancel_tapped_after_the_week_was_held_keeps_it(db, tmp_path):
    """Asked on Saturday to cancel Tue 1 Dec, the therapist answers "Yes" on Wednesday, after
    the session took place: it stays in Sam's history and the answer says why."""
    await db.dispose()  # the harness opens its own engine on the same (emptied) database
    async with BotHarness(tmp_path, database_url=db.url) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        await h.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(h, "/session Sam tue 15:00 weekly")
        h.clock.set(SATURDAY)
        await say(h, "/sessions Sam")
        assert "Cancel Sam's session on Tue 1 Dec 15:00" in await tap(h, "Cancel Tue 1 Dec")
        h.clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
        answer = await tap(h, "Yes, cancel it")
        assert "already took place" in answer
        assert "/sessions Sam" in answer
        assert (await series(h)).changes in (None, {})
        assert await history(h) == HELD


async def test_cancelling_or_moving_a_series_that_has_ended_keeps_the_weeks_held(db, tmp_path):
    """A series that ended (its last week is past) has nothing left to cancel or move: the
    stale button, `cancel` (command line, console) and `move` refuse, and every week held stays
    in the history (a move set the first week of the whole series to the new time)."""
    await db.dispose()
    async with BotHarness(tmp_path, database_url=db.url) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        await h.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(h, "/session Sam tue 15:00 weekly")
        h.clock.set(SATURDAY)
        await say(h, "/sessions Sam")
        await tap(h, "Cancel the series")  # asked, and left unanswered ...
        ended = await series(h)
        assert ended.id is not None
        async with h.runtime.db.session() as s:  # ... while the series ends after Tue 1 Dec
            ended.until = HELD[1]
            s.add(ended)
        h.clock.set(datetime(2026, 12, 9, 9, 0, tzinfo=UTC))
        assert "already moved or cancelled" in await tap(h, "Yes, cancel the series")
        sessions, now, sid = h.runtime.service.sessions, h.clock.now(), ended.id
        for change in (
            lambda: sessions.cancel(sid, now),
            lambda: sessions.cancel_series(sid, now),
            lambda: sessions.move(sid, now + timedelta(days=1), now),
        ):
            with pytest.raises(SessionError, match="ended"):
                await change()
        assert (await series(h)).cancelled_at is None
        assert await history(h) == HELD
