"""Rows written with Core on the hot path: sealed like the ORM seals them, and left as if flushed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlmodel import select

from bot.storage import Database
from bot.storage.core_rows import insert_row, save_changes
from bot.storage.models import Client, FlowRun, LogEntry, Therapist

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
NOTE = "the dog died and I can't stop crying"
FEELING = "heartbroken"


async def _client(db: Database) -> int:
    async with db.session() as s:
        therapist = Therapist(telegram_id=9001, name="Dr. T")
        s.add(therapist)
        await s.flush()
        client = Client(therapist_id=therapist.id, telegram_id=77, chat_id=77, first_name="Sam")
        s.add(client)
        await s.flush()
        assert client.id is not None
        return client.id


async def _raw(db: Database, sql: str) -> list[tuple[Any, ...]]:
    async with db.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(sa.text(sql))).all()]


class _Statements:
    def __init__(self, db: Database) -> None:
        self.engine = db.engine.sync_engine
        self.seen: list[str] = []

    def __enter__(self) -> list[str]:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self.seen

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.seen.append(statement)


async def test_an_inserted_entry_is_ciphertext_at_rest_and_reads_back_plain(db: Database) -> None:
    """The client's words go in as `v2.<key id>.…` bound to the row, like a flushed row's, in one
    statement; the ORM reads them back as written."""
    client_id = await _client(db)
    entry = LogEntry(
        client_id=client_id, kind="log", recorded_at=NOW, distress=6, note=NOTE, feelings=[FEELING]
    )
    with _Statements(db) as seen:
        async with db.session() as s:
            await insert_row(s, entry)
            assert entry not in s  # written, not kept
    assert sum(1 for x in seen if x.startswith("INSERT")) == 1
    async with db.session() as s:  # a row written the ORM's way, for comparison
        s.add(LogEntry(client_id=client_id, kind="log", recorded_at=NOW, note=NOTE))

    rows = await _raw(db, "SELECT note, feelings, distress FROM log_entry ORDER BY id")
    (core_note, core_feelings, distress), (orm_note, _, _) = rows
    for stored in (core_note, core_feelings, orm_note):
        assert isinstance(stored, str)
        assert stored.startswith("v2.")
    assert NOTE not in core_note
    assert FEELING not in core_feelings
    assert core_note.split(".")[:2] == orm_note.split(".")[:2]  # same format and key
    assert distress == 6  # numbers stay clear
    async with db.session() as s:
        first, second = (await s.exec(select(LogEntry).order_by(LogEntry.id))).all()  # type: ignore[arg-type]
    assert (first.note, first.feelings, first.distress) == (NOTE, [FEELING], 6)
    assert second.note == NOTE


async def test_a_kept_run_is_in_the_session_as_if_loaded(db: Database) -> None:
    """`keep`: the run gets its id and joins the session with nothing pending and plain values."""
    client_id = await _client(db)
    run = FlowRun(client_id=client_id, flow_id="log", flow_version="1", state={"note": NOTE})
    async with db.session() as s:
        await insert_row(s, run, keep=True)
        assert run.id is not None
        assert run in s
        assert not s.dirty
        assert not s.new
        assert await s.get(FlowRun, run.id) is run  # the identity map has it
        assert run.state == {"note": NOTE}
    ((state,),) = await _raw(db, "SELECT state FROM flow_run")
    assert state.startswith("v2.")
    assert NOTE not in state


async def test_saving_writes_only_what_changed_sealed_and_leaves_nothing_pending(
    db: Database,
) -> None:
    """One UPDATE of the changed columns: a column another writer changed meanwhile (the sender's
    prompt message ids) is not overwritten, and the commit writes nothing more."""
    client_id = await _client(db)
    async with db.session() as s:
        s.add(FlowRun(client_id=client_id, flow_id="log", flow_version="1", step_id="a"))
    async with db.session() as s:
        run = (await s.exec(select(FlowRun))).one()
        # Another writer's change (here in this transaction: SQLite has one writer at a time).
        await (await s.connection()).execute(
            sa.text("UPDATE flow_run SET prompt_messages = '{\"1\": 42}'")
        )
        run.step_id = "b"
        run.state = {"note": NOTE}
        run.flow_id = "log"  # set to what it was: not written
        with _Statements(db) as seen:
            await save_changes(s, run)
            assert not s.dirty
            await s.commit()
    updates = [x for x in seen if x.startswith("UPDATE")]
    assert len(updates) == 1
    assert "step_id" in updates[0]
    assert "state" in updates[0]
    assert "flow_id" not in updates[0]
    ((state, step, prompts),) = await _raw(
        db, "SELECT state, step_id, prompt_messages FROM flow_run"
    )
    assert state.startswith("v2.")
    assert NOTE not in state
    assert step == "b"
    assert "42" in str(prompts)
    async with db.session() as s:
        again = (await s.exec(select(FlowRun))).one()
    assert again.state == {"note": NOTE}
    assert run.state == {"note": NOTE}  # the application keeps the plain value


async def test_saving_an_unchanged_run_runs_no_statement(db: Database) -> None:
    client_id = await _client(db)
    async with db.session() as s:
        s.add(FlowRun(client_id=client_id, flow_id="log", flow_version="1"))
    async with db.session() as s:
        run = (await s.exec(select(FlowRun))).one()
        with _Statements(db) as seen:
            await save_changes(s, run)
    assert not [x for x in seen if x.startswith(("UPDATE", "INSERT"))]
    assert not inspect(run).modified
