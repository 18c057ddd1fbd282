"""Three `checkin run` replicas on one PostgreSQL in webhook mode, one killed with SIGKILL midway.

The test is the reverse proxy: it posts 2,000 updates from 200 chats round-robin to the three
replicas' webhooks (a chat's next update only after the previous one was answered 200, as
Telegram does), and when a replica is gone it tries the next one (nginx's proxy_next_upstream).
Replies go to the loopback Bot API. Checked: every update handled once, each chat's replies in
order (all chats follow the same script, so all must see the same replies; a duplicate from
the kill is allowed only when recorded as a resend), and every due check-in sent once.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, text
from sqlmodel import SQLModel, col, select

from bot.storage import Database
from bot.storage.models import (
    Client,
    DueWork,
    InboxUpdate,
    OutboxMessage,
    ProcessedUpdate,
    Therapist,
)
from bot.testing import BotApiEmulator, Limits
from bot.testing.driver import command_entities

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]
CHECKIN = str(Path(sys.executable).with_name("checkin"))
# 2,000 updates from 200 chats, as issue 12 asks: about 50 s on this 2-core machine at load 1.5
# (bench/RESULTS.md); CHECKIN_REPLICA_TEST_CHATS=60 is a shorter run that still kills midway.
CHATS = int(os.environ.get("CHECKIN_REPLICA_TEST_CHATS", "200"))
SCRIPT = ("/checkin", "5", "Nothing now", "/help", "/next") * 2  # 10 updates a chat
DUE = 30  # clients with a check-in due when the replicas start
SECRET = "replica-test-secret"
TOKEN = "42:REPLICAS"


def _differences(sequences: set[tuple[str, ...]]) -> str:
    """Where the chats' reply sequences part (for the failure message)."""
    first, *others = sorted(sequences, key=len)
    lines = [f"{len(sequences)} different reply sequences; lengths {[len(q) for q in sequences]}"]
    for other in others:
        at = next(
            (i for i, (a, b) in enumerate(zip(first, other, strict=False)) if a != b), len(first)
        )
        lines.append(f"at reply {at}: {first[at : at + 2]!r} vs {other[at : at + 2]!r}")
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _prepare(db: Database) -> tuple[list[int], list[int]]:
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    now = datetime.now(UTC)
    chats = [100_000 + i for i in range(CHATS)]
    due_chats = [200_000 + i for i in range(DUE)]
    async with db.session() as s:
        # No morning caseload digest: a run from 08:30 to 09:30 (London) would send one to this
        # therapist, whom the loopback API does not know, and fail it (the test counts failures).
        therapist = Therapist(
            telegram_id=1, name="Dr. Replica", contact="+44 20 0000 0000", caseload_time="off"
        )
        s.add(therapist)
        await s.flush()
        clients = []
        for chat in chats + due_chats:
            client = Client(
                therapist_id=therapist.id,  # type: ignore[arg-type]
                telegram_id=chat,
                chat_id=chat,
                first_name="Sam",
                consent_checkins=True,
            )
            s.add(client)
            clients.append(client)
        await s.flush()
        for client in clients[CHATS:]:
            s.add(
                DueWork(
                    key=f"checkin:replicas:{client.id}",
                    kind="checkin",
                    client_id=client.id,
                    due_at=now - timedelta(minutes=1),
                )
            )
    return chats, due_chats


def _config(folder: Path, port: int, api: str) -> Path:
    path = folder / f"replica-{port}.yaml"
    path.write_text(
        "telegram:\n"
        f'  api_base_url: "{api}"\n'
        '  mode: "webhook"\n'
        f'  webhook_url: "http://127.0.0.1:{port}/telegram"\n'
        '  listen: "127.0.0.1"\n'
        f"  port: {port}\n"
        '  path: "/telegram"\n'
        '  send_lease: "30s"\n'  # how soon a killed replica's claimed messages are resent
        f'flows_dir: "{ROOT / "flows"}"\n'
    )
    return path


async def _start_replica(folder: Path, port: int, api: str, url: str, log: Any) -> Any:
    env = dict(os.environ)
    env.update(
        CHECKIN_CONFIG=str(_config(folder, port, api)),
        DATABASE_URL=url,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
    )
    env.pop("TELEGRAM_API_BASE_URL", None)
    return await asyncio.create_subprocess_exec(
        CHECKIN,
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=log,  # the replica's log, to read when the test fails
    )


def _update(update_id: int, chat: int, message_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": {"id": chat, "is_bot": False, "first_name": "Sam", "language_code": "en"},
        "chat": {"id": chat, "type": "private", "first_name": "Sam"},
        "date": int(datetime.now(UTC).timestamp()),
        "text": text,
    }
    entities = command_entities(text)
    if entities:
        message["entities"] = entities
    return {"update_id": update_id, "message": message}


async def _wait_for(db: Database, *, timeout: float) -> None:  # noqa: ASYNC109
    """Until every update is handled, every message delivered and every check-in sent."""
    end = asyncio.get_running_loop().time() + timeout
    while True:
        async with db.session() as s:
            pending = (
                await s.exec(
                    select(func.count())
                    .select_from(InboxUpdate)
                    .where(col(InboxUpdate.status) == "pending")
                )
            ).one()
            unsent = (
                await s.exec(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(col(OutboxMessage.status).in_(("pending", "sending")))
                )
            ).one()
            waiting = (
                await s.exec(
                    select(func.count())
                    .select_from(DueWork)
                    .where(col(DueWork.kind) == "checkin")  # not the reminders they planned
                    .where(col(DueWork.status).in_(("pending", "claimed", "sending")))
                )
            ).one()
        if not (pending or unsent or waiting):
            return
        if asyncio.get_running_loop().time() > end:
            raise TimeoutError(f"left: {pending} updates, {unsent} messages, {waiting} check-ins")
        await asyncio.sleep(0.5)


async def test_three_replicas_one_killed_lose_and_reorder_nothing(pg_url: str, tmp_path: Path):
    db = Database(pg_url)
    try:
        await _run(db, pg_url, tmp_path)
    finally:
        await db.dispose()


async def _run(db: Database, pg_url: str, tmp_path: Path) -> None:
    chats, due_chats = await _prepare(db)
    ports = [_free_port() for _ in range(3)]
    async with BotApiEmulator(token=TOKEN, limits=Limits(enforce=False)) as emu:
        for chat in chats + due_chats:
            emu.user(chat, "Sam")
        logs = [(tmp_path / f"replica-{p}.log").open("wb") for p in ports]
        replicas = [
            await _start_replica(tmp_path, p, emu.base_url, pg_url, log)
            for p, log in zip(ports, logs, strict=True)
        ]
        try:
            for proc in replicas:
                line = b""
                while b"is running" not in line:  # after any start-up notes
                    line = await asyncio.wait_for(proc.stdout.readline(), 90)
                    assert line, "a replica ended before it was running"
            alive = [True, True, True]
            posted = 0
            killed = asyncio.Event()

            async def post(http: aiohttp.ClientSession, start: int, update: dict[str, Any]) -> None:
                nonlocal posted
                for attempt in itertools.count():
                    index = (start + attempt) % 3
                    if not alive[index]:
                        continue
                    try:
                        async with http.post(
                            f"http://127.0.0.1:{ports[index]}/telegram",
                            json=update,
                            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                        ) as response:
                            if response.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    assert attempt < 50, "no replica took the update"
                    await asyncio.sleep(0.05)
                posted += 1
                if posted == len(chats) * len(SCRIPT) // 2 and not killed.is_set():
                    killed.set()
                    alive[2] = False
                    replicas[2].send_signal(signal.SIGKILL)

            async def chat_script(http: aiohttp.ClientSession, n: int, chat: int) -> None:
                for step, text in enumerate(SCRIPT):
                    update_id = step * len(chats) + n + 1  # increasing within each chat
                    await post(http, n + step, _update(update_id, chat, step + 1, text))

            connector = aiohttp.TCPConnector(limit=60)
            async with aiohttp.ClientSession(connector=connector) as http:
                await asyncio.gather(*(chat_script(http, n, c) for n, c in enumerate(chats)))
            assert killed.is_set()
            await _wait_for(db, timeout=240)
        finally:
            for proc in replicas:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in replicas:
                await asyncio.wait_for(proc.wait(), 30)
            for log in logs:
                log.close()

        async with db.session() as s:
            handled = (await s.exec(select(func.count()).select_from(ProcessedUpdate))).one()
            statuses = (await s.exec(select(InboxUpdate.status))).all()
            resends = (await s.exec(select(func.sum(OutboxMessage.resends)))).one() or 0
            failed = (
                await s.exec(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.status == "failed")
                )
            ).one()
            due = (
                await s.exec(
                    select(DueWork.status, DueWork.message_id).where(DueWork.kind == "checkin")
                )
            ).all()
            checkin_resends = dict(
                (
                    await s.exec(
                        select(OutboxMessage.chat_id, func.sum(OutboxMessage.resends))
                        .where(col(OutboxMessage.work_id).is_not(None))
                        .group_by(col(OutboxMessage.chat_id))
                    )
                ).all()
            )

        assert handled == len(chats) * len(SCRIPT)  # each update handled, and once
        assert set(statuses) == {"done"}
        assert len(statuses) == len(chats) * len(SCRIPT)
        assert failed == 0
        # The same script for everyone: the same replies, in the same order, for every chat.
        duplicates = 0
        sequences = set()
        for chat in chats:
            texts = [m.text for m in emu.sent_messages(chat)]
            collapsed = [t for i, t in enumerate(texts) if i == 0 or texts[i - 1] != t]
            duplicates += len(texts) - len(collapsed)
            sequences.add(tuple(collapsed))
        assert len(sequences) == 1, _differences(sequences)
        [sequence] = sequences
        assert len(sequence) >= len(SCRIPT)
        assert duplicates <= resends  # a duplicate only where a resend was recorded
        # Every due check-in sent once, recorded with the id of a message the client has. Its
        # question is one outbox row; a second copy only where that row records a resend (the
        # killed replica was sending it: Telegram may have had it already).
        assert [status for status, _ in due] == ["sent"] * DUE
        for chat in due_chats:
            questions = [m for m in emu.sent_messages(chat) if "0 to 10" in m.text]
            assert 1 <= len(questions) <= 1 + checkin_resends.get(chat, 0)
        sent_ids = {m.message_id for chat in due_chats for m in emu.sent_messages(chat)}
        assert all(message_id in sent_ids for _, message_id in due)
