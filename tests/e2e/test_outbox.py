"""The transactional outbox end to end: nothing is recorded as sent that Telegram did not accept.

The bot runs on the loopback emulator; the emulator's fault injection stands in for a Bot API
that answers 500 for a while, and a sender that "dies" after the commit stands in for kill -9.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.service.outbox import OutboxSettings
from bot.service.outgoing import Batch
from bot.storage.models import DueWork, OutboxMessage
from bot.testing.driver import SimulatedUser
from bot.testing.harness import BotHarness
from bot.transport.delivery import DeliveryLimits

THERAPIST = 1
CLIENT = 1001
pytestmark = pytest.mark.e2e
# Two quick tries inside a call, then the outbox's own retries (on the FakeClock).
QUICK = DeliveryLimits(enabled=False, max_attempts=2, backoff_base=0.01)
SETTINGS = OutboxSettings(deadline=timedelta(minutes=30), retry_base=timedelta(seconds=10))


@pytest.fixture
async def harness(tmp_path: Path):  # type: ignore[no-untyped-def]
    async with BotHarness(tmp_path, delivery=QUICK, outbox=SETTINGS) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        yield h


async def due_followup(h: BotHarness, sam: SimulatedUser) -> DueWork:
    """Plan the after-session follow-ups and move the clock to the first one."""
    await sam.send("/aftersession")
    await sam.replies_until_idle(0.3)
    async with h.runtime.db.session() as s:
        rows = (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
    first = min(rows, key=lambda r: r.due_at)
    h.clock.set(first.due_at + timedelta(seconds=1))
    return first


async def work(h: BotHarness, work_id: int | None) -> DueWork:
    async with h.runtime.db.session() as s:
        row = await s.get(DueWork, work_id, populate_existing=True)
    assert row is not None
    return row


async def outbox_rows(h: BotHarness, **where: Any) -> list[OutboxMessage]:
    async with h.runtime.db.session() as s:
        query = select(OutboxMessage).order_by(OutboxMessage.id)  # type: ignore[arg-type]
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list((await s.exec(query.execution_options(populate_existing=True))).all())


async def test_a_checkin_counts_as_sent_only_once_telegram_accepted_it(harness: BotHarness):
    """The Bot API answers 500 while the check-in is due: the work waits in `sending`, the
    client has seen nothing; when the API is back, the retry delivers it and only then is the
    work `sent`, with the message id Telegram gave."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    followup = await due_followup(harness, sam)
    before = len(harness.emulator.sent_messages(CLIENT))
    harness.emulator.fail_next("sendMessage", status=500, times=2)
    report = await harness.tick()
    assert report.queued == 1
    assert report.sent == 0
    assert (await work(harness, followup.id)).status == "sending"
    assert len(harness.emulator.sent_messages(CLIENT)) == before
    [waiting, *_] = await outbox_rows(harness, work_id=followup.id, kind="send")
    assert (waiting.status, waiting.attempts, waiting.message_id) == ("pending", 1, None)

    harness.clock.advance(timedelta(minutes=1))  # past the jittered retry time
    await harness.outbox_drained()
    done = await work(harness, followup.id)
    shown = harness.emulator.sent_messages(CLIENT)[before:]
    assert done.status == "sent"
    assert done.message_id == max(m.message_id for m in shown)
    assert "0 to 10" in shown[0].text
    rows = await outbox_rows(harness, work_id=followup.id)
    assert {r.status for r in rows} == {"sent"}
    assert all(r.payload == {} for r in rows)  # the text is not kept once delivered


async def test_a_message_never_accepted_fails_visibly_at_its_deadline(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
):
    """The API stays down past the deadline: the message and its check-in are `failed`, an
    ERROR names the ids, nothing is recorded as sent, and the text is not kept."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    followup = await due_followup(harness, sam)
    harness.emulator.fail_next("sendMessage", status=502, times=10_000)
    await harness.tick()
    caplog.set_level(logging.WARNING, logger="bot.service.outbox")
    for _ in range(12):  # retries with backoff, until the 30 minutes are over
        harness.clock.advance(timedelta(minutes=3))
        await harness.outbox_drained()
    failed = await work(harness, followup.id)
    assert failed.status == "failed"
    assert failed.outcome is not None
    assert failed.outcome.startswith("not delivered")
    assert failed.message_id is None
    [first, *_] = await outbox_rows(harness, work_id=followup.id, kind="send")
    assert first.status == "failed"
    assert first.attempts > 3
    assert first.payload == {}  # the undelivered text is not kept either
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any(f"outbox message {first.id} (chat {CLIENT}" in r.getMessage() for r in errors)


async def test_a_sender_that_dies_after_the_commit_loses_nothing(harness: BotHarness):
    """The step commits (state and reply together), then the process 'dies' before sending:
    once the claim's lease has run out, the reply is sent, and the possible duplicate is
    counted."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    sender = harness.runtime.service.sender
    real_deliver = sender.deliver

    async def dies(_rows: object) -> None:
        return None

    sender.deliver = dies  # type: ignore[method-assign]
    await sam.send("/checkin")
    assert await sam.replies_until_idle(0.3) == []
    [row] = await outbox_rows(harness, status="sending")
    sender.deliver = real_deliver  # type: ignore[method-assign]
    harness.clock.advance(SETTINGS.lease + timedelta(seconds=1))
    await harness.outbox_drained()
    reply = await sam.next_reply(timeout=5)
    assert "0 to 10" in reply.text
    [again] = await outbox_rows(harness, id=row.id)
    assert (again.status, again.resends) == ("sent", 1)


async def test_one_chats_messages_keep_their_order_behind_a_failure(harness: BotHarness):
    """A reply that must wait holds back the next one for the same chat (never overtaken)."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    harness.emulator.fail_next("sendMessage", status=500, times=2)
    await sam.send("/help")
    await sam.send("/next")
    assert await sam.replies_until_idle(0.3) == []
    rows = await outbox_rows(harness, status="pending")
    assert len(rows) == 2
    harness.clock.advance(timedelta(minutes=1))
    await harness.outbox_drained()
    replies = [r.text for r in await sam.replies_until_idle(0.3)]
    assert len(replies) == 2
    assert "/checkin" in replies[0]  # /help's answer first, then /next's


async def test_a_message_to_a_chat_telegram_does_not_know_fails_at_once(harness: BotHarness):
    """400 "chat not found" (never opened the bot, or the account is gone): no retry can help,
    so the row fails on the first attempt instead of being retried until its deadline."""
    service = harness.runtime.service
    batch = Batch()
    batch.say(999_999, "hello")
    async with harness.runtime.db.session() as s:
        rows = await service.queue(s, batch)
    await service.sender.deliver(rows)
    [row] = await outbox_rows(harness, chat_id=999_999)
    assert (row.status, row.error, row.attempts) == ("failed", "chat not found", 1)


async def test_deliveries_finished_while_the_database_is_busy_are_recorded_together(
    harness: BotHarness,
):
    """On SQLite, deliveries of several chats that Telegram accepted while the database was busy
    are recorded in one transaction (one UPDATE run for all their rows), each with its message
    id, and no caller goes on before its rows are committed."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    kim = await harness.onboarded_client(CLIENT + 1, "Kim", therapist=THERAPIST)
    await harness.settled()
    service = harness.runtime.service
    queued = []
    for chat in (CLIENT, CLIENT + 1):
        batch = Batch()
        batch.say(chat, f"hello {chat}")
        async with harness.runtime.db.session() as s:
            queued.append(await service.queue(s, batch))
    marked: list[int] = []  # rows per run of the UPDATE that marks rows sent

    def count(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        if statement.startswith("UPDATE outbox_message SET payload"):
            marked.append(len(params) if many else 1)

    engine = harness.runtime.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    log = service.sender._log
    assert log is not None
    try:
        async with harness.runtime.db.session():  # the database is busy (this process's turn)
            deliveries = [asyncio.create_task(service.sender.deliver(rows)) for rows in queued]
            assert (await sam.next_reply(timeout=5)).text == f"hello {CLIENT}"
            assert (await kim.next_reply(timeout=5)).text == f"hello {CLIENT + 1}"
            for _ in range(500):  # both accepted, and waiting to be recorded
                if len(log._queue) == 2:
                    break
                await asyncio.sleep(0.01)
            assert len(log._queue) == 2
            assert not any(d.done() for d in deliveries)  # not before they are recorded
        await asyncio.gather(*deliveries)
        rows = await outbox_rows(harness)  # read at once: recorded before deliver() returned
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert marked == [2]
    mine = [r for r in rows if r.id in {q.id for rows in queued for q in rows}]
    assert [(r.status, r.message_id is not None, r.claimed_by) for r in mine] == [
        ("sent", True, None),
        ("sent", True, None),
    ]
