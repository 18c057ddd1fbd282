"""A client who deletes their data while an alert is open: the deletion stays possible and
complete, and the therapist is told, through the outbox, without any content."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from test_alert_escalation import ABUSE, THOUGHTS, WORDS, ask, write
from test_alerts import CLIENT, FALLBACK, THERAPIST, _config, events, log_rating

from bot.storage.models import OutboxMessage
from bot.testing.harness import BotHarness


@pytest.fixture
async def harness(tmp_path: Path):  # type: ignore[no-untyped-def]
    async with BotHarness(tmp_path, config=_config()) as h:
        h.user(FALLBACK, "On-call")
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        yield h


async def delete_all(h: BotHarness, sam) -> list[str]:  # type: ignore[no-untyped-def]
    """/delete, "Yes, delete all"; what the therapist got meanwhile."""
    ruiz = h.therapists[THERAPIST]
    await ruiz.replies_until_idle(0.3)
    await sam.send("/delete")
    await h.tap_when_shown(sam, "Yes, delete all")
    await sam.replies_until_idle(0.4)
    return [m.text for m in await ruiz.replies_until_idle(0.4) if m.text]


async def test_deleting_during_an_open_crisis_tells_the_therapist_without_content(harness) -> None:  # type: ignore[no-untyped-def]
    """/delete stays possible and complete; the therapist is told who left and that an open
    crisis alert was closed by it, with its time in their zone: no words, no category."""
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await write(h, sam, THOUGHTS)
    await write(h, sam, ABUSE)
    (note,) = [m for m in await delete_all(h, sam) if "deleted" in m]
    assert note.startswith("ℹ️ Sam deleted all their data")
    assert "open crisis alert from Mon 23 Nov 10:00 (Europe/London) (and 1 later)" in note
    assert "reach out" in note
    assert not any(w in note for w in WORDS)
    assert "suicidal" not in note
    assert "danger" not in note
    assert await events(h) == []  # the deletion is complete all the same
    assert "No open alerts" in await ask(h, "/alerts")
    async with h.runtime.db.session() as s:
        rows = (await s.exec(select(OutboxMessage).where(OutboxMessage.chat_id == THERAPIST))).all()
    assert rows
    assert all(r.status == "sent" for r in rows)


async def test_an_open_contact_advised_alert_is_named_as_such(harness) -> None:  # type: ignore[no-untyped-def]
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await log_rating(h, sam, "9")
    (note,) = [m for m in await delete_all(h, sam) if "deleted" in m]
    assert "open alert (contact advised) from" in note
    assert "crisis" not in note
    assert "distress" not in note


async def test_no_note_without_an_open_alert(harness) -> None:  # type: ignore[no-untyped-def]
    """Nothing open (never alerted, or acknowledged): the deletion is the client's own business."""
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await write(h, sam, THOUGHTS)
    ruiz = h.therapists[THERAPIST]
    alert = next(m for m in h.emulator.sent_messages(THERAPIST) if "alert #" in m.text)
    await ruiz.replies_until_idle(0.3)
    await ruiz.tap("Acknowledge", alert)
    await ruiz.replies_until_idle(0.3)
    assert [m for m in await delete_all(h, sam) if "deleted" in m] == []
    bob = await h.onboarded_client(CLIENT + 1, "Bob", therapist=THERAPIST)
    assert [m for m in await delete_all(h, bob) if "deleted" in m] == []
