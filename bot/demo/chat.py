"""The demo's terminal chat: what you type goes to the bot as Sam (or Dr. Demo), what the bot sends
to either of them is printed, files it sends are saved, and every refused call is shown."""

from __future__ import annotations

import asyncio
import html
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr
from rich.console import Console
from rich.text import Text
from sqlmodel import col, select

from bot.config import Config, ConsoleConfig
from bot.console.tokens import create_login_link
from bot.demo.clock import DemoClock
from bot.demo.keys import key_for, listing, live_keys
from bot.dialogue.terminal import html_to_rich
from bot.errors import CheckinError
from bot.logging import configure_logging
from bot.service.identity import add_therapist, create_invite, require_therapist
from bot.storage.crypto import use_ephemeral_keys_unless_set
from bot.storage.models import Client, DueWork, Therapist
from bot.testing import BotApiEmulator, Limits, SimulatedUser
from bot.testing.records import SentMessage
from bot.wiring import Runtime, build_runtime, start, stop

THERAPIST_ID = 1
CLIENT_ID = 1001
ReadLine = Callable[[], Awaitable[str | None]]

INTRO = (
    "[bold]checkin demo[/bold]: you are Sam, a client of Dr. Demo. Type a button's key to tap it "
    "(at a 0-10 scale just type the number), or type text.\n"
    "  [bold]/session[/bold]  'my session just ended': follow-ups arrive on a fast clock\n"
    "  [bold]/as therapist[/bold], [bold]/as client[/bold]  switch who is typing "
    "(the therapist has /help, /alerts, /clients, /summary Sam...)\n"
    "  [bold]/rejoin[/bold]  a fresh invite for Sam (after /delete)\n"
    "  [bold]/help[/bold] lists the bot's commands, [bold]/quit[/bold] ends.\n"
    "Everything the therapist receives is shown in magenta, marked 'to Dr. Demo (therapist)'.\n"
)


async def terminal_line() -> str | None:
    """One line from the keyboard (None at end of input)."""
    try:
        return await asyncio.to_thread(input, "you> ")
    except EOFError:
        return None


def fresh_database(folder: Path) -> Path:
    """Every demo starts from an empty database in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("demo.sqlite3*"):
        stale.unlink()
    return folder / "demo.sqlite3"


async def run_demo(
    config: Config,
    folder: Path,
    speed: float,
    *,
    read_line: ReadLine = terminal_line,
    console: Console | None = None,
    quiet: float = 1.5,
) -> None:
    """Run the bot on a fresh database in `folder` and chat with it until /quit or end of input."""
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
        demo_config = demo_config.model_copy(update={"console": demo_console(config.console)})
        configure_logging(demo_config.model_copy(update={"log_level": "WARNING"}))
        runtime = await build_runtime(demo_config, clock=clock)
        async with runtime.db.session() as s:
            await add_therapist(
                s,
                telegram_id=THERAPIST_ID,
                name="Dr. Demo",
                contact="+44 20 0000 0000",
                hours="Mon-Fri 9-17",
            )
        # Dr. Demo has opened the bot, as the README asks every therapist to, before it starts:
        # otherwise the start-up check would report them unreachable (a false alarm here).
        emu.user(THERAPIST_ID, "Dr. Demo", language_code="en")
        await start(runtime, tick_seconds=0.5)
        chat = DemoChat(
            emu, runtime, clock, folder, console or Console(highlight=False), speed, quiet
        )
        chat.console.print(await console_link(runtime), markup=False)
        try:
            await chat.run(read_line)
        finally:
            await chat.close()
            await stop(runtime)


def demo_console(console: ConsoleConfig) -> ConsoleConfig:
    """The console on for the demo, on localhost. The demo clock races ahead while follow-ups are
    awaited, so its links and sessions last a year of demo time instead of minutes."""
    year = timedelta(days=365)
    return console.model_copy(
        update={
            "enabled": True,
            "listen": "127.0.0.1",
            "port": console.port if _port_free(console.port) else 0,
            "public_url": None,
            "login_link_ttl": year,
            "idle_timeout": year,
            "session_max_age": year,
        }
    )


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


async def console_link(runtime: Runtime) -> str:
    """A one-time link that opens the console as Dr. Demo, in any browser on this machine."""
    assert runtime.console is not None
    async with runtime.db.session() as s:
        therapist = await require_therapist(s, THERAPIST_ID)
        token = await create_login_link(
            s, therapist, runtime.service.clock.now(), runtime.config.console
        )
    return (
        "Therapist console (Dr. Demo), open in a browser: "
        f"{runtime.console.url(f'/login/{token}')}\n"
        "(the link works once; as the therapist, /console gives a new one)\n"
    )


class DemoChat:
    """Both sides of the demo: the client Sam and the therapist Dr. Demo, one typing at a time."""

    def __init__(
        self,
        emu: BotApiEmulator,
        runtime: Runtime,
        clock: DemoClock,
        folder: Path,
        console: Console,
        speed: float,
        quiet: float,
    ) -> None:
        self.emu, self.runtime, self.clock = emu, runtime, clock
        self.folder, self.console, self.speed, self.quiet = folder, console, speed, quiet
        self.client = emu.user(CLIENT_ID, "Sam")
        # The therapist's chat exists, as if Dr. Demo had opened the bot: alerts can reach them.
        self.therapist = emu.user(THERAPIST_ID, "Dr. Demo", language_code="en")
        self.typing: SimulatedUser = self.client
        self.shown: dict[int, int] = {}
        self.failures_shown = 0
        self.listed = False
        self.tasks: set[asyncio.Task[None]] = set()
        self.before: tuple[int, int, int] | None = None  # what the bot had done before our turn

    # ---- the loop ----------------------------------------------------------------------------
    async def run(self, read_line: ReadLine) -> None:
        self.console.print(INTRO)
        self._background(self._print_forever())
        await self._rejoin()
        try:
            while True:
                await self._until_quiet()
                self.print_new()
                self._list_keys()
                line = await read_line()
                if line is None:
                    break
                line = line.strip()
                if line in ("/quit", "/exit"):
                    break
                self.listed = False
                self.before = self._signature()
                try:
                    await self.handle(line)
                except Exception:  # the demo survives anything; show it, never hide it
                    self.console.print("[bold red](the demo hit an error:)[/bold red]")
                    self.console.print_exception()
        finally:
            self.print_new()
            where = self.folder.resolve()
            self.console.print(f"[dim]Demo over. Its database and files are in {where}/.[/dim]")

    async def handle(self, line: str) -> None:
        """One typed line: a demo command, a tap on a live button, or text for the bot."""
        if line.startswith("/as "):
            self.before = None  # the demo answers this itself
            self._switch(line[3:].strip())
        elif line == "/rejoin":
            await self._rejoin()
        elif line == "/session" and self.typing is self.client:
            self.before = None
            if await self._session_just_ended():
                await self._fast_forward()
        elif key := key_for(line, live_keys(self.typing.messages, self.typing.last_action_seq)):
            await self.typing.tap(key.label, key.message_id)
        elif line:
            await self.typing.send(line)

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def _background(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # ---- demo commands -----------------------------------------------------------------------
    def _switch(self, who: str) -> None:
        if who in ("therapist", "t", "dr", "dr. demo"):
            self.typing = self.therapist
            self.console.print(
                "[dim](you are now Dr. Demo, the therapist; /help lists your "
                "commands; /as client switches back)[/dim]"
            )
        elif who in ("client", "c", "sam"):
            self.typing = self.client
            self.console.print("[dim](you are now Sam, the client)[/dim]")
        else:
            self.console.print("[dim](/as therapist or /as client)[/dim]")

    async def _rejoin(self) -> None:
        """A fresh invite from Dr. Demo, opened by Sam (the start, or after /delete)."""
        async with self.runtime.db.session() as s:
            therapist = (
                await s.exec(select(Therapist).where(Therapist.telegram_id == THERAPIST_ID))
            ).one()
            config = self.runtime.service.config
            code = await create_invite(s, therapist, self.clock.now(), config.invites.ttl)
        await self.client.send(f"/start {code}")

    async def _session_just_ended(self) -> bool:
        """What a therapist registering a session that just ended does: plan its follow-ups."""
        async with self.runtime.db.session() as s:
            client = (await s.exec(select(Client).where(Client.telegram_id == CLIENT_ID))).first()
        if client is None or client.id is None:
            self.console.print(
                "[dim](Sam is not a client any more: /delete removed everything. "
                "/rejoin opens a fresh invite.)[/dim]"
            )
            return False
        try:
            await self.runtime.service.sessions.client_aftersession(client.id, self.clock.now())
        except CheckinError as error:
            self.console.print(f"[dim](no session registered: {error})[/dim]", markup=False)
            return False
        self.console.print("[dim](session registered as just ended; follow-ups planned)[/dim]")
        return True

    async def _fast_forward(self) -> None:
        """Run the clock fast in the background until the next follow-up has been sent."""
        upcoming = await self._next_due()
        if upcoming is None:
            self.console.print("[dim](nothing is planned; see /next)[/dim]")
            return
        wait = upcoming.due_at - self.clock.now()
        self.console.print(
            f"[dim](next follow-up due in {wait / timedelta(hours=1):.1f} h of demo time; "
            f"the clock now runs {self.speed:.0f}x until it arrives)[/dim]"
        )
        self.clock.set_speed(self.speed)
        self._background(self._normal_speed_after(upcoming.key))

    async def _next_due(self) -> DueWork | None:
        async with self.runtime.db.session() as s:
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

    async def _normal_speed_after(self, key: str) -> None:
        try:
            while True:
                await asyncio.sleep(0.3)
                async with self.runtime.db.session() as s:
                    row = (await s.exec(select(DueWork).where(DueWork.key == key))).first()
                if row is None or row.status != "pending":
                    return
        finally:
            self.clock.set_speed(1.0)
            self.console.print("[dim](clock back to normal speed)[/dim]")

    # ---- what is shown -----------------------------------------------------------------------
    def _signature(self) -> tuple[int, int, int]:
        """Everything the bot did so far: messages sent, messages edited, taps answered."""
        messages = [m for chat in (CLIENT_ID, THERAPIST_ID) for m in self.emu.sent_messages(chat)]
        answered = sum(q.answered for q in self.emu.state.callback_queries.values())
        return len(messages), sum(len(m.edits) + m.deleted for m in messages), answered

    async def _until_quiet(self) -> None:
        """Wait until the bot has answered what was typed (at most 10 s), then until it has said
        all it has to say (at most 15 s), before asking for the next line."""
        before, self.before = self.before, None
        if before is not None:
            for _ in range(100):
                if self._signature() != before:
                    break
                await asyncio.sleep(0.1)
        last, still = self._signature(), 0.0
        for _ in range(int(15 / 0.1)):
            await asyncio.sleep(0.1)
            now = self._signature()
            still = still + 0.1 if now == last else 0.0
            last = now
            if still >= self.quiet:
                return

    async def _print_forever(self) -> None:
        while True:
            await asyncio.sleep(0.25)
            self.print_new()

    def print_new(self) -> None:
        """Print the bot's new messages to both people, saved files and refused calls."""
        fresh = False
        for user, who, style in (
            (self.client, "bot → Sam", "green"),
            (self.therapist, "bot → Dr. Demo (therapist)", "magenta"),
        ):
            messages = user.messages
            for message in messages[self.shown.get(user.user_id, 0) :]:
                self.console.print(Text(f"{who}: ", style=f"bold {style}") + _render(message))
                if message.content is not None:
                    self._save(message)
                fresh = fresh or user is self.typing
            self.shown[user.user_id] = len(messages)
        self._print_failures()
        if fresh:
            self.listed = False
            self._list_keys()

    def _save(self, message: SentMessage) -> None:
        assert message.content is not None
        owner = "sam" if message.chat_id == CLIENT_ID else "dr-demo"
        name = Path(message.file_name or f"{message.kind}.bin").name
        path = self.folder / f"{owner}-{message.message_id}-{name}"
        path.write_bytes(message.content)
        self.console.print(f"   (file saved: {path.resolve()})", style="dim", markup=False)

    def _print_failures(self) -> None:
        failures = self.emu.state.failures
        for failure in failures[self.failures_shown :]:
            to = {CLIENT_ID: " to Sam", THERAPIST_ID: " to Dr. Demo"}.get(failure.chat_id or 0, "")
            if failure.status == 429:
                line = f"(Telegram asked the bot to slow down: {failure.method}{to}; it retries)"
                self.console.print(line, style="dim", markup=False)
            else:
                line = (
                    f"(Telegram refused {failure.method}{to}: "
                    f"{failure.status} {failure.description})"
                )
                self.console.print(line, style="bold red", markup=False)
        self.failures_shown = len(failures)

    def _list_keys(self) -> None:
        """The current question's buttons, listed before every prompt (once per turn)."""
        if self.listed:
            return
        keys = live_keys(self.typing.messages, self.typing.last_action_seq)
        if keys:
            self.console.print("   " + listing(keys), style="cyan", markup=False)
        self.listed = True


def _render(message: SentMessage) -> Text:
    text = html_to_rich(
        message.raw_text if message.parse_mode == "HTML" else html.escape(message.text)
    )
    if message.kind != "text":
        text = Text(f"[{message.kind}: {message.file_name or 'file'}] ") + text
    return text
