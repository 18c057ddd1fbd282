"""The database knows which data keys its values are under: a CHECKIN_DATA_KEYS that holds none of
them is refused before anything is read or written; a fresh database takes any key and records it;
a rotation ring (new key first, old after it) passes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from bot.cli import app
from bot.storage import Database
from bot.storage.crypto import KEYS_ENV, KeyRing, new_key, use_keyring
from bot.storage.data_keys import (
    WrongKeysError,
    check_data_keys,
    forget_all_but_newest,
    recorded_ids,
    stored_ids,
)
from bot.storage.models import Client, Therapist
from bot.storage.rotation import rotate

runner = CliRunner()
RUIZ = 123456789


def ring(*keys: str) -> KeyRing:
    return KeyRing.parse(",".join(keys), "test")


def kid(key: str) -> str:
    return ring(key).newest_id


async def _recorded(db: Database) -> set[str]:
    async with db.session() as s:
        return await recorded_ids(await s.connection())


class TestCheck:
    async def test_a_fresh_database_accepts_any_key_and_records_its_id(self, db):
        a = new_key()
        await check_data_keys(db, ring(a))
        assert await _recorded(db) == {kid(a)}

    async def test_the_recorded_key_passes_again(self, db):
        a = new_key()
        await check_data_keys(db, ring(a))
        await check_data_keys(db, ring(a))
        assert await _recorded(db) == {kid(a)}

    async def test_another_key_is_refused_and_not_recorded(self, db):
        """The message names both key ids and the fix, and holds neither key."""
        a, b = new_key(), new_key()
        await check_data_keys(db, ring(a))
        with pytest.raises(WrongKeysError) as caught:
            await check_data_keys(db, ring(b))
        message = str(caught.value)
        assert kid(a) in message
        assert kid(b) in message
        assert "Nothing was read or written" in message
        assert "checkin keys rotate" in message
        assert a not in message
        assert b not in message
        assert await _recorded(db) == {kid(a)}

    async def test_a_rotation_ring_passes_and_rotation_retires_the_old_id(self, db):
        """NEW,OLD passes and records NEW; after a clean rotation only NEW is the data's key."""
        old, new = new_key(), new_key()
        use_keyring(ring(old))
        await check_data_keys(db, ring(old))
        await _seed(db)
        use_keyring(ring(new, old))
        await check_data_keys(db, ring(new, old))
        assert await _recorded(db) == {kid(old), kid(new)}
        report = await rotate(db, ring(new, old))
        assert report.failures == []
        await forget_all_but_newest(db, ring(new, old))
        assert await _recorded(db) == {kid(new)}
        await check_data_keys(db, ring(new))
        with pytest.raises(WrongKeysError):
            await check_data_keys(db, ring(old))

    async def test_a_database_from_before_the_record_is_judged_by_its_values(self, db):
        """Values stored before the `data_key` table existed say which key they are under."""
        a, b = new_key(), new_key()
        use_keyring(ring(a))
        await _seed(db)  # written without any check: nothing recorded
        assert await _recorded(db) == set()
        with pytest.raises(WrongKeysError):
            await check_data_keys(db, ring(b))
        assert await _recorded(db) == set()
        await check_data_keys(db, ring(a))
        assert await _recorded(db) == {kid(a)}


async def _seed(db: Database) -> None:
    async with db.session() as s:
        therapist = Therapist(telegram_id=9001, name="Dr. T")
        s.add(therapist)
        await s.flush()
        assert therapist.id is not None
        s.add(Client(therapist_id=therapist.id, telegram_id=77, chat_id=77, first_name="Zeb"))


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """A clinic's config on a SQLite file that does not exist yet (the README's first steps)."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database_url: sqlite:///{tmp_path / 'clinic.sqlite3'}\n"
        "telegram:\n  bot_username: clinic_bot\n",
        "utf-8",
    )
    use_keyring(None)  # each command reads CHECKIN_DATA_KEYS itself, as a real one does
    return config


def checkin(config: Path, keys: str, *args: str) -> tuple[int, str]:
    use_keyring(None)
    result = runner.invoke(app, ["-c", str(config), *args], env={KEYS_ENV: keys})
    return result.exit_code, result.output


def rows(config: Path, sql: str) -> list[tuple[object, ...]]:
    path = config.parent / "clinic.sqlite3"
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


ADD = ("therapist", "add", "--name", "Dr. Ana Ruiz", "--telegram-id", str(RUIZ))
INVITE = ("invite", "--therapist", str(RUIZ), "--label", "Sam K.")


class TestCommands:
    def test_invite_under_another_key_is_refused_and_writes_nothing(self, clinic):
        """The README's trap: the export pasted again made a second key; invite must refuse."""
        a, b = new_key(), new_key()
        code, out = checkin(clinic, a, *ADD)
        assert code == 0, out
        code, out = checkin(clinic, b, *INVITE)
        assert code == 1
        assert (
            f"does not hold the key this database's data is under (its data is under key id {kid(a)}"
            in out
        )
        assert "checkin keys rotate" in out
        assert a not in out
        assert b not in out
        assert rows(clinic, "SELECT count(*) FROM invite") == [(0,)]
        assert rows(clinic, "SELECT key_id FROM data_key") == [(kid(a),)]

    def test_every_command_that_touches_client_data_refuses_another_key(self, clinic, tmp_path):
        a, b = new_key(), new_key()
        assert checkin(clinic, a, *ADD)[0] == 0
        assert checkin(clinic, a, *INVITE)[0] == 0
        for command in (
            ADD,
            ("client", "list"),
            ("therapist", "list"),
            ("session", "list", "--therapist", str(RUIZ)),
            ("keys", "rotate"),
        ):
            code, out = checkin(clinic, b, *command)
            assert code == 1, (command, out)
            assert "does not hold the key" in out, command
        assert rows(clinic, "SELECT key_id FROM data_key") == [(kid(a),)]

    def test_run_refuses_another_key_before_it_serves(self, clinic, monkeypatch):
        a, b = new_key(), new_key()
        assert checkin(clinic, a, *ADD)[0] == 0
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "42:ANY")
        code, out = checkin(clinic, b, "run")
        assert code == 1
        assert "does not hold the key" in out

    def test_a_rotation_ring_works_then_the_new_key_alone(self, clinic):
        """NEW,OLD: invite and rotate work; then NEW alone works and OLD alone is refused."""
        old, new = new_key(), new_key()
        assert checkin(clinic, old, *ADD)[0] == 0
        assert checkin(clinic, old, *INVITE)[0] == 0
        code, out = checkin(clinic, f"{new},{old}", *INVITE)
        assert code == 0, out
        code, out = checkin(clinic, f"{new},{old}", "keys", "rotate")
        assert code == 0, out
        assert "Rotated 1 values" in out  # the first invite's label; the second was under NEW
        assert rows(clinic, "SELECT key_id FROM data_key") == [(kid(new),)]
        assert checkin(clinic, new, *INVITE)[0] == 0
        assert checkin(clinic, old, *INVITE)[0] == 1
        assert rows(clinic, "SELECT count(*) FROM invite") == [(3,)]

    def test_doctor_names_a_wrong_key_without_changing_anything(self, clinic):
        a, b = new_key(), new_key()
        assert checkin(clinic, a, *ADD)[0] == 0
        code, out = checkin(clinic, b, "doctor", "--offline")
        assert code == 1
        assert "FIX  data keys: CHECKIN_DATA_KEYS does not hold the key" in out
        assert "→ set CHECKIN_DATA_KEYS to the key the database was created with" in out
        code, out = checkin(clinic, a, "doctor", "--offline")
        assert (
            f"ok   data keys: CHECKIN_DATA_KEYS holds the key(s) the data is under (key id {kid(a)})"
            in out
        )
        assert rows(clinic, "SELECT key_id FROM data_key") == [(kid(a),)]


async def test_stored_ids_are_read_from_the_values_without_a_key(db):
    a = new_key()
    use_keyring(ring(a))
    await _seed(db)
    async with db.session() as s:
        connection = await s.connection()
        found = await stored_ids(connection)
        raw = (await connection.execute(sa.text("SELECT first_name FROM client"))).scalar_one()
    assert found == {kid(a)}
    assert raw.startswith(f"v2.{kid(a)}.")
