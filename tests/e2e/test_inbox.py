"""The inbox end to end: an update is acknowledged only once stored, and a stored update is
handled even when the process that stored it stopped before handling it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlmodel import select
from telegram import Bot

from bot.service.inbox import InboxWorker, Received, store, take_head
from bot.service.ports import Incoming
from bot.storage import Database, upgrade_database
from bot.storage.models import InboxUpdate
from bot.testing import BotApiEmulator, Limits
from bot.testing.harness import BotHarness
from bot.transport.receiving import Poller, WebhookServer

THERAPIST = 1
CLIENT = 1001
pytestmark = pytest.mark.e2e


async def no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


async def test_polling_acknowledges_an_update_only_after_it_is_stored():
    """The first store fails (the database is away): the same update is fetched again, and the
    offset moves past it only after a store succeeded."""
    async with BotApiEmulator(limits=Limits(enforce=False)) as emu:
        user = emu.user(7, "Ann")
        update_id = await user.send("one")
        stored: list[list[int]] = []

        async def on_updates(rows: list[Received]) -> None:
            stored.append([r.update_id for r in rows])
            if len(stored) == 1:
                raise ConnectionError("database away")

        async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
            poller = Poller(bot, on_updates, timeout=1, sleep=no_wait)
            task = asyncio.create_task(poller.run())
            try:
                for _ in range(1000):
                    if not emu.state.updates.has_work():
                        break
                    await asyncio.sleep(0.01)
            finally:
                task.cancel()
        assert stored[:2] == [[update_id], [update_id]]  # not acknowledged while not stored
        assert poller.offset == update_id + 1


async def test_the_webhook_answers_200_only_after_storing(tmp_path: Path):
    """A store that fails answers 500 (Telegram sends the update again); /healthz reports the
    database; a forged request is refused."""
    port = _free_port()
    failing = True
    stored: list[int] = []

    async def on_updates(rows: list[Received]) -> None:
        if failing:
            raise ConnectionError("database away")
        stored.extend(r.update_id for r in rows)

    async def healthy() -> bool:
        if failing:
            raise ConnectionError("database away")
        return True

    async with BotApiEmulator(limits=Limits(enforce=False)) as emu:
        bot = Bot(emu.token, base_url=emu.base_url)
        server = WebhookServer(
            bot, on_updates, healthy, listen="127.0.0.1", port=port, path="/hook", secret="s3"
        )
        await server.start()
        update = {
            "update_id": 41,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 6, "type": "private"},
                "from": {"id": 6, "is_bot": False, "first_name": "A"},
                "text": "hi",
            },
        }
        url = f"http://127.0.0.1:{port}"
        secret = {"X-Telegram-Bot-Api-Secret-Token": "s3"}
        try:
            async with aiohttp.ClientSession() as http:
                async with http.post(f"{url}/hook", json=update, headers=secret) as response:
                    assert response.status == 500
                async with http.get(f"{url}/healthz") as response:
                    assert response.status == 503
                failing = False
                async with http.post(f"{url}/hook", json=update, headers=secret) as response:
                    assert response.status == 200
                async with http.post(f"{url}/hook", json=update) as response:
                    assert response.status == 403
                async with http.get(f"{url}/healthz") as response:
                    assert response.status == 200
        finally:
            await server.stop()
    assert stored == [41]


async def test_a_stored_update_is_handled_after_a_restart(tmp_path: Path):
    """The update was stored (and so acknowledged) but the process stopped before handling it:
    the next process handles it, once."""
    async with BotHarness(tmp_path) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await h.settled()
        inbox = h.runtime.inbox
        inbox.notify = lambda _chats: None  # type: ignore[method-assign]
        inbox._closing = True  # the scan takes nothing either: as if the process died now
        update_id = await sam.send("/help")
        for _ in range(500):  # until the poller's next call acknowledged it (after storing)
            if not h.emulator.state.updates.has_work():
                break
            await asyncio.sleep(0.01)
        async with h.runtime.db.session() as s:
            row = await s.get(InboxUpdate, update_id)
        assert row is not None
        assert row.status == "pending"
        assert await sam.replies_until_idle(0.3) == []

        await h.stop_bot()
        await h.start_bot()
        await h.settled()
        replies = await sam.replies_until_idle(0.3)
        assert len(replies) == 1
        assert "/checkin" in replies[0].text
        async with h.runtime.db.session() as s:
            done = (
                await s.exec(select(InboxUpdate).where(InboxUpdate.update_id == update_id))
            ).one()
        assert done.status == "done"
        assert done.payload == {}  # the client's words are not kept once handled


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_an_update_handed_over_while_another_replica_held_the_chat_is_not_stranded(
    tmp_path: Path,
):
    """The chat's task ends because another replica holds an earlier update; one more update
    of the chat is handed over just before it ends. Once the other replica is done, the scan
    wakes the chat here and its updates are handled, in order (they were left waiting for a
    hand-over that would never come)."""
    db = Database(f"sqlite:///{tmp_path}/inbox.sqlite3")
    await upgrade_database(db)
    now = datetime.now(UTC)
    chat = 7

    def incoming(update_id: int) -> Incoming:
        return Incoming(update_id, chat, chat, "text", text=f"update {update_id}")

    def payload(update_id: int) -> dict[str, Any]:
        return {"update_id": update_id}

    held_elsewhere = True  # another replica is still handling an earlier update of the chat
    calls = 0
    handled: list[int] = []

    async def handle(update: Incoming) -> bool:
        nonlocal calls
        calls += 1
        if calls == 2:  # the task reads the table and finds the chat held: in that instant...
            await store(db, [Received(3, chat, payload(3))], now)
            worker.hand_over([Received(3, chat, payload(3), incoming(3))])
        if held_elsewhere:
            return False
        async with db.session() as s:  # as the service takes it: its chat's first pending one
            if not await take_head(s, update.update_id, chat, db.is_sqlite, now):
                return False
        handled.append(update.update_id)
        return True

    worker = InboxWorker(
        db, handle, lambda p: incoming(int(p["update_id"])), lambda: now, idle_seconds=0.01
    )
    await store(db, [Received(n, chat, payload(n)) for n in (1, 2)], now)
    worker.hand_over([Received(2, chat, payload(2), incoming(2))])
    for _ in range(500):  # the chat's task gives up: an earlier update is held elsewhere
        if not worker.busy:
            break
        await asyncio.sleep(0.01)
    assert calls == 2
    held_elsewhere = False
    scan = asyncio.create_task(worker.run())
    try:
        for _ in range(500):
            if len(handled) == 3:
                break
            await asyncio.sleep(0.01)
    finally:
        await worker.stop(1.0)
        scan.cancel()
        await db.dispose()
    assert handled == [1, 2, 3]
