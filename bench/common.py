"""What the benchmarks share: writing their own section of bench/RESULTS.md, and the therapist
with onboarded, consenting clients that a bench's bot talks to.

Imported as `bench.common`, after the script's sys.path fix (the repository root put first, and
this folder taken off: run as a script, bench/telegram.py would shadow the `telegram` package).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from bot.storage import Database
from bot.storage.models import Client, Therapist

RESULTS = Path(__file__).resolve().with_name("RESULTS.md")


def cpu_model(fallback: str) -> str:
    """The CPU's model name (from /proc/cpuinfo), for the machine line of a result; else
    `fallback`."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return fallback


def write_section(title: str, text: str, path: Path = RESULTS) -> None:
    """Replace the `## title` section of RESULTS.md with `text` (a new one goes at the end); the
    other sections belong to other benchmarks and stay as they are."""
    current = path.read_text("utf-8") if path.exists() else "# Benchmark results\n"
    section = f"## {title}\n\n{text.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: section + "\n", current).rstrip() + "\n"
    else:
        updated = current.rstrip() + "\n\n" + section
    path.write_text(updated, "utf-8")


async def add_clients(db: Database, therapist: str, people: Iterable[tuple[int, str]]) -> None:
    """A therapist (Telegram id 1) and, per (Telegram id, first name), an onboarded client of
    theirs who consented to check-ins: what a bench's simulated users need to be answered."""
    async with db.session() as s:
        # No morning caseload digest: from 08:30 to 09:30 (London) a run would send one to this
        # therapist, whom no bench's loopback API knows, and count it as a failed message.
        row = Therapist(
            telegram_id=1, name=therapist, contact="+44 20 0000 0000", caseload_time="off"
        )
        s.add(row)
        await s.flush()
        assert row.id is not None
        for telegram_id, first_name in people:
            s.add(
                Client(
                    therapist_id=row.id,
                    telegram_id=telegram_id,
                    chat_id=telegram_id,
                    first_name=first_name,
                    consent_checkins=True,
                )
            )
