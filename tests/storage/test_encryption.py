"""Field encryption at rest: ciphertext below the storage boundary, plain text above it, keys rotate."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from bot.storage import Database, upgrade_database
from bot.storage.crypto import (
    KeyRing,
    KeysError,
    MissingKeysError,
    UndecryptableError,
    load_keyring,
    new_key,
    use_keyring,
)
from bot.storage.migrations import alembic_config
from bot.storage.models import Client, FlowRun, LogEntry, Therapist, TriageEvent
from bot.storage.rotation import encrypted_columns, rotate

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
NOTE = "I keep thinking about my brother's funeral"
NAME = "Zebediah"


def ring(*keys: str) -> KeyRing:
    return KeyRing.parse(",".join(keys), "test")


async def _seed(db: Database) -> int:
    async with db.session() as s:
        therapist = Therapist(telegram_id=9001, name="Dr. T")
        s.add(therapist)
        await s.flush()
        client = Client(therapist_id=therapist.id, telegram_id=77, chat_id=77, first_name=NAME)
        s.add(client)
        await s.flush()
        assert client.id is not None
        s.add(
            LogEntry(
                client_id=client.id,
                kind="session_note",
                recorded_at=NOW,
                note=NOTE,
                feelings=["ashamed", "numb"],
                distress=7,
            )
        )
        s.add(FlowRun(client_id=client.id, flow_id="log", flow_version="1", state={"a": NOTE}))
        s.add(TriageEvent(client_id=client.id, at=NOW, reasons=["persisting"]))
        return client.id


async def _raw(db: Database, sql: str) -> list[tuple[object, ...]]:
    async with db.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(sa.text(sql))).all()]


class TestAtRest:
    async def test_client_words_are_ciphertext_in_the_database_and_plain_above_it(self, db):
        """The database holds `v2.<key id>.…`; the models read the client's words back as written."""
        await _seed(db)
        (note, feelings), *_ = await _raw(db, "SELECT note, feelings FROM log_entry")
        ((name,),) = await _raw(db, "SELECT first_name FROM client")
        for stored in (note, feelings, name):
            assert isinstance(stored, str)
            assert stored.startswith("v2.")
        assert NOTE not in note
        assert "ashamed" not in feelings
        assert NAME not in name
        async with db.session() as s:
            entry = (await s.exec(select(LogEntry))).one()
            client = (await s.exec(select(Client))).one()
            run = (await s.exec(select(FlowRun))).one()
        assert (entry.note, entry.feelings, entry.distress) == (NOTE, ["ashamed", "numb"], 7)
        assert client.first_name == NAME
        assert run.state == {"a": NOTE}

    async def test_ids_times_and_numbers_stay_clear(self, db):
        """Searching and sorting never need the plain text: ids, times and ratings are not encrypted."""
        await _seed(db)
        ((distress, kind),) = await _raw(db, "SELECT distress, kind FROM log_entry")
        assert (distress, kind) == (7, "session_note")

    def test_every_encrypted_column_is_bound_to_its_own_table_column_and_row(self):
        """The associated data names the column the value lives in, and every table with one has
        a row uid (so a copy into another column or row fails)."""
        for table, names in encrypted_columns().items():
            assert not table.c.uid.nullable, table.name
            for name in names:
                assert table.c[name].type.where == f"{table.name}.{name}"  # type: ignore[attr-defined]

    async def test_a_write_around_the_sealing_is_refused_not_stored_in_clear(self, db):
        """A Core INSERT that did not seal its value fails; nothing reaches the table."""
        client_id = await _seed(db)
        with pytest.raises(sa.exc.StatementError, match="must be sealed to its row"):
            async with db.session() as s:
                await s.exec(
                    sa.insert(LogEntry).values(  # type: ignore[call-overload]
                        client_id=client_id, kind="log", recorded_at=NOW, uid="u", note="clear"
                    )
                )
        assert await _raw(db, "SELECT count(*) FROM log_entry") == [(1,)]

    async def test_same_text_encrypts_differently_each_time(self):
        """A fresh nonce each time: equal notes cannot be spotted by equal ciphertexts."""
        keys = ring(new_key())
        assert keys.encrypt(b"same", "t.c") != keys.encrypt(b"same", "t.c")

    async def test_a_failed_write_leaves_the_plain_values_in_the_application(self, db):
        """The INSERT fails (a duplicate Telegram id): the object still holds its plain name,
        not the ciphertext it was about to be written as."""
        client_id = await _seed(db)
        async with db.session() as s:
            sam = await s.get(Client, client_id)
            assert sam is not None
        twin = Client(therapist_id=sam.therapist_id, telegram_id=77, chat_id=77, first_name=NAME)
        async with db.session() as s:
            s.add(twin)
            with pytest.raises(sa.exc.IntegrityError):
                await s.flush()
            await s.rollback()
        assert twin.first_name == NAME


class TestTampering:
    async def test_a_ciphertext_moved_to_another_column_fails_loudly(self, db, caplog):
        """A note's ciphertext copied into 'feeling' does not decrypt: an error, never the raw text."""
        await _seed(db)
        async with db.engine.begin() as conn:
            await conn.execute(sa.text("UPDATE log_entry SET feeling = note"))
        with pytest.raises(UndecryptableError, match=r"log_entry\.feeling"):
            async with db.session() as s:
                (await s.exec(select(LogEntry))).one()
        assert "undecryptable value in log_entry.feeling" in caplog.text
        assert NOTE not in caplog.text

    async def test_a_ciphertext_moved_to_another_row_fails_loudly_and_is_reported(self, db, caplog):
        """Two clients' notes swapped in the database: neither is shown as the other's; the read
        fails with the column named, and rotation reports both rows and leaves them alone."""
        client_id = await _seed(db)
        async with db.session() as s:
            sam = await s.get(Client, client_id)
            assert sam is not None
            other = Client(
                therapist_id=sam.therapist_id, telegram_id=78, chat_id=78, first_name="Ottilie"
            )
            s.add(other)
            await s.flush()
            assert other.id is not None
            s.add(LogEntry(client_id=other.id, kind="log", recorded_at=NOW, note="Ottilie's note"))
        rows = await _raw(db, "SELECT id, note FROM log_entry ORDER BY id")
        (first, note_a), (second, note_b) = rows
        async with db.engine.begin() as conn:
            swap = sa.text("UPDATE log_entry SET note = :note WHERE id = :id")
            await conn.execute(swap, {"note": note_b, "id": first})
            await conn.execute(swap, {"note": note_a, "id": second})
        for entry_id in (first, second):
            with pytest.raises(UndecryptableError, match=r"log_entry\.note"):
                async with db.session() as s:
                    await s.get(LogEntry, entry_id)
        with pytest.raises(UndecryptableError):  # a column read alone is bound to its row too
            async with db.session() as s:
                (await s.exec(select(LogEntry.note))).all()
        assert "undecryptable value in log_entry.note" in caplog.text
        assert NOTE not in caplog.text
        report = await rotate(db, ring(new_key(), *_current_keys()))
        assert sorted((f.table, f.row_id, f.column) for f in report.failures) == [
            ("log_entry", first, "note"),
            ("log_entry", second, "note"),
        ]
        assert await _raw(db, "SELECT id, note FROM log_entry ORDER BY id") == [
            (first, note_b),
            (second, note_a),
        ]

    async def test_a_swapped_update_payload_fails_loudly(self, db):
        """The raw updates in the inbox are bound to their rows as well."""
        from bot.service.inbox import Received, store
        from bot.storage.models import InboxUpdate

        await store(db, [Received(1, 77, {"text": NOTE}), Received(2, 78, {"text": "other"})], NOW)
        (one,), _ = await _raw(db, "SELECT payload FROM inbox_update ORDER BY update_id")
        assert NOTE not in str(one)
        async with db.engine.begin() as conn:
            await conn.execute(
                sa.text("UPDATE inbox_update SET payload = :p WHERE update_id = 2"), {"p": one}
            )
        async with db.session() as s:
            assert (await s.get(InboxUpdate, 1)).payload == {"text": NOTE}  # type: ignore[union-attr]
        with pytest.raises(UndecryptableError, match=r"inbox_update\.payload"):
            async with db.session() as s:
                await s.get(InboxUpdate, 2)

    async def test_a_changed_byte_fails_and_rotation_reports_the_row(self, db):
        """A tampered value is reported by `rotate` with table, row and column, and left alone."""
        await _seed(db)
        ((note,),) = await _raw(db, "SELECT note FROM log_entry")
        flipped = note[:-3] + ("A" if note[-3] != "A" else "B") + note[-2:]
        async with db.engine.begin() as conn:
            await conn.execute(sa.text("UPDATE log_entry SET note = :v"), {"v": flipped})
        with pytest.raises(UndecryptableError):
            async with db.session() as s:
                (await s.exec(select(LogEntry))).one()
        report = await rotate(db, ring(new_key(), *_current_keys()))
        assert [(f.table, f.column) for f in report.failures] == [("log_entry", "note")]
        assert await _raw(db, "SELECT note FROM log_entry") == [(flipped,)]

    async def test_plain_text_slipped_into_an_encrypted_column_is_refused(self, db):
        """Text written around the storage layer is not shown as if it had been encrypted."""
        await _seed(db)
        async with db.engine.begin() as conn:
            await conn.execute(sa.text("UPDATE client SET first_name = 'Mallory'"))
        with pytest.raises(UndecryptableError, match="not an encrypted value"):
            async with db.session() as s:
                (await s.exec(select(Client))).one()


def _current_keys() -> list[str]:
    import base64

    from bot.storage.crypto import active_keyring

    return [base64.urlsafe_b64encode(k).decode().rstrip("=") for k in active_keyring().keys]


class TestRotation:
    async def test_rows_written_under_a_are_read_under_b_alone_after_rotation(self, db):
        """Key A wrote the rows; with B newest, rotation re-encrypts all; then A can be dropped."""
        key_a, key_b = new_key(), new_key()
        use_keyring(ring(key_a))
        await _seed(db)
        use_keyring(ring(key_b, key_a))
        progress: dict[str, int] = {}
        report = await rotate(
            db,
            ring(key_b, key_a),
            batch_size=1,
            progress=lambda t, n: progress.__setitem__(t, progress.get(t, 0) + n),
        )
        assert report.failures == []
        assert report.rotated == 5  # name, note, feelings, state, reasons (the rest are NULL)
        assert progress == {"client": 1, "flow_run": 1, "log_entry": 1, "triage_event": 1}
        use_keyring(ring(key_b))
        async with db.session() as s:
            assert (await s.exec(select(LogEntry))).one().note == NOTE
            assert (await s.exec(select(Client))).one().first_name == NAME
        again = await rotate(db, ring(key_b))
        assert (again.rotated, again.current) == (0, 5)  # resumable: done rows are skipped

    async def test_rotation_covers_the_raw_updates_in_the_inbox(self, db):
        """A raw update waiting in the inbox (keyed by update id) is rotated like any row."""
        from bot.service.inbox import Received, store
        from bot.storage.models import InboxUpdate

        key_a, key_b = new_key(), new_key()
        use_keyring(ring(key_a))
        await store(db, [Received(2**40, 77, {"text": NOTE})], NOW)
        report = await rotate(db, ring(key_b, key_a))
        assert (report.rotated, report.failures) == (1, [])
        use_keyring(ring(key_b))
        async with db.session() as s:
            update = await s.get(InboxUpdate, 2**40)
        assert update is not None
        assert update.payload == {"text": NOTE}

    async def test_rotation_alongside_the_bot_loses_no_write(self, db):
        """The bot rewrites notes while rotation runs: every new note survives, all under B."""
        key_a, key_b = new_key(), new_key()
        use_keyring(ring(key_a))
        client_id = await _seed(db)
        async with db.session() as s:
            for i in range(40):
                s.add(LogEntry(client_id=client_id, kind="log", recorded_at=NOW, note=f"old {i}"))
        async with db.session() as s:
            ids = [e.id for e in (await s.exec(select(LogEntry).order_by(LogEntry.id))).all()]
        use_keyring(ring(key_b, key_a))  # the restarted bot: writes under B, reads A and B

        async def bot_writes() -> None:
            for n, entry_id in enumerate(ids):
                async with db.session() as s:
                    entry = await s.get(LogEntry, entry_id)
                    assert entry is not None
                    entry.note = f"new {n}"
                    s.add(entry)
                await asyncio.sleep(0)

        report, _ = await asyncio.gather(rotate(db, ring(key_b, key_a), batch_size=3), bot_writes())
        assert report.failures == []
        use_keyring(ring(key_b))
        async with db.session() as s:
            notes = [e.note for e in (await s.exec(select(LogEntry).order_by(LogEntry.id))).all()]
        assert notes == [f"new {n}" for n in range(len(ids))]

    async def test_without_rotation_the_old_key_cannot_be_dropped(self, db):
        """Rows under A do not read with B alone: the error names the column and A's key id."""
        key_a, key_b = new_key(), new_key()
        use_keyring(ring(key_a))
        await _seed(db)
        use_keyring(ring(key_b))
        with pytest.raises(UndecryptableError, match="unknown key"):
            async with db.session() as s:
                (await s.exec(select(Client))).one()

    def test_keys_rotate_command_shows_progress_and_reports(self, tmp_path, monkeypatch):
        """`checkin keys rotate` re-encrypts under the first key in CHECKIN_DATA_KEYS."""
        key_a, key_b = new_key(), new_key()
        url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
        use_keyring(ring(key_a))

        async def seed() -> None:
            db = Database(url)
            try:
                await upgrade_database(db)
                await _seed(db)
            finally:
                await db.dispose()

        asyncio.run(seed())
        use_keyring(None)
        monkeypatch.setenv("CHECKIN_DATA_KEYS", f"{key_b},{key_a}")
        config = tmp_path / "c.yaml"
        config.write_text(f'database_url: "{url}"\n')
        result = CliRunner().invoke(app, ["--config", str(config), "keys", "rotate"])
        assert result.exit_code == 0, result.output
        assert "Rotated 5 values" in result.output
        assert "older keys may now leave CHECKIN_DATA_KEYS" in result.output


class TestKeys:
    def test_no_key_is_one_clear_line(self):
        """Without CHECKIN_DATA_KEYS or a key file, the error says what to set and how."""
        with pytest.raises(MissingKeysError) as caught:
            load_keyring({})
        message = str(caught.value)
        assert "\n" not in message
        assert "CHECKIN_DATA_KEYS" in message
        assert "checkin keys new" in message

    def test_a_malformed_key_is_named(self):
        with pytest.raises(KeysError, match="key 2 is not a base64url AES-256 key"):
            load_keyring({"CHECKIN_DATA_KEYS": f"{new_key()},short"})

    def test_keys_come_from_a_file_newest_first(self, tmp_path):
        first, second = new_key(), new_key()
        path = tmp_path / "keys"
        path.write_text(f"{first}\n{second}\n")
        keys = load_keyring({"CHECKIN_DATA_KEYS_FILE": str(path)})
        assert keys.newest_id == ring(first).newest_id
        assert len(keys.keys) == 2

    def test_keys_new_prints_a_usable_key(self):
        out = CliRunner().invoke(app, ["keys", "new"]).output.strip()
        assert len(load_keyring({"CHECKIN_DATA_KEYS": out}).keys) == 1

    def test_run_refuses_to_start_without_a_key(self, tmp_path, monkeypatch):
        """`checkin run` with no key exits 1 with one line, before touching the database."""
        monkeypatch.delenv("CHECKIN_DATA_KEYS", raising=False)
        monkeypatch.delenv("CHECKIN_DATA_KEYS_FILE", raising=False)
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "42:ANY")
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'r.sqlite3'}")
        use_keyring(None)
        result = CliRunner().invoke(app, ["run"])
        assert result.exit_code == 1
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1
        assert lines[0].startswith("no data encryption key")
        assert not (tmp_path / "r.sqlite3").exists()


class TestMigration:
    async def test_plain_rows_from_before_are_encrypted_by_the_migration(self, db):
        """A database at 0001 with plain text rows is encrypted in place by the upgrade."""
        cfg = alembic_config(db.url)

        def down(connection: sa.Connection) -> None:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0001")

        async with db.engine.begin() as conn:
            await conn.run_sync(down)
        try:
            async with db.engine.begin() as conn:
                await conn.execute(
                    sa.text(
                        "INSERT INTO therapist (id, telegram_id, name, created_at) "
                        "VALUES (1, 5, 'Dr. P', :t)"
                    ),
                    {"t": NOW.replace(tzinfo=None)},
                )
                await conn.execute(
                    sa.text(
                        "INSERT INTO client (id, therapist_id, telegram_id, chat_id, first_name,"
                        " language, timezone, consent_checkins, consent_alerts, status, created_at)"
                        " VALUES (1, 1, 6, 6, :n, 'en', 'UTC', false, false, 'active', :t)"
                    ),
                    {"n": NAME, "t": NOW.replace(tzinfo=None)},
                )
                await conn.execute(
                    sa.text(
                        "INSERT INTO log_entry (id, client_id, kind, recorded_at, note, feelings,"
                        " harder) VALUES (1, 1, 'log', :t, :note, :f, 'null')"
                    ),
                    {"t": NOW.replace(tzinfo=None), "note": NOTE, "f": json.dumps(["numb"])},
                )
        finally:
            await upgrade_database(db)
        rows = await _raw(db, "SELECT note, feelings, harder FROM log_entry")
        assert str(rows[0][0]).startswith("v2.")
        assert str(rows[0][1]).startswith("v2.")
        assert rows[0][2] is None
        async with db.session() as s:
            entry = (await s.exec(select(LogEntry))).one()
            client = (await s.exec(select(Client))).one()
        assert (entry.note, entry.feelings, entry.harder) == (NOTE, ["numb"], None)
        assert client.first_name == NAME

    async def test_payloads_and_reasons_in_clear_are_encrypted_by_the_upgrade(self, db):
        """A database at 0007 holds a raw update, an outgoing text and a screening reason in
        clear; after the upgrade they are ciphertexts bound to their rows, and read back."""
        cfg = alembic_config(db.url)

        def down(connection: sa.Connection) -> None:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0007_measures")

        client_id = await _seed(db)
        async with db.engine.begin() as conn:
            await conn.run_sync(down)
        t = NOW.replace(tzinfo=None) if db.is_sqlite else NOW
        try:
            async with db.engine.begin() as conn:
                update = {"message": {"text": NOTE, "from": {"first_name": NAME}}}
                await conn.execute(
                    sa.text(
                        "INSERT INTO inbox_update (update_id, chat_id, payload, status,"
                        " received_at) VALUES (5, 77, :p, 'pending', :t), (6, 77, '{}', 'done', :t)"
                    ),
                    {"p": json.dumps(update), "t": t},
                )
                await conn.execute(
                    sa.text(
                        "INSERT INTO outbox_message (chat_id, kind, payload, status, attempts,"
                        " resends, next_attempt_at, deadline, created_at)"
                        " VALUES (77, 'send', :p, 'pending', 0, 0, :t, :t, :t)"
                    ),
                    {"p": json.dumps({"text": f"You wrote: {NOTE}"}), "t": t},
                )
                await conn.execute(
                    sa.text("UPDATE log_entry SET reason = 'suicidal_ideation'"),
                )
        finally:
            await upgrade_database(db)
        rows = await _raw(db, "SELECT payload FROM inbox_update ORDER BY update_id")
        assert str(rows[0][0]).startswith("v2.")
        assert rows[1][0] is None  # emptied when handled: nothing to encrypt
        for sql in ("SELECT payload FROM outbox_message", "SELECT reason FROM log_entry"):
            ((stored,),) = await _raw(db, sql)
            assert str(stored).startswith("v2.")
        from bot.storage.models import InboxUpdate, OutboxMessage

        async with db.session() as s:
            inbox = (await s.exec(select(InboxUpdate).order_by(InboxUpdate.update_id))).all()
            outbox = (await s.exec(select(OutboxMessage))).one()
            entry = (await s.exec(select(LogEntry))).one()
            client = await s.get(Client, client_id)
        assert [u.payload for u in inbox] == [update, {}]
        assert outbox.payload == {"text": f"You wrote: {NOTE}"}
        assert (entry.reason, entry.note) == ("suicidal_ideation", NOTE)
        assert client is not None
        assert client.first_name == NAME


# Text and JSON columns left in clear, each with why it never holds what a client wrote or
# revealed (ids, kinds, statuses and settings; see docs/privacy.md). A new text column must be
# encrypted or added here with its reason.
CLEAR_TEXT = {
    "audit_log": {"actor": "who, by role and id", "action": "a fixed kind", "target": "an id"},
    "data_key": {"key_id": "8 hex digits of a key's SHA-256, never a key or a client's word"},
    "inbox_update": {"uid": "random", "status": "a state", "error": "an exception class"},
    "outbox_message": {
        "uid": "random",
        "kind": "send | buttons | document | photo",
        "status": "a state",
        "claimed_by": "a worker id",
        "error": "an error class or Telegram's reason, never the text",
    },
    "therapist": {
        "name": "the therapist's professional details, not a client's",
        "contact": "the therapist's",
        "hours": "the therapist's",
        "timezone": "the therapist's",
        "on_call": "the therapist's",
        "caseload_time": "a time of day, or off",
        "awaiting": "a kind, ids and times",
    },
    "client": {
        "uid": "random",
        "language": "a language code",
        "timezone": "a zone name",
        "country": "an ISO code",
        "status": "a state",
    },
    "invite": {"uid": "random", "code_hash": "a SHA-256"},
    "console_login": {"token_hash": "a SHA-256"},
    "console_session": {"token_hash": "a SHA-256", "via": "link | telegram"},
    "due_work": {
        "key": "ids and times",
        "kind": "a kind",
        "status": "a state",
        "claimed_by": "a worker id",
        "payload": "ids, times and per-client status snapshots",
        "outcome": "a reason code",
    },
    "flow_run": {
        "uid": "random",
        "flow_id": "a flow id",
        "flow_version": "a hash",
        "step_id": "a step id",
        "status": "a state",
        "prompt_messages": "Telegram message ids",
        "end_reason": "a reason code",
    },
    "log_entry": {"uid": "random", "kind": "a kind"},
    "measure_schedule": {"measures": "flow ids", "anchor": "a kind", "starts_on": "a date"},
    "measure_score": {
        "uid": "random",
        "measure": "a flow id",
        "band": "named from the total",
        "bands": "the flow's band starts and names",
    },
    "policy_override": {
        "offsets": "durations",
        "quiet_start": "a time",
        "quiet_end": "a time",
        "reminder_after": "a duration",
        "triage": "thresholds",
    },
    "therapy_session": {
        "source": "a kind",
        "external_uid": "a calendar event id",
        "changes": "times",
    },
    "triage_event": {
        "uid": "random",
        "source": "a kind",
        "level": "a level",
        "delivery": "a state",
        "last_error": "an error class",
    },
}


def test_every_text_column_is_encrypted_or_known_to_hold_no_client_words() -> None:
    """A text or JSON column is either encrypted or listed above with why it is safe in clear."""
    from sqlmodel import SQLModel

    from bot.storage.types import Encrypted

    unexplained = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            kind = getattr(column.type, "impl_instance", column.type)
            if isinstance(column.type, Encrypted) or not isinstance(kind, sa.String | sa.JSON):
                continue
            if column.name not in CLEAR_TEXT.get(table.name, {}):
                unexplained.append(f"{table.name}.{column.name}")
    assert unexplained == [], (
        f"text columns in clear without a reason: {unexplained}; encrypt them (models._secret) "
        "or add them to CLEAR_TEXT with why they never hold a client's words"
    )
