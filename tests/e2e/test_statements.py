"""What a client's step costs the database, counted statement by statement.

Every statement a step runs is CPU on the one core a replica has (SQLAlchemy, the driver, the
database): checkin's burst in bench/telegram.py is bound by it. These ceilings hold the cuts
made so far; a change that adds a statement to the common path (a client answering a check-in
question) fails here, not only in the bench.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.storage import Database
from bot.testing.harness import BotHarness

THERAPIST = 1
CLIENT = 1001
pytestmark = pytest.mark.e2e

# The bench's five steps: start a check-in, rate 5 (triage, the silence check), answer the
# last question (the flow's triage, the end), start again, rate 3.
STEPS = ("/checkin", "5", "Nothing now", "/checkin", "3")
# Statements each step may run on SQLite: the step's one transaction (the delivery's record is
# written by the delivery log, from its own task).
SQLITE_CEILINGS = (6, 9, 8, 6, 9)
# PostgreSQL adds the chat's advisory lock to both transactions, asks for the chat's unfinished
# outbox rows after that lock (SQLite learns it from the inbox take), and records the delivery
# in this task: the row, and the run's prompt message when the step asked a question.
POSTGRES_EXTRA = (5, 5, 4, 5, 5)


class StepStatements:
    """Statements run by the chat's own inbox task (its step and the delivery after it); the
    pollers' and the dispatcher's statements run in other tasks and are not counted."""

    def __init__(self, chat_id: int) -> None:
        self.task_name = f"inbox-{chat_id}"
        self.seen: Counter[str] = Counter()

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        task = asyncio.current_task()
        if task is not None and task.get_name() == self.task_name:
            self.seen[" ".join(statement.split()[:4])] += 1

    def take(self) -> Counter[str]:
        seen, self.seen = self.seen, Counter()
        return seen


async def test_a_check_in_step_runs_at_most_its_statements(db: Database, tmp_path: Path):
    """Each of the bench's steps stays under its ceiling, one reading of each kind at most."""
    await db.dispose()  # the harness opens its own engine on the same (emptied) database
    sqlite = db.is_sqlite
    async with BotHarness(tmp_path, database_url=db.url) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        counter = StepStatements(CLIENT)
        engine = h.runtime.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            steps = []
            for text in STEPS:
                await sam.send(text)
                await h.settled()
                assert (await sam.replies_until_idle(0.05)) != []
                steps.append(counter.take())
        finally:
            event.remove(engine, "before_cursor_execute", counter)
    extras = (0,) * len(STEPS) if sqlite else POSTGRES_EXTRA
    for text, seen, ceiling, extra in zip(STEPS, steps, SQLITE_CEILINGS, extras, strict=True):
        assert sum(seen.values()) <= ceiling + extra, (text, dict(seen))
    start, rating = steps[0], steps[1]
    # Triage reads the log once (the check-ins and the latest rating together) and the triage
    # events once (the crisis messages and the latest acknowledgement together).
    assert sum(n for s, n in rating.items() if s.startswith("SELECT log_entry.id,")) == 1
    assert sum(n for s, n in rating.items() if s.startswith("SELECT triage_event.")) == 1
    # The client, their therapist, their open run and the therapist's own triage thresholds
    # come in one statement: none of the last three is read on its own.
    for seen in steps:
        assert not any(s.startswith(("SELECT flow_run.", "SELECT policy_override.")) for s in seen)
        assert not any(s.startswith("SELECT therapist.") for s in seen), seen
    # A new run's context (the latest note to the future self, the count of session notes) is
    # one read of the log; the run's row and the rating's log entry are one statement each.
    assert sum(n for s, n in start.items() if "log_entry" in s) == 1, start
    assert sum(n for s, n in start.items() if s.startswith("INSERT INTO flow_run")) == 1
    assert sum(n for s, n in rating.items() if s.startswith("INSERT INTO log_entry")) == 1
    assert sum(n for s, n in rating.items() if s.startswith("UPDATE flow_run SET step_id")) == 1
    if sqlite:  # the chat's unfinished outbox rows come with the inbox take
        assert not any("outbox_message" in s and s.startswith("SELECT") for s in rating), rating
