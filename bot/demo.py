"""`checkin demo`: the real bot against the loopback Bot API emulator, chatted with in the terminal.

No token, no internet. You are the client "Sam"; a demo therapist receives alerts (shown in the
terminal too). `/session` says 'my session just ended': the follow-ups are planned and the clock
runs fast until the next one arrives. Type a button's number to tap it; `/quit` ends the demo.
"""

from __future__ import annotations

import asyncio
import html
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from rich.console import Console
from rich.text import Text
from sqlmodel import col, select

from bot.config import Config
from bot.dialogue.terminal import html_to_rich
from bot.logging import configure_logging
from bot.service.identity import add_therapist, create_invite
from bot.storage.crypto import use_ephemeral_keys_unless_set
from bot.storage.models import Client, DueWork
from bot.testing import BotApiEmulator, Limits, SimulatedUser
from bot.testing.records import SentMessage
from bot.wiring import Runtime, build_runtime, start, stop

THERAPIST_ID = 1
CLIENT_ID = 1001
console = Console(highlight=False)


class DemoClock:
    """Real time, except that it can run `speed` times faster (then back to normal)."""

    def __init__(self) -> None:
        self._base_real = datetime.now(UTC)
        self._base_virtual = self._base_real
        self._speed = 1.0

    def now(self) -> datetime:
        return self._base_virtual + (datetime.now(UTC) - self._base_real) * self._speed

    def set_speed(self, speed: float) -> None:
        self._base_virtual = self.now()
        self._base_real = datetime.now(UTC)
        self._speed = speed


def render(message: SentMessage) -> Text:
    return html_to_rich(
        message.raw_text if message.parse_mode == "HTML" else html.escape(message.text)
    )


def fresh_database(folder: Path) -> Path:
    """Every demo starts from an empty database in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("demo.sqlite3*"):
        stale.unlink()
    return folder / "demo.sqlite3"


async def run_demo(config: Config, folder: Path, speed: float) -> None:
    database = fresh_database(folder)
    use_ephemeral_keys_unless_set({})  # a fresh demo database gets a fresh in-memory key
    clock = DemoClock()
    limits = Limits(per_chat_per_second=1.0, per_chat_burst=5, global_per_second=30.0)
    async with BotApiEmulator(
        token="4242:DEMO", bot_username="checkin_demo_bot", limits=limits
    ) as emu:
        demo_config = config.model_copy(
            update={
                "database_url": f"sqlite:///{database}",
                "bot_token": SecretStr(emu.token),
                "telegram": config.telegram.model_copy(
                    update={
                        "api_base_url": emu.base_url,
                        "bot_username": emu.bot_username,
                        "mode": "polling",
                    }
                ),
            }
        )
        configure_logging(demo_config.model_copy(update={"log_level": "WARNING"}))
        runtime = await build_runtime(demo_config, clock=clock)
        async with runtime.db.session() as s:
            therapist = await add_therapist(
                s,
                telegram_id=THERAPIST_ID,
                name="Dr. Demo",
                contact="+44 20 0000 0000",
                hours="Mon-Fri 9-17",
            )
            code = await create_invite(s, therapist, clock.now(), demo_config.invites.ttl)
        emu.user(
            THERAPIST_ID, "Dr. Demo"
        )  # the therapist opened the bot once, so alerts reach them
        await start(runtime, tick_seconds=0.5)
        try:
            await _chat(emu, runtime, clock, code, speed)
        finally:
            await stop(runtime)


async def _chat(
    emu: BotApiEmulator, runtime: Runtime, clock: DemoClock, code: str, speed: float
) -> None:
    sam = emu.user(CLIENT_ID, "Sam")
    console.print(
        "[bold]checkin demo[/bold]: you are Sam, a client of Dr. Demo. Type a button's number to tap "
        "it, or type text. [bold]/session[/bold] = 'my session just ended' (follow-ups then arrive on "
        "a fast clock), [bold]/help[/bold] lists the bot's commands, [bold]/quit[/bold] ends.\n"
    )
    shown: dict[int, int] = {}
    keyboard: dict[str, object] = {}
    printer = asyncio.create_task(_print_forever(emu, sam, shown, keyboard))
    try:
        await sam.send(f"/start {code}")
        while True:
            await _until_quiet(emu, sam)
            _print_new(emu, sam, shown, keyboard)
            try:
                line = (await asyncio.to_thread(input, "you> ")).strip()
            except EOFError:
                break
            labels = sam.buttons()  # as they are now: more may have arrived while typing
            if line in ("/quit", "/exit"):
                break
            if line == "/session":
                await _session_just_ended(runtime, clock)
                await _fast_forward(runtime, clock, speed)
            elif line.isdigit() and 1 <= int(line) <= len(labels):
                await sam.tap(labels[int(line) - 1])
            elif line:
                await sam.send(line)
    finally:
        printer.cancel()
        _print_new(emu, sam, shown, keyboard)
        console.print("[dim]Demo over. Its database is in demo-data/.[/dim]")


async def _session_just_ended(runtime: Runtime, clock: DemoClock) -> None:
    """What a therapist registering a session that just ended does: plan its follow-ups."""
    async with runtime.db.session() as s:
        client = (await s.exec(select(Client).where(Client.telegram_id == CLIENT_ID))).one()
    assert client.id is not None
    await runtime.service.sessions.client_aftersession(client.id, clock.now())
    console.print("[dim](session registered as just ended; follow-ups planned)[/dim]")


async def _fast_forward(runtime: Runtime, clock: DemoClock, speed: float) -> None:
    """Run the clock fast in the background until the next follow-up has been sent."""

    async def next_due() -> DueWork | None:
        async with runtime.db.session() as s:
            return (
                await s.exec(
                    select(DueWork)
                    .where(
                        DueWork.status == "pending",
                        col(DueWork.kind).in_(("followup", "day_before", "checkin")),
                    )
                    .order_by(col(DueWork.due_at))
                )
            ).first()

    async def wait_for(key: str) -> None:
        while True:
            await asyncio.sleep(0.3)
            async with runtime.db.session() as s:
                row = (await s.exec(select(DueWork).where(DueWork.key == key))).first()
            if row is None or row.status != "pending":
                clock.set_speed(1.0)
                console.print("[dim](clock back to normal speed)[/dim]")
                return

    upcoming = await next_due()
    if upcoming is None:
        return
    wait = upcoming.due_at - clock.now()
    console.print(
        f"[dim](next follow-up due in {wait / timedelta(hours=1):.1f} h of demo time; "
        f"the clock now runs {speed:.0f}x until it arrives)[/dim]"
    )
    clock.set_speed(speed)
    asyncio.get_running_loop().create_task(wait_for(upcoming.key))


async def _until_quiet(emu: BotApiEmulator, sam: SimulatedUser, quiet: float = 1.5) -> None:
    """Wait until the bot has said all it has to say (at most 15 s), before asking for input."""
    last, still = len(sam.messages), 0.0
    for _ in range(int(15 / 0.1)):
        await asyncio.sleep(0.1)
        now = len(sam.messages)
        still = still + 0.1 if now == last else 0.0
        last = now
        if still >= quiet:
            return


async def _print_forever(
    emu: BotApiEmulator, sam: SimulatedUser, shown: dict[int, int], keyboard: dict[str, object]
) -> None:
    while True:
        await asyncio.sleep(0.25)
        _print_new(emu, sam, shown, keyboard)


def _print_new(
    emu: BotApiEmulator, sam: SimulatedUser, shown: dict[int, int], keyboard: dict[str, object]
) -> None:
    for chat, who in ((CLIENT_ID, "bot"), (THERAPIST_ID, "to Dr. Demo")):
        messages = emu.sent_messages(chat)
        for message in messages[shown.get(chat, 0) :]:
            style = "green" if chat == CLIENT_ID else "magenta"
            console.print(Text(f"{who}: ", style=f"bold {style}") + render(message))
        shown[chat] = len(messages)
    labels = sam.buttons()
    if labels and labels != keyboard.get("labels"):
        console.print(
            "   " + "   ".join(f"[{n}] {label}" for n, label in enumerate(labels, 1)),
            style="cyan",
            markup=False,
        )
    keyboard["labels"] = labels
