"""CPU of one small Core statement through the ORM session against the session's connection.

    .venv/bin/python bench/statement_path.py        # SQLite in a temp folder, 5 rounds of 2,000

The step's hot Core statements (the inbox take, the processed id, the outbox rows) run on the
session's connection (`bot.storage.db.run_core`); this shows what that saves per statement, and
what a transaction of its own costs besides (why deliveries are recorded together on SQLite).
Rounds alternate the two paths so other load on the machine hits them alike.
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
import statistics
import tempfile
import time
from datetime import UTC, datetime

from bot.service.core import _PROCESSED
from bot.storage import Database, upgrade_database
from bot.storage.crypto import use_ephemeral_keys_unless_set
from bot.storage.db import run_core

NOW = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


async def measure(rounds: int, count: int) -> dict[str, list[float]]:
    use_ephemeral_keys_unless_set()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/bench.sqlite3")
        await upgrade_database(db)
        taken: dict[str, list[float]] = {"session": [], "connection": [], "transaction": []}
        next_id = 0
        for _ in range(rounds):
            async with db.session() as s:
                started = time.process_time()
                for n in range(next_id, next_id + count):
                    await s.exec(_PROCESSED, params={"done_id": n, "done_at": NOW})
                taken["session"].append((time.process_time() - started) / count)
            next_id += count
            async with db.session() as s:
                started = time.process_time()
                for n in range(next_id, next_id + count):
                    await run_core(s, _PROCESSED, {"done_id": n, "done_at": NOW})
                taken["connection"].append((time.process_time() - started) / count)
            next_id += count
            started = time.process_time()
            for n in range(next_id, next_id + count // 10):
                async with db.session() as s:
                    await run_core(s, _PROCESSED, {"done_id": n, "done_at": NOW})
            taken["transaction"].append((time.process_time() - started) / (count // 10))
            next_id += count
        await db.dispose()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    taken = asyncio.run(measure(args.rounds, args.count))
    labels = {
        "session": "INSERT of one row through session.exec",
        "connection": "the same INSERT on the session's connection (run_core)",
        "transaction": "a transaction of its own with that INSERT on the connection",
    }
    for key, label in labels.items():
        values = sorted(v * 1e6 for v in taken[key])
        print(
            f"{label}: median {statistics.median(values):.0f} us CPU ({values[0]:.0f}-{values[-1]:.0f})"
        )


if __name__ == "__main__":
    main()
