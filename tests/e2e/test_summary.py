"""The pre-session summary over two simulated weeks of a weekly series, on the emulator.

Sam has a session every Monday at 15:00 (London). Week 1: worse after the session, a crisis
message that the therapist follows up and acknowledges, slow breathing that helps, then calmer
days. Week 2: worse again after the session, a calm place that helps a bit. Two hours before
the third session the therapist gets the chart and a summary that shows all of it.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from bot.service.digests import plan_digests
from bot.storage.models import AuditLog, DueWork, TherapySession
from bot.testing.driver import SimulatedUser
from bot.testing.harness import BotHarness

THERAPIST = 1
CLIENT = 1001
pytestmark = pytest.mark.e2e


def at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)  # London is UTC in winter


async def rate(h: BotHarness, sam: SimulatedUser, when: datetime, value: int) -> None:
    h.clock.set(when)
    await sam.send("/checkin")
    await h.tap_when_shown(sam, str(value))
    await sam.replies_until_idle(0.3)


async def self_care(
    h: BotHarness, sam: SimulatedUser, when: datetime, technique: str, before: int, after: int
) -> None:
    h.clock.set(when)
    await sam.send("/selfcare")
    await h.tap_when_shown(sam, str(before))
    await h.tap_when_shown(sam, technique)
    await h.tap_when_shown(sam, "I'm done")
    await h.tap_when_shown(sam, str(after))
    await h.tap_when_shown(sam, "Yes" if after <= before - 2 else "A bit")
    await sam.replies_until_idle(0.3)


async def test_summary_before_week_three_shows_the_history(
    harness: BotHarness, tmp_path: Path, summary_shot
):
    """The acknowledged crisis of week 1, 'worse after each session', the chart photo and
    self-care per technique all reach the therapist before the third weekly session."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    therapist = harness.therapists[THERAPIST]
    await therapist.send("/session Sam mon 15:00 weekly")
    assert "every week" in (await therapist.next_reply()).text
    async with harness.runtime.db.session() as s:
        series = (await s.exec(select(TherapySession))).one()
    assert series.starts_at == at(23, 15)

    # Week 1: worse after the session, a crisis message, then calmer.
    await rate(harness, sam, at(23, 17), 8)
    await rate(harness, sam, at(24, 18), 7)
    harness.clock.set(at(24, 20))
    await sam.send("I don't want to be alive anymore")
    alert = await therapist.next_reply()
    assert "Crisis alert" in alert.text
    await therapist.tap("I contacted them")
    await therapist.next_reply()
    alert_id = alert.text.split("alert #", 1)[1].split()[0]
    harness.clock.set(at(25, 9))
    await therapist.send(f"/ack {alert_id}")
    assert "acknowledged" in (await therapist.next_reply()).text
    await sam.replies_until_idle(0.3)
    await self_care(harness, sam, at(25, 12), "Slow breathing", 7, 4)
    for day, value in ((26, 3), (27, 3), (28, 2)):
        await rate(harness, sam, at(day, 12), value)

    # Week 2: worse again after the session.
    await rate(harness, sam, at(30, 17), 8)
    await rate(harness, sam, at(1, 18, 12), 8)
    await self_care(harness, sam, at(2, 12, 12), "A calm place", 6, 5)
    for day, value in ((3, 3), (4, 2)):
        await rate(harness, sam, at(day, 12, 12), value)

    # Two hours before week 3.
    harness.clock.set(at(7, 13, 12))
    therapist.read_all()
    assert await plan_digests(harness.runtime.db, harness.clock.now()) == 1
    await harness.tick()
    await harness.settled()
    messages = [m for m in therapist.read_all() if m.kind == "photo" or "Before your" in m.text]
    chart, text = messages[-2], messages[-1]
    assert chart.kind == "photo"
    assert (chart.content or b"").startswith(b"\x89PNG")
    summary_shot("weekly-sessions-no-measures", chart.content or b"")
    summary = text.text
    assert "Before your session with Sam" in summary
    assert "Mon 7 Dec 15:00 Europe/London" in summary
    # The crisis of week 1, acknowledged, with what the therapist did.
    assert "Crisis: suicidal thoughts" in summary
    assert "you contacted them Tue 24 Nov 20:00" in summary
    assert "acknowledged Wed 25 Nov 09:00" in summary
    # Each occurrence of the weekly series counts.
    assert "Worse after each of the last 2 sessions" in summary
    # Self-care per technique, before and after.
    assert "slow breathing: 1× · 7.0 → 4.0 · helped 1 of 1" in summary
    assert "calm place: 1× · 6.0 → 5.0 · helped 1 of 1" in summary
    # Dated values, and this period against the one before.
    assert "Mon 30 Nov: 8" in summary
    assert "This period: mean" in summary
    assert "Period before: mean" in summary
    assert "Times in Europe/London." in summary

    # The printable report: the same content and the chart, confidential, read back.
    await therapist.tap("PDF report", text)
    document = await therapist.next_reply()
    assert document.kind == "document"
    assert (document.file_name or "").endswith(".pdf")
    (tmp_path / "report.pdf").write_bytes(document.content or b"")
    reader = PdfReader(io.BytesIO(document.content or b""))
    printed = "\n".join(page.extract_text() for page in reader.pages)
    assert "CONFIDENTIAL" in printed
    assert "Client report: Sam" in printed
    assert "Therapist: Dr. Ruiz" in printed
    assert "Period: Mon 30 Nov 15:50 to Mon 7 Dec 13:00 (Europe/London)" in printed
    assert "Worse after each of the last 2 sessions" in printed
    assert "slow breathing: 1× · 7.0 → 4.0 · helped 1 of 1" in printed
    assert "Crisis: suicidal thoughts" in printed
    assert len(reader.pages[0].images) == 1  # the chart
    async with harness.runtime.db.session() as s:
        reads = (await s.exec(select(AuditLog).where(AuditLog.action == "report.read"))).all()
    assert [r.actor for r in reads] == [f"therapist:{THERAPIST}"]


async def followups_due(h: BotHarness) -> list[datetime]:
    async with h.runtime.db.session() as s:
        rows = (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
    return sorted(w.due_at for w in rows)


async def test_a_client_who_never_answers_gets_one_honest_line(harness: BotHarness):
    """Three follow-ups, none answered, the last rating 12 days ago: one line, no chart."""
    alex = await harness.onboarded_client(CLIENT, "Alex", therapist=THERAPIST)
    therapist = harness.therapists[THERAPIST]
    await rate(harness, alex, at(23, 11), 4)
    await therapist.send("/session Alex mon 15:00")
    await therapist.next_reply()
    for due in await followups_due(harness):
        harness.clock.set(due + timedelta(minutes=1))
        await harness.tick()
        await alex.replies_until_idle(0.2)
    harness.clock.set(at(5, 12, 12))
    await therapist.send("/summary Alex")
    reply = await therapist.next_reply()
    assert reply.kind == "text"
    assert reply.buttons() == []  # no report of nothing
    assert reply.text == (
        "Alex: Nothing logged since the last session: 3 check-ins sent, none answered; "
        "last reply 12 days ago."
    )


async def test_snoozes_and_pauses_are_listed_with_their_dates(harness: BotHarness):
    """A snoozed check-in, an answered one and a pause (with its end) are in the summary."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    therapist = harness.therapists[THERAPIST]
    await therapist.send("/session Sam mon 15:00")
    await therapist.next_reply()
    first, second, *_ = await followups_due(harness)
    harness.clock.set(first + timedelta(minutes=1))
    await harness.tick()
    await harness.tap_when_shown(sam, "Tomorrow")
    await sam.replies_until_idle(0.2)
    harness.clock.set(second + timedelta(minutes=1))
    await harness.tick()
    await harness.tap_when_shown(sam, "7")
    await sam.replies_until_idle(0.2)
    harness.clock.set(at(25, 10))
    await sam.send("/pause")
    await harness.tap_when_shown(sam, "3 days")
    await sam.replies_until_idle(0.2)
    harness.clock.set(at(26, 10))
    await therapist.send("/summary Sam")
    assert (await therapist.next_reply()).kind == "photo"
    summary = (await therapist.next_reply()).text
    assert "paused until Sat 28 Nov 10:00" in summary
    assert "Check-ins: 2 sent, 1 answered, 0 unanswered, 1 snoozed" in summary
    assert "Paused check-ins Wed 25 Nov 10:00 until Sat 28 Nov 10:00" in summary
