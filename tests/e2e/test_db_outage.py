"""A PostgreSQL connection killed in the middle of a client's update: the update is tried again and
nothing is lost (the killing is real: the backend of the bot's own transaction is terminated)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.storage.models import LogEntry
from bot.testing.harness import BotHarness

pytestmark = pytest.mark.e2e
KILL = "SELECT pg_terminate_backend(pg_backend_pid())"


class BackendKiller:
    """Turns the next `times` statements that start with `prefix` into the backend's own death."""

    def __init__(self, prefix: str, times: int) -> None:
        self.prefix = prefix
        self.times = times
        self.killed = 0

    def __call__(
        self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any
    ) -> tuple[str, Any]:
        if self.killed < self.times and statement.lstrip().upper().startswith(self.prefix):
            self.killed += 1
            return KILL, ()
        return statement, parameters


@pytest.mark.parametrize(
    "db", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
@pytest.mark.parametrize("kills", [1, 3])
async def test_a_note_survives_its_connection_being_killed_mid_transaction(db, tmp_path, kills):
    """Sam writes a note while PostgreSQL drops the connection (once, or three times running):
    Sam gets the usual answer, not an apology, and the note is stored once."""
    await db.dispose()  # the harness opens its own engine on the same (emptied) database
    async with BotHarness(tmp_path, database_url=db.url) as h:
        await h.add_therapist(1, "Dr. Ruiz")
        sam = await h.onboarded_client(1001, "Sam", therapist=1)
        await sam.send("/note")
        await h.tap_when_shown(sam, "Write a note")
        await h.settled()  # the note prompt is open and shown (not just: nothing came for a while)
        killer = BackendKiller("INSERT INTO PROCESSED_UPDATE", kills)
        event.listen(h.runtime.db.engine.sync_engine, "before_cursor_execute", killer, retval=True)
        try:
            await sam.send("Hard to focus at work today")
            await h.settled(timeout=30)  # handled (with its retries) and answered
            replies = await sam.replies_until_idle(0.1)
        finally:
            event.remove(h.runtime.db.engine.sync_engine, "before_cursor_execute", killer)
        assert killer.killed == kills
        assert replies
        assert not any("Sorry, something went wrong" in r.text for r in replies)
        async with h.runtime.db.session() as s:
            notes = [e.note for e in (await s.exec(select(LogEntry))).all() if e.note]
        assert notes == ["Hard to focus at work today"]
