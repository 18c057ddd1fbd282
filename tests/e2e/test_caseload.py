"""The morning caseload digest: working days only, most urgent first, a button per summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.service.caseload import plan_caseload_digests
from bot.service.digests import plan_digests
from bot.storage.models import DueWork
from bot.testing.harness import BotHarness

THERAPIST = 1
pytestmark = pytest.mark.e2e


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)  # London is UTC in winter


async def test_the_monday_digest_puts_the_open_crisis_first(harness: BotHarness) -> None:
    """Sam's open crisis first, then Alex who never answered, then Jo who paused, then a count
    of the rest (Kim); planned on Saturday, it comes on Monday morning; its button opens Sam's
    summary."""
    sam = await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
    await harness.onboarded_client(1002, "Alex", therapist=THERAPIST)
    jo = await harness.onboarded_client(1003, "Jo", therapist=THERAPIST)
    kim = await harness.onboarded_client(1004, "Kim", therapist=THERAPIST)
    therapist = harness.therapists[THERAPIST]

    harness.clock.set(at(28, 10))  # Saturday
    await sam.send("I don't want to be alive anymore")
    await therapist.next_reply()  # the crisis alert, not acknowledged
    await therapist.send("/session Alex mon 15:00")  # Monday 30 Nov
    await therapist.next_reply()
    harness.clock.set(at(29, 11))
    await jo.send("/pause")
    await harness.tap_when_shown(jo, "1 week")
    await kim.send("/checkin")
    await harness.tap_when_shown(kim, "3")
    await kim.replies_until_idle(0.2)

    assert await plan_caseload_digests(harness.runtime.db, at(28, 10), "Europe/London") == 1
    assert await plan_caseload_digests(harness.runtime.db, at(28, 10), "Europe/London") == 0
    async with harness.runtime.db.session() as s:
        (work,) = (await s.exec(select(DueWork).where(DueWork.kind == "caseload"))).all()
    assert work.due_at == at(30, 8, 30)  # Monday, not the weekend

    therapist.read_all()
    harness.clock.set(at(30, 8, 31))
    await harness.tick()
    digest = await therapist.next_reply()
    assert digest.text.splitlines() == [
        "☀️ Your caseload · Mon 30 Nov",
        "Sessions today",
        "• 15:00 Alex: Nothing logged in the last 14 days: no check-ins sent; never replied.",
        "Needs attention",
        "🔴 Sam: crisis: suicidal thoughts (Sat 28 Nov 10:00), open · /ack 1",
        "Gone quiet",
        "🔕 Alex: no reply since joining Mon 23 Nov",
        "Paused or stopped",
        "⏸ Jo: paused until Sun 6 Dec 11:00",
        "✅ 1 doing their check-ins: Kim",
        "Times in Europe/London.",
    ]
    assert digest.buttons() == ["Summary: Sam", "Summary: Alex"]
    await therapist.tap("Summary: Sam", digest)
    summary = await therapist.next_text()
    assert summary.text.startswith("Sam ·")
    assert "Crisis: suicidal thoughts" in summary.text

    # Before Alex's session: nothing logged, and the digest said so: no message of its own.
    harness.clock.set(at(30, 13, 1))
    assert await plan_digests(harness.runtime.db, harness.clock.now()) == 1
    await harness.tick()
    await harness.settled()
    assert therapist.read_all() == []
    async with harness.runtime.db.session() as s:
        (digest_row,) = (await s.exec(select(DueWork).where(DueWork.kind == "digest"))).all()
    assert digest_row.status == "skipped"


async def test_digest_time_can_be_set_or_turned_off(harness: BotHarness) -> None:
    """/digest 07:15 moves it; /digest off stops it."""
    await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
    therapist = harness.therapists[THERAPIST]
    await therapist.send("/digest 7:15")
    assert "at 07:15" in (await therapist.next_reply()).text
    await plan_caseload_digests(harness.runtime.db, at(24, 6), "Europe/London")
    async with harness.runtime.db.session() as s:
        (work,) = (await s.exec(select(DueWork).where(DueWork.kind == "caseload"))).all()
    assert work.due_at == at(24, 7, 15)
    await therapist.send("/digest off")
    assert "No more morning caseload digests" in (await therapist.next_reply()).text
    assert await plan_caseload_digests(harness.runtime.db, at(25, 6), "Europe/London") == 0
