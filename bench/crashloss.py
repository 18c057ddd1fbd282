"""Crash loss: a real `checkin run` killed with SIGKILL again and again while 2,000 updates flow.

    .venv/bin/python bench/crashloss.py            # 200 chats x 10 updates, 20 kills
    .venv/bin/python bench/crashloss.py --write    # also write the figures into bench/RESULTS.md

The default deployment: one `checkin run` process (long polling, SQLite), against the loopback
Bot API in this process (real HTTP between them). 200 clients each send a ten-update script, each
update after the answer to the one before (as a person does). Every `--every` answered updates
the bot is killed with SIGKILL, at whatever it is doing, and started again at once.

Counted at the end, from what the clients received and from the database:
- lost updates: an update that never got its answer, or is not marked handled;
- lost replies: a client's replies short of the script's (every client follows the same script,
  so every client must see the same replies, in the same order);
- duplicates: a reply a client saw twice in a row, beside the resends the outbox recorded (a
  message whose sender died mid-call is sent again: at most once more, and never silently).
"""

# ruff: noqa: E402 - the imports must follow the sys.path fix below
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(ROOT))

import argparse
import asyncio
import os
import signal
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy import func
from sqlmodel import col, select

from bench.common import RESULTS, add_clients, write_section
from bot.storage import Database, upgrade_database
from bot.storage.crypto import KEYS_ENV, new_key
from bot.storage.models import InboxUpdate, OutboxMessage, ProcessedUpdate
from bot.testing import BotApiEmulator, Limits

SCRIPT = ("/checkin", "5", "Nothing now", "/help", "/next") * 2  # ten updates a client
TOKEN = "77:CRASHLOSS"
FIRST_CHAT = 500_000


@dataclass
class Run:
    """One bot process after another, each killed in turn."""

    folder: Path
    env: dict[str, str]
    log: IO[bytes]
    proc: asyncio.subprocess.Process | None = None
    kills: int = 0
    restarts: list[float] = field(default_factory=list)  # seconds from kill to running again

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from bot.cli import main; main()",  # this checkout's bot, whatever is installed
            "run",
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=self.log,
        )
        assert self.proc.stdout is not None
        line = b""
        while b"is running" not in line:  # after any start-up notes
            line = await asyncio.wait_for(self.proc.stdout.readline(), 120)
            if not line:
                self.log.flush()
                raise RuntimeError(f"checkin run ended at start-up:\n{_tail(self.log.name)}")

    async def kill_and_restart(self) -> None:
        assert self.proc is not None
        started = time.perf_counter()
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        self.kills += 1
        await self.start()
        self.restarts.append(time.perf_counter() - started)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.proc.wait(), 30)


def _tail(path: str) -> str:
    return Path(path).read_text(errors="replace")[-2000:]


@dataclass
class Outcome:
    chats: int
    updates: int
    kills: int
    seconds: float
    restart_seconds: float
    unanswered: int  # updates whose answer never came
    unhandled: int  # updates not marked handled in the inbox
    lost_replies: int
    duplicates: int
    resends: int
    failed: int
    load: str

    def lines(self) -> list[str]:
        return [
            f"| {self.updates:,} updates from {self.chats} chats | {self.kills} | "
            f"{self.unanswered + self.unhandled} | {self.lost_replies} | {self.duplicates} | "
            f"{self.resends} | {self.failed} | {self.seconds:.0f} s | {self.restart_seconds:.1f} s |"
        ]


def _config(folder: Path, api: str) -> Path:
    path = folder / "crashloss.yaml"
    path.write_text(
        "telegram:\n"
        f'  api_base_url: "{api}"\n'
        '  mode: "polling"\n'
        '  send_lease: "3s"\n'  # how soon a killed sender's claimed messages are sent again
        f'flows_dir: "{ROOT / "flows"}"\n'
    )
    return path


async def _prepare(url: str, chats: list[int]) -> None:
    db = Database(url)
    try:
        await upgrade_database(db)
        await add_clients(db, "Dr. Crash", ((chat, "Sam") for chat in chats))
    finally:
        await db.dispose()


def _collapsed(texts: list[str]) -> list[str]:
    """Replies with a repeat of the one just before removed (a resend after a kill)."""
    return [t for i, t in enumerate(texts) if i == 0 or texts[i - 1] != t]


async def crashloss(chat_count: int, every: int, kills: int, answer_timeout: float) -> Outcome:
    os.environ.setdefault(KEYS_ENV, new_key())  # the bench's own throw-away data key
    chats = [FIRST_CHAT + n for n in range(chat_count)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'crashloss.sqlite3'}"
        await _prepare(url, chats)
        async with BotApiEmulator(token=TOKEN, limits=Limits(enforce=False)) as emu:
            for chat in chats:
                emu.user(chat, "Sam")
            env = dict(os.environ)
            env.update(
                CHECKIN_CONFIG=str(_config(folder, emu.base_url)),
                DATABASE_URL=url,
                TELEGRAM_BOT_TOKEN=TOKEN,
                PYTHONPATH=str(ROOT),
            )
            env.pop("TELEGRAM_API_BASE_URL", None)
            with (folder / "checkin.log").open("wb") as log:
                run = Run(folder, env, log)
                await run.start()
                answered = 0
                unanswered = 0
                next_kill = asyncio.Event()

                def replies(chat: int) -> int:
                    return len(_collapsed([m.text for m in emu.sent_messages(chat)]))

                async def client(chat: int) -> None:
                    nonlocal answered, unanswered
                    user = emu.user(chat, "Sam")
                    for step, text in enumerate(SCRIPT):
                        await user.send(text)
                        try:
                            await emu.wait_until(
                                lambda n=step: replies(chat) > n,  # type: ignore[misc]
                                answer_timeout,
                            )
                        except TimeoutError:
                            unanswered += 1
                        answered += 1
                        if answered % every == 0:
                            next_kill.set()

                async def killer() -> None:
                    while run.kills < kills:
                        await next_kill.wait()
                        next_kill.clear()
                        await run.kill_and_restart()

                started = time.perf_counter()
                killing = asyncio.create_task(killer())
                await asyncio.gather(*(client(chat) for chat in chats))
                elapsed = time.perf_counter() - started
                killing.cancel()
                # The last messages of a killed sender wait for their lease: let them go out.
                db = Database(url)
                try:
                    for _ in range(600):
                        async with db.session() as s:
                            unsent = (
                                await s.exec(
                                    select(func.count())
                                    .select_from(OutboxMessage)
                                    .where(col(OutboxMessage.status).in_(("pending", "sending")))
                                )
                            ).one()
                        if not unsent:
                            break
                        await asyncio.sleep(0.1)
                    await run.stop()
                    async with db.session() as s:
                        statuses = Counter((await s.exec(select(InboxUpdate.status))).all())
                        handled = (
                            await s.exec(select(func.count()).select_from(ProcessedUpdate))
                        ).one()
                        resends = (await s.exec(select(func.sum(OutboxMessage.resends)))).one()
                        failed = (
                            await s.exec(
                                select(func.count())
                                .select_from(OutboxMessage)
                                .where(col(OutboxMessage.status) == "failed")
                            )
                        ).one()
                finally:
                    await db.dispose()
        texts = {chat: [m.text for m in emu.sent_messages(chat)] for chat in chats}
    sequences = Counter(tuple(_collapsed(t)) for t in texts.values())
    expected = max(len(seq) for seq in sequences)
    reference = next(seq for seq in sequences if len(seq) == expected)
    lost = sum(
        len(reference) - len(seq) if reference[: len(seq)] == seq else len(reference)
        for seq in (tuple(_collapsed(t)) for t in texts.values())
    )
    duplicates = sum(len(t) - len(_collapsed(t)) for t in texts.values())
    total = chat_count * len(SCRIPT)
    return Outcome(
        chats=chat_count,
        updates=total,
        kills=run.kills,
        seconds=elapsed,
        restart_seconds=sum(run.restarts) / max(1, len(run.restarts)),
        unanswered=unanswered,
        unhandled=total - statuses.get("done", 0) + abs(total - handled),
        lost_replies=lost,
        duplicates=duplicates,
        resends=int(resends or 0),
        failed=int(failed),
        load=", ".join(f"{x:.1f}" for x in os.getloadavg()),
    )


def write_results(outcome: Outcome, command: str, path: Path = RESULTS) -> None:
    """Replace the `## Crash loss` section of bench/RESULTS.md (other sections are left alone)."""
    text = "\n".join(
        [
            f"Measured by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},"
            f" load average {outcome.load} (2 shared cores).",
            "One `checkin run` (long polling, SQLite) against the loopback Bot API in the bench's",
            "process; each client sends its next update once the previous one is answered; the",
            "bot is killed with SIGKILL every N answered updates, at whatever it is doing, and",
            "started again at once. Lost = never answered, not marked handled, or missing from",
            "the client's replies; duplicates = a reply seen twice in a row (resends = the ones the",
            "outbox recorded as possibly sent twice: every message claimed and not yet recorded",
            "when its sender was killed, whether or not Telegram already had it).",
            "",
            "| run | kill -9s | lost updates | lost replies | duplicates | resends recorded |"
            " failed | time | restart |",
            "|---|---|---|---|---|---|---|---|---|",
            *outcome.lines(),
        ]
    )
    write_section("Crash loss", text, path)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--answer-timeout", type=float, default=120.0, help="seconds per answer")
    parser.add_argument("--write", action="store_true", help="write into bench/RESULTS.md")
    args = parser.parse_args(argv)
    total = args.chats * len(SCRIPT)
    every = max(1, total // (args.kills + 1))  # kills spread over the whole run
    outcome = asyncio.run(crashloss(args.chats, every, args.kills, args.answer_timeout))
    print(outcome)
    if args.write:
        command = "bench/crashloss.py " + " ".join(a for a in argv if a != "--write")
        write_results(outcome, command.strip())


if __name__ == "__main__":
    main(sys.argv[1:])
