"""`checkin run` as an operator meets it: clear start-up errors, retries, clean shutdown, webhooks."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.config import Config
from bot.testing import BotApiEmulator, Limits
from bot.transport.delivery import DeliveryLimits
from bot.transport.telegram_bot import StartupError, initialize_with_retries
from bot.wiring import build_runtime, start, stop

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
CHECKIN = str(Path(sys.executable).with_name("checkin"))


def _env(tmp_path: Path, base_url: str, token: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TELEGRAM_API_BASE_URL=base_url,
        TELEGRAM_BOT_TOKEN=token,
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
    )
    env.pop("CHECKIN_CONFIG", None)
    return env


async def _run(tmp_path: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        CHECKIN,
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


class TestStartup:
    async def test_rejected_token_exits_with_one_clear_line(self, tmp_path):
        """A token Telegram rejects ends the process with one line, not a traceback."""
        async with BotApiEmulator(token="42:RIGHT") as emu:
            proc = await _run(tmp_path, _env(tmp_path, emu.base_url, "42:WRONG"))
            out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 1
        lines = [line for line in err.decode().splitlines() if line.strip()]
        assert lines == [
            "Telegram rejected the bot token (TELEGRAM_BOT_TOKEN). Check it with @BotFather."
        ]
        assert "Traceback" not in out.decode() + err.decode()

    async def test_missing_token_says_how_to_get_one(self, tmp_path):
        """Without TELEGRAM_BOT_TOKEN the bot says what to do (and points to the demo)."""
        env = _env(tmp_path, "http://127.0.0.1:9/bot", "")
        proc = await _run(tmp_path, env)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 1
        assert "TELEGRAM_BOT_TOKEN is not set" in err.decode()

    async def test_unreachable_api_is_retried_with_backoff_and_said(self, tmp_path):
        """An unreachable Bot API is retried with growing waits, each announced, then a clear error."""
        config = Config(
            database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
            bot_token=SecretStr("42:ANY"),
            flows_dir=ROOT / "flows",
        )
        config = config.model_copy(
            update={
                "telegram": config.telegram.model_copy(
                    update={"api_base_url": f"http://127.0.0.1:{_free_port()}/bot"}
                )
            }
        )
        runtime = await build_runtime(config, limits=DeliveryLimits(enabled=False))
        said: list[str] = []
        waits: list[float] = []

        async def no_sleep(seconds: float) -> None:
            waits.append(seconds)

        with pytest.raises(StartupError, match="unreachable after 3 attempts"):
            await initialize_with_retries(
                runtime.bot, runtime.config, attempts=3, say=said.append, sleep=no_sleep
            )
        assert waits == [1.0, 2.0]
        assert all("retrying" in line for line in said)
        await runtime.db.dispose()


class TestShutdown:
    async def test_sigterm_stops_cleanly(self, tmp_path):
        """SIGTERM: the bot stops fetching, finishes what it has in hand and exits 0."""
        async with BotApiEmulator(token="42:RIGHT", limits=Limits(enforce=False)) as emu:
            proc = await _run(tmp_path, _env(tmp_path, emu.base_url, "42:RIGHT"))
            assert proc.stdout is not None
            line = await asyncio.wait_for(proc.stdout.readline(), 60)
            assert b"is running" in line
            user = emu.user(5, "Stranger")
            await user.send("hi")
            assert "invite link" in (await user.next_reply(timeout=10)).text
            proc.send_signal(signal.SIGTERM)
            rest, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()
        assert b"Stopping" in rest

    async def test_start_up_names_clients_countries_without_crisis_lines(self, tmp_path):
        """A client in Kenya (no entry): `checkin run` says so before it serves."""
        from bot.storage import Database, upgrade_database
        from bot.storage.models import Client, Therapist

        async with BotApiEmulator(token="42:RIGHT", limits=Limits(enforce=False)) as emu:
            env = _env(tmp_path, emu.base_url, "42:RIGHT")
            db = Database(env["DATABASE_URL"])
            await upgrade_database(db)
            async with db.session() as s:
                therapist = Therapist(telegram_id=1, name="Dr. Ruiz")
                s.add(therapist)
                await s.flush()
                s.add(Client(therapist_id=therapist.id, telegram_id=9, chat_id=9, country="KE"))
            await db.dispose()
            proc = await _run(tmp_path, env)
            assert proc.stdout is not None
            seen = []
            while not seen or b"is running" not in seen[-1]:
                seen.append(await asyncio.wait_for(proc.stdout.readline(), 60))
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.communicate(), 60)
        output = b"".join(seen).decode()
        assert "no entry for KE (Kenya, 1 client(s))" in output

    async def test_sigterm_while_the_bot_api_is_unreachable_stops_within_5s(self, tmp_path):
        """Start-up is waiting out an unreachable Bot API: SIGTERM still ends it at once."""
        env = _env(tmp_path, f"http://127.0.0.1:{_free_port()}/bot", "42:ANY")
        proc = await _run(tmp_path, env)
        assert proc.stdout is not None
        line = b""
        while b"unreachable" not in line:  # after any start-up notes
            line = await asyncio.wait_for(proc.stdout.readline(), 60)
            assert line, "the bot ended before saying the API was unreachable"
        loop = asyncio.get_running_loop()
        began = loop.time()
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
        assert loop.time() - began < 5.0
        assert proc.returncode == 0

    async def test_sigterm_after_the_bot_api_went_away_stops_within_5s(self, tmp_path):
        """Running, then the Bot API disappears (polls and sends fail): SIGTERM ends it at once."""
        emu = BotApiEmulator(token="42:GONE", limits=Limits(enforce=False))
        await emu.start()
        env = _env(tmp_path, emu.base_url, "42:GONE")
        proc = await _run(tmp_path, env)
        assert proc.stdout is not None
        try:
            line = b""
            while b"is running" not in line:  # after any start-up notes
                line = await asyncio.wait_for(proc.stdout.readline(), 60)
                assert line, "the bot ended before it was running"
            user = emu.user(5, "Stranger")
            await user.send("hi")
            await user.next_reply(timeout=10)
        finally:
            await emu.stop()
        await asyncio.sleep(1.0)  # the poller is now failing and backing off
        loop = asyncio.get_running_loop()
        began = loop.time()
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
        assert loop.time() - began < 5.0
        assert proc.returncode == 0


class TestWebhook:
    async def test_webhook_mode_checks_the_secret(self, tmp_path):
        """In webhook mode updates arrive by POST; a request without the secret is refused."""
        port = _free_port()
        async with BotApiEmulator(token="42:HOOK", limits=Limits(enforce=False)) as emu:
            config = Config(
                database_url=f"sqlite:///{tmp_path / 'hook.sqlite3'}",
                bot_token=SecretStr(emu.token),
                webhook_secret=SecretStr("s3cret-token"),
                flows_dir=ROOT / "flows",
            )
            telegram = config.telegram.model_copy(
                update={
                    "api_base_url": emu.base_url,
                    "mode": "webhook",
                    "listen": "127.0.0.1",
                    "port": port,
                    "path": "/telegram",
                    "webhook_url": f"http://127.0.0.1:{port}/telegram",
                    "webhook_max_connections": 5,
                }
            )
            runtime = await build_runtime(
                config.model_copy(update={"telegram": telegram}),
                limits=DeliveryLimits(enabled=False),
            )
            await start(runtime, schedule=False)
            try:
                assert emu.state.webhook is not None
                assert emu.state.webhook.max_connections == 5  # the config reached Telegram
                user = emu.user(6, "Stranger")
                await user.send("hello")
                assert "invite link" in (await user.next_reply(timeout=10)).text
                async with aiohttp.ClientSession() as http:
                    forged = {
                        "update_id": 999,
                        "message": {
                            "message_id": 1,
                            "date": 0,
                            "chat": {"id": 6, "type": "private"},
                            "text": "x",
                        },
                    }
                    async with http.post(
                        f"http://127.0.0.1:{port}/telegram", json=forged
                    ) as response:
                        assert response.status == 403
            finally:
                await stop(runtime)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TestPeriodicWork:
    async def test_the_scheduler_really_runs_the_planners(self, tmp_path):
        """Started for real, the scheduler plans the pre-session digest and sends it to the therapist."""
        from datetime import UTC, datetime, timedelta

        from sqlmodel import select

        from bot.service.identity import add_therapist
        from bot.storage.models import Client, DueWork, TherapySession

        async with BotApiEmulator(token="42:TICK", limits=Limits(enforce=False)) as emu:
            config = Config(
                database_url=f"sqlite:///{tmp_path / 'tick.sqlite3'}",
                bot_token=SecretStr(emu.token),
                flows_dir=ROOT / "flows",
            )
            config = config.model_copy(
                update={
                    "telegram": config.telegram.model_copy(update={"api_base_url": emu.base_url})
                }
            )
            runtime = await build_runtime(config, limits=DeliveryLimits(enabled=False))
            therapist_user = emu.user(1, "Dr. Ruiz")
            async with runtime.db.session() as s:
                therapist = await add_therapist(
                    s, telegram_id=1, name="Dr. Ruiz", contact=None, hours=None
                )
                client = Client(
                    therapist_id=therapist.id, telegram_id=9, chat_id=9, first_name="Sam"
                )  # type: ignore[arg-type]
                s.add(client)
                await s.flush()
                s.add(
                    TherapySession(
                        client_id=client.id,  # type: ignore[arg-type]
                        therapist_id=therapist.id,  # type: ignore[arg-type]
                        starts_at=datetime.now(UTC) + timedelta(hours=1),
                    )
                )
            await start(runtime, tick_seconds=0.2)
            try:
                await therapist_user.send("/start")  # so the bot may write to the therapist
                digest = None
                for _ in range(10):
                    reply = await therapist_user.next_reply(timeout=5)
                    if "Before your session with Sam" in reply.text:
                        digest = reply
                        break
                assert digest is not None
                statuses: list[str] = []
                for _ in range(100):  # the outcome is written just after the send returns
                    async with runtime.db.session() as s:
                        query = select(DueWork.status).where(DueWork.kind == "digest")
                        statuses = list((await s.exec(query)).all())
                    if statuses == ["sent"]:
                        break
                    await asyncio.sleep(0.05)
                assert statuses == ["sent"]
            finally:
                await stop(runtime)
