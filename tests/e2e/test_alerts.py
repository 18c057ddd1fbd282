"""Therapist alerts end to end: delivered or escalated, never silently lost, pushed again only when
the level rises, never for a client who declined them."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import Config
from bot.storage.models import DueWork, LogEntry, TriageEvent
from bot.testing.harness import BotHarness

THERAPIST = 1
FALLBACK = 99  # the clinic's on-call admin chat
CLIENT = 1001
FLOWS = Path(__file__).resolve().parents[2] / "flows"


def _config(**alerts: object) -> Config:
    config = Config(flows_dir=FLOWS)
    return config.model_copy(
        update={"alerts": config.alerts.model_copy(update={"fallback_chat_id": FALLBACK, **alerts})}
    )


async def events(h: BotHarness) -> list[TriageEvent]:
    async with h.runtime.db.session() as s:
        return list((await s.exec(select(TriageEvent).order_by(TriageEvent.id))).all())


def alerts_to(h: BotHarness, chat_id: int) -> list[str]:
    return [m.text for m in h.emulator.sent_messages(chat_id) if "alert #" in m.text]


async def log_rating(h: BotHarness, sam, rating: str, usual: str = "Yes") -> None:  # type: ignore[no-untyped-def]
    """/log: no feelings, a rating, "Can you do your usual things?" `usual`, the rest skipped."""
    await sam.send("/log")
    await h.tap_when_shown(sam, "Done")
    await h.tap_when_shown(sam, rating)
    await h.tap_when_shown(sam, "All the time")
    await h.tap_when_shown(sam, "Done")
    await h.tap_when_shown(sam, usual)
    await h.tap_when_shown(sam, "Skip")
    await sam.replies_until_idle(0.4)


@pytest.fixture
async def harness(tmp_path: Path):  # type: ignore[no-untyped-def]
    async with BotHarness(tmp_path, config=_config()) as h:
        h.user(FALLBACK, "On-call")  # the admin chat opened the bot
        yield h


async def test_a_therapist_who_never_started_the_bot_gets_it_via_the_fallback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """400 chat not found: the on-call contact gets the alert, the event is not 'delivered',
    and an ERROR names the therapist (never the client's words)."""
    async with BotHarness(tmp_path, config=_config()) as h:
        h.user(FALLBACK, "On-call")
        await h.add_therapist(THERAPIST, "Dr. Ruiz", started=False)
        sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        with caplog.at_level(logging.ERROR):
            await sam.send("I want to kill myself")
            await sam.replies_until_idle(0.4)
        fallback = alerts_to(h, FALLBACK)
        assert len(fallback) == 1
        assert "Dr. Ruiz (Telegram id 1)" in fallback[0]
        assert "Crisis alert for Sam" in fallback[0]
        (event,) = await events(h)
        assert event.delivery == "escalated"
        assert event.delivered_at is None
        assert event.delivered_to == FALLBACK
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert any("Telegram id 1" in e and "never opened the bot" in e for e in errors)
        assert not any("kill" in e for e in errors)


async def test_telegram_down_for_two_minutes_the_alert_arrives_afterwards_once(harness) -> None:  # type: ignore[no-untyped-def]
    """Every send to the therapist fails for two minutes; the dispatcher retries with backoff
    and the alert arrives once, marked delivered with Telegram's message id."""
    h = harness
    await h.add_therapist(THERAPIST, "Dr. Ruiz")
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    h.emulator.fail_next("sendMessage", status=502, times=1000)  # Telegram is down
    await sam.send("I want to kill myself")
    await sam.replies_until_idle(0.4)  # (the client's own crisis reply failed too)
    for _ in range(4):  # two minutes of outage: 30 s, 1 min, ... backoff
        h.clock.advance(timedelta(seconds=30))
        await h.tick()
    assert alerts_to(h, THERAPIST) == []
    (event,) = await events(h)
    assert event.delivery == "retrying"
    assert event.attempts >= 2
    assert event.delivered_at is None
    h.emulator.clear_faults()  # Telegram is back
    h.clock.advance(timedelta(minutes=5))
    await h.tick()
    await h.tick()
    assert len(alerts_to(h, THERAPIST)) == 1
    (event,) = await events(h)
    assert event.delivery == "delivered"
    assert event.message_id == h.emulator.sent_messages(THERAPIST)[-1].message_id
    h.clock.advance(timedelta(minutes=30))
    await h.tick()
    assert len(alerts_to(h, THERAPIST)) == 1  # once


async def test_concern_to_crisis_pushes_a_second_alert_and_nothing_changed_pushes_none(
    harness,  # type: ignore[no-untyped-def]
) -> None:
    """A 9 alerts (contact advised); a second 9 changes nothing; then a crisis message pushes
    a new crisis alert inside the grouping window."""
    h = harness
    await h.add_therapist(THERAPIST, "Dr. Ruiz")
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await log_rating(h, sam, "9")
    first = alerts_to(h, THERAPIST)
    assert len(first) == 1
    assert "Contact advised" in first[0]
    assert "distress rated 9 or 10" in first[0]
    assert "Last ratings (0-10): 9" in first[0]
    h.clock.advance(timedelta(minutes=20))
    await log_rating(h, sam, "9")
    assert len(alerts_to(h, THERAPIST)) == 1  # nothing changed: no new push
    h.clock.advance(timedelta(minutes=30))
    await sam.send("I want to kill myself")
    await sam.replies_until_idle(0.4)
    pushed = alerts_to(h, THERAPIST)
    assert len(pushed) == 2
    assert "Crisis alert for Sam" in pushed[1]
    assert "suicidal thoughts" in pushed[1]


async def test_a_client_who_declined_alerts_pushes_nothing_and_nothing_is_open(harness) -> None:  # type: ignore[no-untyped-def]
    """No consent: a crisis and a 10 push nothing; /alerts and the summary show nothing open."""
    h = harness
    await h.add_therapist(THERAPIST, "Dr. Ruiz")
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST, alerts=False)
    await sam.send("I want to kill myself")
    await sam.replies_until_idle(0.4)
    await log_rating(h, sam, "10", usual="No")
    await h.tick()
    assert alerts_to(h, THERAPIST) == []
    assert alerts_to(h, FALLBACK) == []
    ruiz = h.therapists[THERAPIST]
    await ruiz.send("/alerts")
    assert (await ruiz.next_reply()).text == "No open alerts."
    await ruiz.send("/summary Sam")
    summary = (await ruiz.next_text()).text
    assert "open triage alert" not in summary
    assert "chose not to share alerts" in summary
    async with h.runtime.db.session() as s:
        assert (await s.exec(select(DueWork).where(DueWork.kind == "alert"))).all() == []


async def test_log_unable_to_function_records_and_alerts_at_once(harness) -> None:  # type: ignore[no-untyped-def]
    """/log with "usual things: no" is recorded and alerts the therapist (contact now),
    with the alert buttons; "I contacted them" is recorded and shown in the summary."""
    h = harness
    await h.add_therapist(THERAPIST, "Dr. Ruiz")
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await log_rating(h, sam, "5", usual="No")
    async with h.runtime.db.session() as s:
        (entry,) = (await s.exec(select(LogEntry))).all()
    assert entry.unable_to_function is True
    (alert,) = alerts_to(h, THERAPIST)
    assert "Contact now advised" in alert
    assert "unable to function" in alert
    ruiz = h.therapists[THERAPIST]
    message = await ruiz.next_reply()
    assert "alert #" in message.text
    await ruiz.tap("I contacted them")
    assert "Noted: you contacted Sam" in (await ruiz.next_reply()).text
    await ruiz.replies_until_idle(0.3)
    current = next(
        m for m in h.emulator.sent_messages(THERAPIST) if m.message_id == message.message_id
    )
    assert current.button("Summary") is not None  # the other buttons stay until acknowledged
    await ruiz.tap("Summary", current)
    summary = (await ruiz.next_text()).text
    assert "Contact now advised: unable to function; you contacted them" in summary
    await ruiz.replies_until_idle(0.3)
    await ruiz.tap("Acknowledge", current)
    assert "acknowledged" in (await ruiz.next_reply()).text
    (event,) = [e for e in await events(h) if e.alerted_at is not None]
    assert event.contacted_at is not None
    assert event.acknowledged_at is not None


async def test_partly_with_raised_distress_alerts(harness) -> None:  # type: ignore[no-untyped-def]
    """ "Partly" with distress at the threshold is unable to function: recorded, alerted."""
    h = harness
    await h.add_therapist(THERAPIST, "Dr. Ruiz")
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await log_rating(h, sam, "6", usual="Partly")
    async with h.runtime.db.session() as s:
        (entry,) = (await s.exec(select(LogEntry))).all()
    assert entry.partly_unable is True
    (alert,) = alerts_to(h, THERAPIST)
    assert "unable to function" in alert


async def test_silence_after_high_distress_alerts_the_therapist(harness) -> None:  # type: ignore[no-untyped-def]
    """An 8, then 48 hours without an answer: the silence timer alerts the therapist."""
    h = harness
    await h.add_therapist(THERAPIST, "Dr. Ruiz")
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await log_rating(h, sam, "8")
    assert alerts_to(h, THERAPIST) == []
    h.clock.advance(timedelta(hours=48, minutes=1))
    await h.tick()
    await h.tick()
    (alert,) = alerts_to(h, THERAPIST)
    assert "silence after high distress" in alert
    assert "They were not told anything" in alert


async def test_start_up_names_the_therapists_it_cannot_reach(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A restart logs an ERROR for a therapist who never opened the bot, with the fix."""
    async with BotHarness(tmp_path, config=_config()) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz", started=False)
        await h.add_therapist(2, "Dr. Lee")
        await h.stop_bot()
        with caplog.at_level(logging.ERROR):
            await h.start_bot()
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1
        assert "Telegram id 1" in errors[0]
        assert "send /start" in errors[0]
