"""Dispatcher + Delivery + the loopback Bot API: due rows become messages exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sched_rows import add_due, make_client, make_therapist, rows
from telegram import Bot

from bot.clock import FakeClock
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.outcomes import Outcome, Retry, Sent, Skipped
from bot.storage import Database
from bot.storage.models import DueWork
from bot.testing.emulator import BotApiEmulator
from bot.testing.limits import Limits
from bot.transport.delivery import Delivery, DeliveryFailed, DeliveryLimits, RecipientBlocked

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.e2e
async def test_due_follow_ups_reach_each_chat_once_through_429s_and_a_blocked_user(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12 timed messages for 4 clients under injected 429s: each arrives once; a blocked client is
    skipped. (Timers, because several overdue follow-ups for one client are merged into one.)"""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    db = sqlite_db
    therapist = await make_therapist(db)
    clients = [await make_client(db, therapist, telegram_id=3000 + n) for n in range(4)]
    for client in clients:
        for k in range(3):
            await add_due(
                db, f"f:{client.chat_id}:{k}", T0 - timedelta(minutes=k), client, kind="timer"
            )
    async with BotApiEmulator(limits=Limits(enforce=False)) as emu:
        for client in clients:
            emu.user(client.chat_id, "Sam")
        emu.block(clients[3].chat_id)
        emu.fail_next("sendMessage", status=429, retry_after=1, times=6)
        async with Bot(emu.token, base_url=emu.base_url) as bot:

            async def no_wait(_seconds: float) -> None:
                await asyncio.sleep(0)

            delivery = Delivery(bot, DeliveryLimits(enabled=False), sleep=no_wait)

            async def handler(row: DueWork) -> Outcome:
                client = next(c for c in clients if c.id == row.client_id)
                try:
                    message = await delivery.send_message(client.chat_id, row.key)
                except RecipientBlocked:
                    return Skipped("unreachable")
                except DeliveryFailed as exc:
                    return Retry(exc.reason)
                return Sent(message.message_id)

            report = await Dispatcher(db, FakeClock(T0), handler, worker_id="e2e").tick()
        for client in clients[:3]:
            received = sorted(m.text for m in emu.sent_messages(client.chat_id))
            assert received == [f"f:{client.chat_id}:{k}" for k in range(3)]
        assert emu.sent_messages(clients[3].chat_id) == []
    assert (report.sent, report.reasons) == (9, {"unreachable": 3})
    stored = await rows(db)
    assert all(r.message_id for r in stored.values() if r.status == "sent")
    assert delivery.retry_after_seen == 6
