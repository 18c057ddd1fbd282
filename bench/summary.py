"""How long a /summary step holds its transaction (and so its chat's lock): the summary read, its
rows written to the outbox, the commit. Before the change the chart was drawn in there too; now
the outbox sender draws it after the commit (bot/service/drawings.py).

    .venv/bin/python bench/summary.py               # 15 rounds each, on SQLite in a temp folder

'drawn inside' adds the chart drawing to the step (what the step did before); 'drawn after' is
the step as it is. Both alternate round by round so other load on the machine hits them alike.
"""

# ruff: noqa: E402 - the imports must follow the sys.path fix below
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from bot.config import Config
from bot.service.chart import render_chart
from bot.service.outbox import OutboxSettings, queue
from bot.service.outgoing import Batch
from bot.service.summary import build_summary, send_summary
from bot.storage import Database, upgrade_database
from bot.storage.crypto import KeyRing, new_key, use_keyring
from bot.storage.models import Client, LogEntry, Therapist, TherapySession

NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)


async def prepare(db: Database) -> Client:
    """A client with a weekly series and three weeks of daily ratings."""
    async with db.session() as s:
        therapist = Therapist(telegram_id=1, name="Dr. Ruiz", timezone="Europe/London")
        s.add(therapist)
        await s.flush()
        assert therapist.id is not None
        client = Client(therapist_id=therapist.id, telegram_id=1001, chat_id=1001, label="Sam")
        s.add(client)
        await s.flush()
        assert client.id is not None
        start = NOW - timedelta(weeks=3, hours=-2)
        s.add(
            TherapySession(
                client_id=client.id, therapist_id=therapist.id, starts_at=start, weekly=True
            )
        )
        for day in range(21):
            at = NOW - timedelta(days=21 - day, hours=-6)
            s.add(LogEntry(client_id=client.id, kind="log", recorded_at=at, distress=day % 9))
        return client


async def step(db: Database, config: Config, client: Client, *, draw_inside: bool) -> float:
    began = time.perf_counter()
    async with db.session() as s:
        summary = await build_summary(s, config, client, NOW)
        if draw_inside and summary.chart is not None:
            render_chart(summary.chart)  # what the step did before the change
        batch = Batch()
        send_summary(batch, 1, summary)
        await queue(s, batch, now=NOW, worker_id="bench", settings=OutboxSettings())
    return (time.perf_counter() - began) * 1000


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/bench.sqlite3")
        await upgrade_database(db)
        client = await prepare(db)
        config = Config()
        await step(db, config, client, draw_inside=True)  # warm: fonts, imports
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(rounds):
            for inside in (True, False):
                times[inside].append(await step(db, config, client, draw_inside=inside))
        await db.dispose()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"/summary step, transaction held (ms), {rounds} rounds each, load average {load}:")
    for inside, label in ((True, "drawn inside (before)"), (False, "drawn after (now)")):
        values = sorted(times[inside])
        print(
            f"  {label:24} median {statistics.median(values):6.1f}  "
            f"min {values[0]:6.1f}  max {values[-1]:6.1f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    use_keyring(KeyRing.parse(new_key(), "bench"))
    asyncio.run(main(args.rounds))
