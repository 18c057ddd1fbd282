"""The Telegram side of start-up: the Bot object, connecting with retries, the command menus.

No ConversationHandler, no PTB persistence, no JobQueue and no Updater: all state lives in our
database, receiving is ours (`bot.transport.receiving`), and `bot.wiring` puts the pieces together.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlmodel import select
from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TimedOut

from bot.config import Config
from bot.dialogue.loader import FlowLibrary
from bot.errors import CheckinError
from bot.service.menu import client_menu
from bot.storage import Database
from bot.storage.models import Therapist
from bot.transport.http import AiohttpRequest

log = logging.getLogger(__name__)

THERAPIST_COMMANDS = [
    ("clients", "Your clients"),
    ("summary", "A client's log and chart"),
    ("alerts", "Open alerts"),
    ("ack", "Acknowledge an alert"),
    ("timezone", "Your time zone for alerts"),
    ("invite", "Invite a new client: /invite NAME"),
    ("rename", "Rename a client: /rename NAME to NEW"),
    ("session", "Register a session"),
    ("sessions", "Move or cancel a client's sessions"),
    ("timing", "Follow-up timing"),
    ("measures", "PHQ-9 and GAD-7 schedule"),
    ("upcoming", "What your clients will get"),
    ("digest", "When your morning digest comes"),
    ("console", "Open the web console"),
    ("help", "Therapist commands"),
]


class StartupError(CheckinError):
    """The bot cannot start; the message says why and what to do."""


def make_bot(config: Config) -> Bot:
    """A Bot for our calls (many at once, one per chat being answered) and one long poll."""
    if config.bot_token is None:
        raise StartupError(
            "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather and export it, "
            "or try `checkin demo`, which needs none."
        )
    base = config.telegram.api_base_url
    return Bot(
        config.bot_token.get_secret_value(),
        base_url=base,
        base_file_url=base.replace("/bot", "/file/bot"),
        request=AiohttpRequest(
            connection_pool_size=256, connect_timeout=5.0, read_timeout=10.0, pool_timeout=5.0
        ),
        get_updates_request=AiohttpRequest(connection_pool_size=1, connect_timeout=5.0),
    )


async def initialize_with_retries(
    bot: Bot,
    config: Config,
    *,
    attempts: int = 8,
    say: Callable[[str], None] = print,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Connect to the Bot API; a rejected token fails at once, an unreachable API is retried.

    Every wait is a plain sleep, so SIGTERM (which cancels start-up) ends it at once. When it
    gives up, the bot's connection pools are closed again (PTB opens them before its first call).
    """
    delay = 1.0
    for attempt in range(1, attempts + 1):
        try:
            await bot.initialize()
            return
        except InvalidToken:
            await bot.shutdown()
            raise StartupError(
                "Telegram rejected the bot token (TELEGRAM_BOT_TOKEN). Check it with @BotFather."
            ) from None
        except (NetworkError, TimedOut) as exc:
            if attempt == attempts:
                await bot.shutdown()
                raise StartupError(
                    f"The Bot API at {config.telegram.api_base_url} is unreachable "
                    f"after {attempts} attempts ({type(exc).__name__}). Check the network or "
                    "telegram.api_base_url."
                ) from None
            say(
                f"Bot API unreachable ({type(exc).__name__}); retrying in {delay:.0f}s "
                f"(attempt {attempt} of {attempts})."
            )
            await sleep(delay)
            delay = min(delay * 2, 30.0)


async def set_command_menus(bot: Bot, db: Database, flows: FlowLibrary) -> list[Therapist]:
    """Publish the menus; return the therapists the bot cannot write to (and log each).

    The client menu is built from the flows (their `command:` and `menu:`), once in the default
    language for everyone and once per other language, which Telegram shows by the app language."""
    await bot.set_my_commands(
        [BotCommand(c, d) for c, d in client_menu(flows, flows.default_language)]
    )
    for language in flows.languages:
        if language != flows.default_language:
            await bot.set_my_commands(
                [BotCommand(c, d) for c, d in client_menu(flows, language)],
                language_code=language,
            )
    async with db.session() as s:
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
