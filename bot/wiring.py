"""Building and running the bot: which pieces exist, how they are connected, how they stop.

    receiving (polling or webhook) --store--> inbox table --InboxWorker--> CheckinService.handle
        step transaction: state + outbox rows + inbox row done --commit--> OutboxSender --> Bot API
    APScheduler --> Dispatcher (due_work) --> WorkHandler --> the same outbox

Transport (`bot.transport`) only speaks Telegram; the service never imports `telegram`; this
module is the one place that knows both.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import socket
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from telegram import Bot, Update

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.console.command import register_console_command
from bot.console.server import ConsoleServer
from bot.dialogue.loader import FlowLibrary, load_flows
from bot.safety.learned import default_model
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.runner import start_scheduler, tracked
from bot.service.caseload import plan_caseload_digests
from bot.service.core import CheckinService
from bot.service.digests import plan_digests
from bot.service.engagement import plan_engagement_digests
from bot.service.housekeeping import apply_retention
from bot.service.inbox import InboxWorker, Received, store
from bot.service.outbox import OutboxSettings
from bot.service.ports import Incoming
from bot.service.therapist_measures import register_measure_commands
from bot.service.therapist_sessions import register_session_commands
from bot.service.therapists import TherapistCommands
from bot.service.work import WorkHandler
from bot.storage import Database
from bot.storage.crypto import active_keyring
from bot.storage.data_keys import prepare_database
from bot.transport.api import TelegramBotApi
from bot.transport.delivery import Delivery, DeliveryLimits
from bot.transport.receiving import Poller, WebhookServer
from bot.transport.telegram_bot import (
    StartupError,
    initialize_with_retries,
    make_bot,
    set_command_menus,
)
from bot.transport.updates import to_incoming

log = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 2.5  # steps in hand may finish; the whole stop stays under 5 s

__all__ = ["Runtime", "StartupError", "build_runtime", "load_shipped_flows", "start", "stop"]


@dataclass
class Runtime:
    config: Config
    db: Database
    flows: FlowLibrary
    bot: Bot
    service: CheckinService
    dispatcher: Dispatcher
    inbox: InboxWorker
    scheduler: AsyncIOScheduler | None = None
    webhook: WebhookServer | None = None
    console: ConsoleServer | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    jobs: set[asyncio.Task[Any]] = field(default_factory=set)  # scheduled work running now

    async def receive(self, received: list[Received]) -> None:
        """Store updates (before they are acknowledged), then have them handled."""
        await store(self.db, received, self.service.clock.now())
        self.inbox.hand_over(received)

    async def healthy(self) -> bool:
        """The database answers (what /healthz reports)."""
        async with self.db.session() as s:
            await s.exec(text("SELECT 1"))  # type: ignore[call-overload]
        return True


def load_shipped_flows(config: Config) -> FlowLibrary:
    return load_flows(
        [config.flows_dir],
        config.clinic.languages,
        config.clinic.default_language,
        max_bytes=config.yaml_max_file_size,
    )


async def build_runtime(
    config: Config,
    *,
    clock: Clock | None = None,
    flows: FlowLibrary | None = None,
    limits: DeliveryLimits | None = None,
    worker_id: str | None = None,
    outbox: OutboxSettings | None = None,
) -> Runtime:
    """Migrate the database, load the flows (refusing invalid ones) and wire the bot."""
    bot = make_bot(config)  # first: a missing token is the first thing to say
    active_keyring()  # no key, no start: MissingKeysError says what to set, in one line
    clock = clock or SystemClock()
    flows = flows or load_shipped_flows(config)
    default_model()  # load the learned screening layer now: a broken file says so at start-up
    db = Database(config.database_url)
    await prepare_database(db)
    worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
    api = TelegramBotApi(Delivery(bot, limits=limits))
    outbox = outbox or OutboxSettings(
        lease=config.telegram.send_lease, deadline=config.telegram.send_deadline
    )
    service = CheckinService(config, db, flows, api, clock, worker_id=worker_id, outbox=outbox)
    dispatcher = Dispatcher(
        db,
        clock,
        WorkHandler(service),
        worker_id,
        useful_window=config.followups.useful_window,
        clinic=config.followups,
    )

    service.on_alert = dispatcher.tick  # an alert an update queued goes out at once

    def parse(payload: dict[str, Any]) -> Incoming | None:
        return to_incoming(Update.de_json(payload, bot))

    async def handle(incoming: Incoming) -> bool:
        return await service.handle(incoming, stored=True)

    inbox = InboxWorker(db, handle, parse, clock.now)
    return Runtime(config, db, flows, bot, service, dispatcher, inbox)


def _task(runtime: Runtime, coro: Coroutine[Any, Any, None], name: str) -> None:
    runtime.tasks.append(asyncio.create_task(coro, name=name))


async def start(
    runtime: Runtime, *, tick_seconds: float = 5.0, poll: bool = True, schedule: bool = True
) -> None:
    """Connect, publish the command menus, then handle updates (`poll`) and due work."""
    await initialize_with_retries(runtime.bot, runtime.config)
    commands = TherapistCommands(runtime.config, runtime.bot.username, runtime.service.clock.now)
    register_session_commands(commands, runtime.service.sessions)
    register_measure_commands(commands, runtime.service.sessions, runtime.flows)
    if runtime.config.console.enabled:
        runtime.console = ConsoleServer(
            runtime.config, runtime.db, runtime.service.sessions, runtime.service.clock
        )
        await runtime.console.start()
    register_console_command(
        commands, runtime.config, runtime.console.url if runtime.console else None
    )
    runtime.service.therapist_handler = commands
    await set_command_menus(runtime.bot, runtime.db, runtime.flows)
    # Everything loaded so far (flows, modules, config) lives as long as the process: keep it out
    # of the garbage collector's full scans, which otherwise show up as latency spikes.
    gc.freeze()
    # Retries and rows a stopped process left; a step's own messages go out at once anyway.
    _task(runtime, runtime.service.sender.run(), "outbox")
    _task(runtime, runtime.inbox.run(), "inbox-scan")
    if poll:
        await start_receiving(runtime)
    if schedule:
        runtime.scheduler = start_periodic_work(runtime, tick_seconds)


async def start_receiving(runtime: Runtime) -> None:
    """A webhook that checks Telegram's secret token, or long polling (the default)."""
    telegram = runtime.config.telegram
    if telegram.mode == "webhook":
        if runtime.config.webhook_secret is None:
            raise StartupError("webhook mode needs TELEGRAM_WEBHOOK_SECRET in the environment")
        secret = runtime.config.webhook_secret.get_secret_value()
        runtime.webhook = WebhookServer(
            runtime.bot,
            runtime.receive,
            runtime.healthy,
            listen=telegram.listen,
            port=telegram.port,
            path=telegram.path,
            secret=secret,
        )
        await runtime.webhook.start()
        assert telegram.webhook_url is not None  # the config refuses webhook mode without it
        await runtime.bot.set_webhook(
            telegram.webhook_url,
            secret_token=secret,
            allowed_updates=["message", "edited_message", "callback_query"],
            max_connections=telegram.webhook_max_connections,
        )
    else:
        _task(runtime, Poller(runtime.bot, runtime.receive).run(), "poller")


def start_periodic_work(runtime: Runtime, tick_seconds: float) -> AsyncIOScheduler:
    """APScheduler wakes the dispatcher and the planners; what they do lives in the database.

    Jobs must be coroutine functions: AsyncIOScheduler awaits those, but would silently drop the
    coroutine a plain lambda returns.
    """
    service = runtime.service

    async def replan() -> None:
        # Weekly series are planned four weeks ahead; this keeps extending them.
        await service.sessions.replan_all(service.clock.now())

    async def digests() -> None:
        await plan_digests(service.db, service.clock.now())

    async def retention() -> None:
        await apply_retention(service.db, service.config, service.clock.now())

    async def engagement() -> None:
        await plan_engagement_digests(
            service.db, service.clock.now(), runtime.config.clinic.timezone
        )

    async def caseload() -> None:
        await plan_caseload_digests(service.db, service.clock.now(), runtime.config.clinic.timezone)

    scheduler = start_scheduler(
        runtime.dispatcher, tick_seconds, replan=replan, running=runtime.jobs
    )
    for job, every in (
        (digests, timedelta(minutes=15)),
        (retention, timedelta(hours=24)),
        (engagement, timedelta(hours=1)),
        (caseload, timedelta(hours=1)),
    ):
        scheduler.add_job(
            tracked(job, runtime.jobs),
            "interval",
            seconds=every.total_seconds(),
            id=f"checkin-{job.__name__}",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
    return scheduler


async def _finish_jobs(jobs: set[asyncio.Task[Any]], grace: float) -> None:
    """Let scheduled work in progress finish within `grace`; cancel (and await) what does not."""
    if not jobs:
        return
    running = set(jobs)
    _, late = await asyncio.wait(running, timeout=grace)
    for task in late:
        task.cancel()
    if late:
        await asyncio.wait(late, timeout=0.5)


async def stop(runtime: Runtime, grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop within about `grace` + 1.5 seconds whatever the state (even with the Bot API away).

    Receiving stops first (an unacknowledged update is simply sent again), steps in hand get
    `grace` seconds, then everything is cancelled: a cancelled step is rolled back and stays in
    the inbox, and this worker's claimed outbox rows are given back for the next process.
    """
    if runtime.webhook is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runtime.webhook.stop(), 0.5)
    if runtime.console is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runtime.console.stop(), 0.5)
    if runtime.scheduler is not None:
        # Pause, not shut down, for now: shutting APScheduler down cancels the jobs it runs.
        runtime.scheduler.pause()
    for task in runtime.tasks:
        task.cancel()
    # Steps in hand and scheduled work in progress share the same grace.
    await asyncio.gather(_finish_jobs(runtime.jobs, grace), runtime.inbox.stop(grace))
    if runtime.scheduler is not None:
        runtime.scheduler.shutdown(wait=False)
    if runtime.tasks:
        await asyncio.wait(runtime.tasks, timeout=0.5)
    runtime.tasks.clear()
    try:
        await asyncio.wait_for(runtime.service.sender.release(), 1.0)
    except Exception as exc:  # the leases run out instead
        log.warning("outbox claims not given back: %s", type(exc).__name__)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(runtime.bot.shutdown(), 1.0)
    await runtime.db.dispose()
