"""The running bot: a python-telegram-bot Application with one handler, our service and the dispatcher.

No ConversationHandler, no PTB persistence, no JobQueue: all state lives in our database, and
APScheduler only wakes the dispatcher. Updates from different chats are handled concurrently;
the service takes one chat's updates one at a time, in order.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel import select
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TimedOut
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.dialogue.loader import FlowLibrary, load_flows
from bot.errors import CheckinError
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.runner import start_scheduler
from bot.service.core import CheckinService
from bot.service.digests import plan_digests
from bot.service.engagement import plan_engagement_digests
from bot.service.housekeeping import apply_retention
from bot.service.therapist_sessions import register_session_commands
from bot.service.therapists import TherapistCommands
from bot.service.work import WorkHandler
from bot.storage import Database, upgrade_database
from bot.storage.crypto import active_keyring
from bot.storage.models import Therapist
from bot.transport.delivery import Delivery, DeliveryLimits
from bot.transport.outbox import TelegramOutbox
from bot.transport.updates import to_incoming

log = logging.getLogger(__name__)

CLIENT_COMMANDS = [
    ("checkin", "Check in now"),
    ("log", "Write down how you feel"),
    ("selfcare", "A calming exercise"),
    ("sit", "Sit with a feeling for a few minutes"),
    ("note", "A note for your next session"),
    ("pass", "A reminder that it will pass"),
    ("stopping", "Thinking about ending therapy"),
    ("next", "When the next check-in comes"),
    ("aftersession", "I just had a session"),
    ("pause", "Pause check-ins"),
    ("resume", "Start check-ins again"),
    ("stop", "Stop this exercise or check-ins"),
    ("sos", "Help right now"),
    ("country", "Your country (for the right crisis lines)"),
    ("about", "What this bot is and stores"),
    ("mydata", "Get a copy of your data"),
    ("delete", "Delete your data"),
    ("help", "What I can do"),
]
THERAPIST_COMMANDS = [
    ("clients", "Your clients"),
    ("summary", "A client's log and chart"),
    ("alerts", "Open alerts"),
    ("ack", "Acknowledge an alert"),
    ("timezone", "Your time zone for alerts"),
    ("invite", "Invite a new client"),
    ("session", "Register a session"),
    ("timing", "Follow-up timing"),
    ("upcoming", "Upcoming check-ins"),
    ("help", "Therapist commands"),
]


class StartupError(CheckinError):
    """The bot cannot start; the message says why and what to do."""


@dataclass
class Runtime:
    config: Config
    db: Database
    flows: FlowLibrary
    application: Application[Any, Any, Any, Any, Any, Any]
    service: CheckinService
    dispatcher: Dispatcher
    scheduler: AsyncIOScheduler | None = None


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
) -> Runtime:
    """Migrate the database, load the flows (refusing invalid ones) and wire the bot."""
    if config.bot_token is None:
        raise StartupError(
            "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather and export it, "
            "or try `checkin demo`, which needs none."
        )
    active_keyring()  # no key, no start: MissingKeysError says what to set, in one line
    clock = clock or SystemClock()
    flows = flows or load_shipped_flows(config)
    db = Database(config.database_url)
    await upgrade_database(db)
    application = (
        ApplicationBuilder()
        .token(config.bot_token.get_secret_value())
        .base_url(config.telegram.api_base_url)
        .base_file_url(config.telegram.api_base_url.replace("/bot", "/file/bot"))
        .concurrent_updates(256)
        .job_queue(None)
        .build()
    )
    delivery = Delivery(application.bot, limits=limits)
    service = CheckinService(config, db, flows, TelegramOutbox(delivery), clock)
    dispatcher = Dispatcher(
        db,
        clock,
        WorkHandler(service),
        worker_id or f"{socket.gethostname()}:{os.getpid()}",
        useful_window=config.followups.useful_window,
        clinic=config.followups,
    )

    service.on_alert = dispatcher.tick

    async def on_update(update: object, _context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        incoming = to_incoming(update)
        if incoming is not None:
            await service.handle(incoming)

    async def on_error(_update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Only the type: tracebacks of handler errors can carry message text.
        log.error("update failed: %s", type(context.error).__name__)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    return Runtime(config, db, flows, application, service, dispatcher)


async def initialize_with_retries(
    runtime: Runtime,
    *,
    attempts: int = 8,
    say: Callable[[str], None] = print,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Connect to the Bot API; a rejected token fails at once, an unreachable API is retried."""
    delay = 1.0
    for attempt in range(1, attempts + 1):
        try:
            await runtime.application.initialize()
            return
        except InvalidToken:
            raise StartupError(
                "Telegram rejected the bot token (TELEGRAM_BOT_TOKEN). Check it with @BotFather."
            ) from None
        except (NetworkError, TimedOut) as exc:
            if attempt == attempts:
                raise StartupError(
                    f"The Bot API at {runtime.config.telegram.api_base_url} is unreachable "
                    f"after {attempts} attempts ({type(exc).__name__}). Check the network or "
                    "telegram.api_base_url."
                ) from None
            say(
                f"Bot API unreachable ({type(exc).__name__}); retrying in {delay:.0f}s "
                f"(attempt {attempt} of {attempts})."
            )
            await sleep(delay)
            delay = min(delay * 2, 30.0)


async def set_command_menus(runtime: Runtime) -> list[Therapist]:
    """Publish the menus; return the therapists the bot cannot write to (and log each)."""
    bot = runtime.application.bot
    await bot.set_my_commands([BotCommand(c, d) for c, d in CLIENT_COMMANDS])
    async with runtime.db.session() as s:
        therapists = (await s.exec(select(Therapist))).all()
    unreachable: list[Therapist] = []
    for therapist in therapists:
        try:
            await bot.set_my_commands(
                [BotCommand(c, d) for c, d in THERAPIST_COMMANDS],
                scope=BotCommandScopeChat(therapist.telegram_id),
            )
        except (BadRequest, Forbidden) as exc:  # never opened the bot (chat not found), blocked
            unreachable.append(therapist)
            log.error(
                "therapist %s (Telegram id %s) cannot be reached by the bot (%s): ask them to "
                "open the bot and send /start; until then their alerts go to "
                "alerts.fallback_chat_id",
                therapist.id,
                therapist.telegram_id,
                exc.message,
            )
    return unreachable


async def start(
    runtime: Runtime, *, tick_seconds: float = 5.0, poll: bool = True, schedule: bool = True
) -> None:
    """Initialise, publish the command menus, start handling updates and due work."""
    await initialize_with_retries(runtime)
    username = runtime.application.bot.username
    commands = TherapistCommands(runtime.config, username, runtime.service.clock.now)
    register_session_commands(commands, runtime.service.sessions)
    runtime.service.therapist_handler = commands
    await set_command_menus(runtime)
    # Everything loaded so far (flows, modules, config) lives as long as the process: keep it out
    # of the garbage collector's full scans, which otherwise show up as latency spikes.
    gc.freeze()
    await runtime.application.start()
    if poll:
        await start_receiving(runtime)
    if schedule:
        runtime.scheduler = start_periodic_work(runtime, tick_seconds)


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

    scheduler = start_scheduler(runtime.dispatcher, tick_seconds, replan=replan)
    for job, every in (
        (digests, timedelta(minutes=15)),
        (retention, timedelta(hours=24)),
        (engagement, timedelta(hours=1)),
    ):
        scheduler.add_job(
            job,
            "interval",
            seconds=every.total_seconds(),
            id=f"checkin-{job.__name__}",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
    return scheduler


async def start_receiving(runtime: Runtime) -> None:
    """Polling (the embedded default) or a webhook that checks Telegram's secret token."""
    updater = runtime.application.updater
    assert updater is not None
    telegram = runtime.config.telegram
    if telegram.mode == "webhook":
        if runtime.config.webhook_secret is None:
            raise StartupError("webhook mode needs TELEGRAM_WEBHOOK_SECRET in the environment")
        await updater.start_webhook(
            listen=telegram.listen,
            port=telegram.port,
            url_path=telegram.path.lstrip("/"),
            webhook_url=telegram.webhook_url,
            secret_token=runtime.config.webhook_secret.get_secret_value(),
        )
    else:
        await updater.start_polling(poll_interval=0.0, timeout=10, drop_pending_updates=False)


async def stop(runtime: Runtime) -> None:
    """Stop fetching, let the handlers in hand finish, then close everything."""
    if runtime.scheduler is not None:
        runtime.scheduler.shutdown(wait=False)
    app = runtime.application
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    await runtime.db.dispose()
