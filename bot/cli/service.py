"""Commands that run the bot and manage who uses it: run, demo, therapist, invite."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from bot.cli.common import console, fail, positive_id, run_async, state
from bot.cli.people import therapist_list
from bot.config import Config
from bot.dialogue.loader import FlowValidationError
from bot.logging import configure_logging
from bot.service.coverage import crisis_coverage
from bot.service.history import set_therapist_triage
from bot.service.identity import add_therapist, create_invite, require_therapist
from bot.service.work_hours import parse_hours
from bot.storage import Database
from bot.storage.data_keys import prepare_database
from bot.storage.models import Therapist

therapist_app = typer.Typer(help="Register therapists.", no_args_is_help=True)
# `therapist add` registers a Telegram id; elsewhere the same id is `--therapist ID`
# (`--telegram-id` stays as the older spelling).
TherapistId = Annotated[
    int,
    typer.Option(
        "--telegram-id",
        metavar="ID",
        callback=positive_id,
        help="The therapist's numeric Telegram user id.",
    ),
]


def run(
    ctx: typer.Context,
    no_receive: Annotated[
        bool,
        typer.Option(
            "--no-receive",
            help="Do not poll or listen: only handle stored updates and due work (a worker "
            "beside one replica that receives; PostgreSQL). See docs/deploy.md.",
        ),
    ] = False,
) -> None:
    """Run the bot: migrate, check the flows, publish the command menu, then serve."""
    config = state(ctx).config()
    configure_logging(config)
    run_async(_serve(config, receive=not no_receive))


async def _serve(config: Config, *, receive: bool = True) -> None:
    from bot.wiring import build_runtime, start, stop

    # Signals first: SIGTERM must work in any state, also while start-up waits for the Bot API.
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    try:
        runtime = await build_runtime(config)
    except FlowValidationError as exc:
        fail(f"Refusing to start: the flows have problems.\n{exc}", code=2)
    async with runtime.service.db.session() as s:
        for line in await crisis_coverage(s, config):
            console.print(line)
    try:
        starting = asyncio.create_task(start(runtime, poll=receive))
        signalled = asyncio.create_task(stopping.wait())
        await asyncio.wait({starting, signalled}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()  # a start-up error says why
            console.print(f"checkin is running as @{runtime.bot.username}. Ctrl-C stops it.")
            await signalled
        else:
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
        signalled.cancel()
        console.print("Stopping: finishing the steps in hand…")
    finally:
        await stop(runtime)


def demo(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Option(help="Where the demo keeps its database.")] = Path(
        "demo-data"
    ),
    speed: Annotated[
        float, typer.Option(help="How much faster the clock runs while waiting for a check-in.")
    ] = 3600.0,
) -> None:
    """Try checkin in the terminal: the real bot against a local Telegram emulator, no token."""
    from bot.demo import run_demo

    config = state(ctx).config()
    run_async(run_demo(config, folder, speed))


@therapist_app.command("add")
def therapist_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="Name clients see, e.g. 'Dr. Ana Ruiz'.")],
    telegram_id: TherapistId,
    contact: Annotated[str | None, typer.Option(help="How clients reach you.")] = None,
    hours: Annotated[
        str | None,
        typer.Option(help='Working hours, e.g. "Mon-Fri 9-17" (non-urgent alerts wait for them).'),
    ] = None,
    on_call: Annotated[
        str | None, typer.Option(help="Who clients reach outside your hours (a phone, a service).")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Your time zone, e.g. Europe/Berlin (alert times, hours).")
    ] = None,
) -> None:
    """Register a therapist (or update their details)."""
    config = state(ctx).config()
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            fail(f"--timezone {timezone!r} is not a known time zone; use e.g. Europe/Berlin", 2)
    if hours is not None and parse_hours(hours) is None:
        console.print(
            f'Note: {hours!r} does not read as working hours (like "Mon-Fri 9-17"); clients '
            "see it as written, and alerts are never held back for it."
        )

    async def go() -> Therapist:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                return await add_therapist(
                    s,
                    telegram_id=telegram_id,
                    name=name,
                    contact=contact,
                    hours=hours,
                    on_call=on_call,
                    timezone=timezone,
                )
        finally:
            await db.dispose()

    therapist = run_async(go())
    console.print(f"Therapist {therapist.name!r} registered (Telegram id {therapist.telegram_id}).")
    bot = f"@{config.telegram.bot_username}" if config.telegram.bot_username else "the bot"
    until_then = (
        "until then their alerts go to the clinic's fallback contact (alerts.fallback_chat_id)."
        if config.alerts.fallback_chat_id is not None
        else "until then their alerts reach nobody, because alerts.fallback_chat_id is not set: "
        "set it in the config to the Telegram chat id of an on-call colleague or the clinic's "
        "group, who must have opened the bot."
    )
    console.print(
        f"Important: ask {therapist.name} to open a chat with {bot} and send /start once. "
        f"Telegram lets a bot write only to people who started a chat with it: {until_then}"
    )


@therapist_app.command("triage")
def therapist_triage(
    ctx: typer.Context,
    telegram_id: Annotated[
        int,
        typer.Option(
            "--therapist",
            "--telegram-id",
            metavar="ID",
            callback=positive_id,
            help="The therapist's Telegram user id (see `checkin therapist list`).",
        ),
    ],
    persist_days: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=30,
            metavar="DAYS",
            help="Advise contact when distress stays raised for more than this many days after a session.",
        ),
    ] = None,
    distress_threshold: Annotated[
        int | None,
        typer.Option(
            min=0, max=10, metavar="0-10", help="From this rating on, distress counts as raised."
        ),
    ] = None,
    significant_distress: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=10,
            metavar="0-10",
            help="From this rating on, distress counts as significant (coping not working).",
        ),
    ] = None,
    coping_attempts: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=20,
            metavar="COUNT",
            help="Self-care tries that did not help before 'coping is not working' applies.",
        ),
    ] = None,
    severity_level: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=10,
            metavar="0-10",
            help="A latest rating at or above this advises contact soon.",
        ),
    ] = None,
    rise_points: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=10,
            metavar="POINTS",
            help="Rapid rise: a rise of this many points or more...",
        ),
    ] = None,
    rise_hours: Annotated[
        int | None,
        typer.Option(min=1, max=336, metavar="HOURS", help="...within this many hours..."),
    ] = None,
    rise_to: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=10,
            metavar="0-10",
            help="...ending at or above this rating advises contact soon.",
        ),
    ] = None,
    silence_after: Annotated[
        int | None,
        typer.Option(
            min=0, max=10, metavar="0-10", help="Silence: a last rating at or above this..."
        ),
    ] = None,
    silence_hours: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=336,
            metavar="HOURS",
            help="...and no answer for this long alerts the therapist.",
        ),
    ] = None,
    crisis_hold_hours: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=336,
            metavar="HOURS",
            help="A crisis stays open this long after its last signal (or an acknowledgement).",
        ),
    ] = None,
    unable_hours: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=336,
            metavar="HOURS",
            help="A report of not managing the day stays current this long.",
        ),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Go back to the clinic's thresholds.")
    ] = False,
) -> None:
    """Set a therapist's own triage thresholds (the clinic's apply where none is set).

    docs/safety.md has the table of rules and what each threshold does.
    """
    config = state(ctx).config()
    given = {
        "persist_days": persist_days,
        "distress_threshold": distress_threshold,
        "significant_distress": significant_distress,
        "coping_attempts": coping_attempts,
        "severity_level": severity_level,
        "rise_points": rise_points,
        "rise_hours": rise_hours,
        "rise_to": rise_to,
        "silence_after": silence_after,
        "silence_hours": silence_hours,
        "crisis_hold_hours": crisis_hold_hours,
        "unable_hours": unable_hours,
    }

    async def go() -> dict[str, int]:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                found = await require_therapist(s, telegram_id)
                assert found.id is not None
                return await set_therapist_triage(
                    s, config, found.id, {k: v for k, v in given.items() if v is not None}, reset
                )
        finally:
            await db.dispose()

    rules = run_async(go())
    console.print("Triage for this therapist: " + ", ".join(f"{k}={v}" for k, v in rules.items()))


def invite(
    ctx: typer.Context,
    therapist: Annotated[
        int,
        typer.Option(
            metavar="ID", callback=positive_id, help="The inviting therapist's Telegram user id."
        ),
    ],
    label: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help='What the therapist calls the new client, e.g. "Sam K." (shown in alerts and '
            "summaries; changed later with /rename).",
        ),
    ] = None,
) -> None:
    """Print a one-time invite link for a new client of this therapist."""
    config = state(ctx).config()
    username = config.telegram.bot_username or run_async(_ask_username(config))

    async def go() -> str:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                found = await require_therapist(s, therapist)
                return await create_invite(
                    s, found, datetime.now(UTC), config.invites.ttl, label=label
                )
        finally:
            await db.dispose()

    code = run_async(go())
    console.print(f"https://t.me/{username}?start={code}")
    console.print(f"Works once, for {config.invites.ttl.days} days.", style="dim")


async def _ask_username(config: Config) -> str:
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError

    if config.bot_token is None:
        fail(
            "Set telegram.bot_username in the config, or TELEGRAM_BOT_TOKEN so I can ask Telegram."
        )
    bot = Bot(config.bot_token.get_secret_value(), base_url=config.telegram.api_base_url)
    try:
        async with bot:
            return bot.username
    except InvalidToken:
        fail("Telegram rejected the bot token (TELEGRAM_BOT_TOKEN). Check it with @BotFather.")
    except NetworkError:
        fail("Cannot reach the Bot API to learn the bot's username; set telegram.bot_username.")


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("demo")(demo)
    app.command("invite")(invite)
    therapist_app.command("list")(therapist_list)
    app.add_typer(therapist_app, name="therapist")
