"""Hand-offs inside one process are woken by an event, never left to a poll.

The background loops (the inbox scan, the sender's idle round) only look for what other
replicas stored or a dead process left. Here their polls are made far slower than the test's
timeouts, so a hand-off that relied on them would fail the test instead of merely being slow.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.dialogue.contracts import Keyboard
from bot.service.core import STEP_CONCURRENCY
from bot.service.inbox import Received, store
from bot.service.outgoing import Batch
from bot.testing.harness import BotHarness
from bot.transport.receiving import received

THERAPIST = 1
CLIENT = 1001
pytestmark = pytest.mark.e2e
SLOW_POLL = 60.0  # seconds: far beyond every wait below


@pytest.fixture
async def harness(tmp_path: Path):  # type: ignore[no-untyped-def]
    from bot.service.outbox import OutboxSettings

    async with BotHarness(tmp_path, outbox=OutboxSettings(idle_seconds=SLOW_POLL)) as h:
        h.runtime.inbox.idle_seconds = SLOW_POLL
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        yield h


def message(update_id: int, text: str) -> dict[str, Any]:
    """A Telegram update for a command typed by the client, as the Bot API sends it."""
    person = {"id": CLIENT, "is_bot": False, "first_name": "Sam"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": CLIENT, "type": "private", "first_name": "Sam"},
            "from": person,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_a_message_queued_behind_one_in_flight_goes_out_when_that_one_is_accepted(
    harness: BotHarness,
):
    """The chat's first message is being sent when a second is queued (it must wait its turn):
    the second goes out as soon as the first is recorded, not at the sender's next idle round."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    service = harness.runtime.service
    first, second = Batch(), Batch()
    first.say(CLIENT, "first")
    second.say(CLIENT, "second")
    async with harness.runtime.db.session() as s:
        first_rows = await service.queue(s, first)
    async with harness.runtime.db.session() as s:
        second_rows = await service.queue(s, second)
    assert [r.status for r in first_rows + second_rows] == ["sending", "pending"]
    await service.sender.deliver(second_rows)  # not ours to send: the background loop's
    await service.sender.deliver(first_rows)
    assert (await sam.next_reply(timeout=2)).text == "first"
    assert (await sam.next_reply(timeout=5)).text == "second"  # would wait SLOW_POLL


async def test_an_update_stored_elsewhere_is_handled_before_a_later_one_handed_over(
    harness: BotHarness,
):
    """An earlier update of the chat sits in the inbox (stored by another replica, or by a
    process that died before handling it); a later one arrives here. The later one is not
    handled first: the worker falls back to the table and answers both, in update order."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    runtime = harness.runtime
    now = harness.clock.now()
    await store(runtime.db, [Received(50_000, CLIENT, message(50_000, "/help"))], now)
    await runtime.receive(received(runtime.bot, [message(50_001, "/next")]))
    first = await sam.next_reply(timeout=5)
    second = await sam.next_reply(timeout=5)
    assert "/checkin" in first.text  # /help's answer first
    assert "/checkin" not in second.text
    harness.clock.advance(timedelta(seconds=1))
    await harness.settled(timeout=5)


async def test_deliveries_held_up_do_not_hold_up_other_peoples_steps(harness: BotHarness):
    """However many deliveries wait (for a chat's pacing, a slow Bot API), the next person's step
    runs: only step transactions are bounded, not the sends after their commit."""
    api = harness.runtime.service.sender.api
    real_send = api.send
    stuck = {2001 + n for n in range(STEP_CONCURRENCY + 2)}
    waiting: set[int] = set()
    release = asyncio.Event()

    async def send(chat_id: int, text: str, buttons: Keyboard = ()) -> int:
        if chat_id in stuck:
            waiting.add(chat_id)
            await release.wait()
        return await real_send(chat_id, text, buttons)

    api.send = send  # type: ignore[method-assign]
    try:
        for user_id in sorted(stuck):
            await harness.user(user_id, f"Person {user_id}").send("hello")
        for _ in range(500):
            if waiting == stuck:
                break
            await asyncio.sleep(0.01)
        assert waiting == stuck
        ann = harness.user(3001, "Ann")
        await ann.send("hello")
        assert await ann.next_reply(timeout=5)
    finally:
        release.set()
    await harness.settled(timeout=5)
