"""Dispatch benchmark: N due follow-ups through the Dispatcher and Delivery into the Bot API emulator.

Each row is due now for its own client in its own chat, so Telegram's global limit (30 messages/s,
enforced by the emulator) is the bound: N / 30 seconds. The handler is trivial, one message per row
(the real one starts a check-in flow). We report the time against the bound, the 429s the emulator
answered, and duplicates and losses counted from what the emulator received.

    python bench/dispatch.py              # 2,000 rows (about 67 s), what `make bench` runs
    python bench/dispatch.py --rows 10000 # the full run (at least 333 s)

Target: within 1.1 x the bound, nothing duplicated, nothing lost. Results go to bench/RESULTS.md
under "## Dispatch" (`--no-write` to only print).
"""

# ruff: noqa: E402  (imports follow the sys.path fix below, on purpose)
from __future__ import annotations

import sys
from pathlib import Path

# bench/telegram.py would shadow the `telegram` package: take this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import os
import platform
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 22: RetryAfter without deprecation noise

from telegram import Bot

from bot.clock import SystemClock
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.outcomes import Outcome, Retry, Sent, Skipped
from bot.storage import Database, upgrade_database
from bot.storage.crypto import use_ephemeral_keys_unless_set
from bot.storage.models import Client, DueWork, Therapist
from bot.testing.emulator import BotApiEmulator
from bot.testing.limits import Limits
from bot.transport.delivery import Delivery, DeliveryFailed, RecipientBlocked
from bot.transport.http import AiohttpRequest

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
FIRST_CHAT = 10_000_000


@dataclass
class Result:
    rows: int
    seconds: float
    bound: float
    too_many_requests: int
    sent: int
    duplicates: int
    lost: int
    statuses: dict[str, int]


async def seed(db: Database, rows: int, now: datetime) -> None:
    async with db.session() as s:
        therapist = Therapist(telegram_id=1, name="Bench")
        s.add(therapist)
        await s.flush()
        clients = [
            Client(
                therapist_id=therapist.id,
                telegram_id=FIRST_CHAT + n,
                chat_id=FIRST_CHAT + n,
                consent_checkins=True,
            )
            for n in range(rows)
        ]
        s.add_all(clients)
        await s.flush()
        s.add_all(
            DueWork(
                key=f"followup:bench:{c.id}",
                kind="followup",
                client_id=c.id,
                due_at=now - timedelta(seconds=1),
                payload={"chat_id": c.chat_id},
            )
            for c in clients
        )


async def run(rows: int, batch: int) -> Result:
    use_ephemeral_keys_unless_set()  # a throwaway data key, as the other benches use
    limits = Limits()  # Telegram's: 30/s overall, 1/s per chat
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        await upgrade_database(db)
        await seed(db, rows, datetime.now(UTC))
        async with BotApiEmulator(limits=limits) as emu:
            for n in range(rows):
                emu.user(FIRST_CHAT + n, f"Client {n}")
            request = AiohttpRequest(connection_pool_size=64, pool_timeout=30)
            bot = Bot(emu.token, base_url=emu.base_url, request=request)
            async with bot:
                delivery = Delivery(bot)

                async def handler(row: DueWork) -> Outcome:
                    try:
                        message = await delivery.send_message(
                            int(row.payload["chat_id"]), "Time for a short check-in?"
                        )
                    except RecipientBlocked:
                        return Skipped("unreachable")
                    except DeliveryFailed as exc:
                        return Retry(exc.reason)
                    return Sent(message.message_id)

                dispatcher = Dispatcher(db, SystemClock(), handler, "bench", batch=batch)
                started = time.perf_counter()
                while True:
                    report = await dispatcher.tick()
                    if report.claimed == 0:
                        break
                seconds = time.perf_counter() - started
            counts = [len(emu.sent_messages(FIRST_CHAT + n)) for n in range(rows)]
            too_many = emu.too_many_requests
        statuses = await _statuses(db)
        await db.dispose()
    return Result(
        rows=rows,
        seconds=seconds,
        bound=rows / limits.global_per_second,
        too_many_requests=too_many,
        sent=sum(counts),
        duplicates=sum(max(0, c - 1) for c in counts),
        lost=sum(1 for c in counts if c == 0),
        statuses=statuses,
    )


async def _statuses(db: Database) -> dict[str, int]:
    from sqlalchemy import func
    from sqlmodel import select

    async with db.session() as s:
        found = await s.exec(select(DueWork.status, func.count()).group_by(DueWork.status))
        return {status: int(n) for status, n in found.all()}


def render(result: Result, batch: int) -> str:
    ratio = result.seconds / result.bound
    verdict = (
        "meets the target"
        if ratio <= 1.1 and not result.duplicates and not result.lost
        else "MISSES the target"
    )
    return "\n".join(
        [
            "## Dispatch",
            "",
            f"`python bench/dispatch.py --rows N` on {platform.python_implementation()} "
            f"{platform.python_version()}, SQLite, the loopback emulator with Telegram's limits "
            "enforced (30/s overall, 1/s per chat); one row per chat, dispatcher batch "
            f"{batch}, Delivery's default limits (29/s overall, 1/s per chat).",
            "",
            "| rows | time | bound (rows / 30 per s) | ratio | 429s | duplicates | lost | rows by status |",
            "|---|---|---|---|---|---|---|---|",
            f"| {result.rows:,} | {result.seconds:.1f} s | {result.bound:.1f} s | {ratio:.3f} | "
            f"{result.too_many_requests} | {result.duplicates} | {result.lost} | "
            f"{', '.join(f'{k} {v}' for k, v in sorted(result.statuses.items()))} |",
            "",
            f"Latest run ({result.rows:,} rows): {verdict} (within 1.1 x the bound, none "
            "duplicated, none lost). "
            "`make bench` runs 2,000 rows (about 67 s); `--rows 10000` is the full run (at least "
            "333 s). Delivery paces itself a little under the limit (29/s) so network jitter never "
            "trips Telegram's; its initial burst is why short runs can finish under the bound.",
            "",
        ]
    )


def write_section(section: str, path: Path = RESULTS) -> None:
    """Replace only the `## Dispatch` section of RESULTS.md, keeping rows of other sizes' runs."""
    text = path.read_text() if path.exists() else "# Benchmark results\n\n"
    start = text.find("## Dispatch")
    if start == -1:
        path.write_text(text.rstrip("\n") + "\n\n" + section)
        return
    end = text.find("\n## ", start + 1)
    old_section = text[start:] if end == -1 else text[start : end + 1]
    lines = section.splitlines()
    new_rows = [line for line in lines if _size(line)]
    sizes = {_size(line) for line in new_rows}
    kept = [line for line in old_section.splitlines() if _size(line) not in sizes | {0}]
    at = lines.index(new_rows[0])
    lines[at : at + 1] = sorted(kept + new_rows, key=_size)
    rest = "" if end == -1 else "\n" + text[end + 1 :]
    path.write_text(text[:start] + "\n".join(lines) + "\n" + rest)


def _size(line: str) -> int:
    """The row count of a results table line (0 for any other line)."""
    m = re.match(r"^\| ([\d,]+) \| ", line)
    return int(m.group(1).replace(",", "")) if m else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000, help="due rows, one chat each")
    parser.add_argument("--batch", type=int, default=100, help="rows claimed per dispatcher batch")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.rows, args.batch))
    section = render(result, args.batch)
    print(section)
    if not args.no_write:
        write_section(section)
    ok = result.seconds <= 1.1 * result.bound and not result.duplicates and not result.lost
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
