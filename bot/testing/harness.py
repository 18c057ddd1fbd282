"""The whole bot on the loopback emulator, for end-to-end tests of the product and of a clinic's flows.

    async with BotHarness(tmp_path) as h:
        therapist = await h.add_therapist(1, "Dr. Ruiz")
        sam = await h.onboarded_client(1001, "Sam", therapist=1)
        await sam.send("/checkin")
        reply = await sam.next_reply()

Time is a FakeClock (`h.clock.advance(...)`); due work runs when the test calls `await h.tick()`.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pydantic import SecretStr
from sqlalchemy import func, or_
from sqlmodel import col, select

from bot.clock import FakeClock
from bot.config import Config
from bot.config.loader import SHIPPED_FLOWS_DIR
from bot.scheduling.outcomes import TickReport
from bot.service.identity import add_therapist, create_invite, require_therapist
from bot.service.outbox import OutboxSettings, claimable
from bot.storage.crypto import use_ephemeral_keys_unless_set
from bot.storage.models import InboxUpdate, OutboxMessage, Therapist
from bot.testing.driver import SimulatedUser
from bot.testing.emulator import BotApiEmulator
from bot.testing.errors import ReplyTimeoutError
from bot.testing.limits import Limits
from bot.transport.delivery import DeliveryLimits
from bot.wiring import Runtime, build_runtime, start, stop

DEFAULT_START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday morning


SETTLE_FOR_USERS = 3.0  # seconds a user's read waits for the bot's work before it falls back


class BotHarness:
    def __init__(
        self,
        folder: Path,
        *,
        config: Config | None = None,
        database_url: str | None = None,
        start_at: datetime = DEFAULT_START,
        limits: Limits | None = None,
        delivery: DeliveryLimits | None = None,
        outbox: OutboxSettings | None = None,
    ) -> None:
        self.folder = folder
        self.base_config = config or Config(flows_dir=SHIPPED_FLOWS_DIR)
        self.database_url = database_url or f"sqlite:///{folder / 'harness.sqlite3'}"
        self.clock = FakeClock(start_at)
        self.emulator = BotApiEmulator(
            token="1234:HARNESS",
            bot_username="checkin_test_bot",
            limits=limits or Limits(enforce=False),
        )
        self.delivery = delivery or DeliveryLimits(enabled=False)
        self.outbox = outbox
        self._runtime: Runtime | None = None
        self.therapists: dict[int, SimulatedUser] = {}

    @property
    def runtime(self) -> Runtime:
        assert self._runtime is not None, "use `async with BotHarness(...)`"
        return self._runtime

    @property
    def config(self) -> Config:
        return self.runtime.config

    async def __aenter__(self) -> BotHarness:
        use_ephemeral_keys_unless_set()  # a clinic's flow tests need no key of their own
        await self.emulator.start()
        await self.start_bot()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop_bot()
        await self.emulator.stop()

    async def start_bot(self) -> None:
        """Start (or restart) the bot process: a new runtime on the same database and emulator."""
        config = self.base_config.model_copy(
            update={
                "database_url": self.database_url,
                "bot_token": SecretStr(self.emulator.token),
                "telegram": self.base_config.telegram.model_copy(
                    update={
                        "api_base_url": self.emulator.base_url,
                        "bot_username": self.emulator.bot_username,
                    }
                ),
            }
        )
        self._runtime = await build_runtime(
            config, clock=self.clock, limits=self.delivery, worker_id="harness", outbox=self.outbox
        )
        await start(self._runtime, schedule=False)
        await self.emulator.wait_for_poller()
        self.emulator.settle = self._settle_for_users

    async def _settle_for_users(self) -> None:
        await self.settled(timeout=SETTLE_FOR_USERS)

    async def stop_bot(self) -> None:
        self.emulator.settle = None  # nothing will handle what users send now
        if self._runtime is not None:
            await stop(self._runtime)
            self._runtime = None

    async def tick(self) -> TickReport:
        """Run the due work at the clock's current time, as the scheduler would."""
        return await self.runtime.dispatcher.tick()

    async def settled(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every update Telegram has is handled and every reply due is delivered.

        Unlike waiting for silence, this returns as soon as the work is done, and fails loudly
        when it is not done in time: the emulator's queue is empty (everything was fetched and
        so stored), no stored update is pending, and the outbox is drained.
        """
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            async with self.runtime.db.session() as s:
                pending = (
                    await s.exec(
                        select(func.count())
                        .select_from(InboxUpdate)
                        .where(col(InboxUpdate.status) == "pending")
                    )
                ).one()
            if not pending and not self.emulator.state.updates.has_work():
                break
            if loop.time() > end:
                raise TimeoutError(f"{pending} stored updates still pending after {timeout}s")
            await asyncio.sleep(0.01)
        await self.outbox_drained(max(0.1, end - loop.time()))

    async def outbox_drained(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every message that is due has been delivered or has failed.

        Rows waiting for a later retry (at a time the FakeClock has not reached) do not count.
        """
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            now = self.clock.now()
            async with self.runtime.db.session() as s:
                due = (
                    await s.exec(
                        select(func.count())
                        .select_from(OutboxMessage)
                        .where(or_(col(OutboxMessage.status) == "sending", claimable(now)))
                    )
                ).one()
            if not due:
                return
            if loop.time() > end:
                raise TimeoutError(f"{due} outbox messages still undelivered after {timeout}s")
            self.runtime.service.sender.wake()
            await asyncio.sleep(0.02)

    async def add_therapist(
        self,
        telegram_id: int,
        name: str,
        contact: str | None = "+44 20 7946 0000",
        hours: str | None = None,
        *,
        started: bool = True,
    ) -> Therapist:
        """Register a therapist; `started=False` is one who never opened the bot (Telegram then
        answers 400 "chat not found" to every message the bot sends them)."""
        async with self.runtime.db.session() as s:
            therapist = await add_therapist(
                s, telegram_id=telegram_id, name=name, contact=contact, hours=hours
            )
        # Telegram lets a bot write only to people who started a chat with it.
        if started:
            self.therapists[telegram_id] = user = self.user(telegram_id, name)
            await user.send("/start")
            await user.next_reply()
        return therapist

    async def invite_code(self, therapist_telegram_id: int) -> str:
        async with self.runtime.db.session() as s:
            therapist = await require_therapist(s, therapist_telegram_id)
            return await create_invite(s, therapist, self.clock.now(), self.config.invites.ttl)

    def user(self, user_id: int, first_name: str) -> SimulatedUser:
        return self.emulator.user(user_id, first_name)

    async def onboarded_client(
        self,
        user_id: int,
        first_name: str,
        *,
        therapist: int,
        alerts: bool = True,
        timezone: str = "Europe/London",
        country: str | None = None,
    ) -> SimulatedUser:
        """A client who opened the invite and went through onboarding with the usual answers.

        `country` is a country's name (a button, or typed after "Another country"); by default
        the country of the time zone's city (London: United Kingdom).
        """
        code = await self.invite_code(therapist)
        user = self.user(user_id, first_name)
        await user.send(f"/start {code}")
        await self.answer_onboarding(user, alerts=alerts, timezone=timezone, country=country)
        return user

    async def answer_onboarding(
        self, user: SimulatedUser, *, alerts: bool, timezone: str, country: str | None = None
    ) -> None:
        await self.answer_country(user, country or _zone_country(timezone))
        await self.tap_when_shown(user, "Yes, that's OK")
        await self.tap_when_shown(user, "Yes, let them know" if alerts else "No, just tell me")
        await self.tap_when_shown(user, _zone_label(timezone))
        await user.replies_until_idle(0.5)

    async def answer_country(self, user: SimulatedUser, country: str) -> None:
        """Tap the country's button, or "Another country" and type its name."""
        await self.wait_for_button(user, "Another country")
        if country in user.buttons():
            await user.tap(country)
        else:
            await user.tap("Another country")
            await user.next_reply()
            await user.send(country)

    async def tap_when_shown(self, user: SimulatedUser, label: str, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a button labelled `label` is on screen, then tap it."""
        await self.wait_for_button(user, label, timeout)
        await user.tap(label)

    async def wait_for_button(self, user: SimulatedUser, label: str, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a button labelled `label` is on screen.

        Everything sent so far is handled and answered first: an answered question keeps its
        keyboard when the next one follows at once, so "on screen" must mean the newest one.
        """
        await self.settled()
        user.read_all()  # what came before the button is read, as a person scrolls to it
        waited = 0.0
        while label not in user.buttons():
            try:
                await user.next_reply(timeout=0.5)
            except ReplyTimeoutError:
                waited += 0.5
                if waited >= timeout:
                    raise


def _zone_country(zone: str) -> str:
    countries = {
        "Europe/London": "United Kingdom",
        "Europe/Berlin": "Germany",
        "America/New_York": "United States",
    }
    return countries.get(zone, "United Kingdom")


def _zone_label(zone: str) -> str:
    labels = {
        "Europe/London": "London",
        "Europe/Berlin": "Berlin / Paris",
        "America/New_York": "New York",
    }
    return labels.get(zone, zone)
