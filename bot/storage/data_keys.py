"""Which data keys a database's values are under, so that a wrong CHECKIN_DATA_KEYS is refused
before anything is read or written.

Without this, a different key (a second `export CHECKIN_DATA_KEYS=$(checkin keys new)`) was
accepted: new values went in under it, old ones no longer decrypted, and nothing said so.

The database keeps the key ids (`crypto.key_id`: 8 hex digits of the key's SHA-256, the id every
ciphertext already carries) in the `data_key` table, never a key. A command that uses the keys
first calls `check_data_keys`:

- no id recorded and no encrypted value stored (a fresh database): any key is accepted and its
  id recorded;
- no id recorded but values stored (a database from before this table): their ids are recorded
  first, read from the values themselves, so the check needs no key of its own;
- otherwise at least one configured key must have a recorded id, else `WrongKeysError` and the
  transaction rolls back. The newest configured key (the one that encrypts) is then recorded,
  so a rotation ring `NEW,OLD` passes and NEW is known from then on.

`keys rotate` forgets the older ids once every value is under the newest key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.crypto import KEYS_ENV, KeyRing, KeysError, active_keyring, key_id
from bot.storage.db import Database
from bot.storage.migrations import upgrade_database
from bot.storage.models import DataKey, utcnow
from bot.storage.rotation import encrypted_columns

_TABLE: sa.Table = DataKey.__table__  # type: ignore[attr-defined]
# A stored value reads `v2.<key id>.<...>` (or `v1.` before migration 0008): the id is at 4..11.
_ID_START, _ID_LENGTH = 4, 8


class WrongKeysError(KeysError):
    """None of the configured keys is one the database's values are under."""

    def __init__(self, configured: Iterable[str], recorded: Iterable[str]) -> None:
        self.configured, self.recorded = sorted(configured), sorted(recorded)
        super().__init__(
            f"{KEYS_ENV} does not hold the key this database's data is under (its data is under "
            f"key id {', '.join(self.recorded)}; {KEYS_ENV} has key id "
            f"{', '.join(self.configured)}). Nothing was read or written.\n"
            f"Set {KEYS_ENV} to the key the database was created with (the one stored when "
            "`checkin keys new` was first run; running it again makes a different key).\n"
            f"To move to a new key, keep the old one after it: {KEYS_ENV}=NEW,OLD, then run "
            "`checkin keys rotate`."
        )


def configured_ids(ring: KeyRing) -> set[str]:
    return {key_id(k) for k in ring.keys}


async def recorded_ids(conn: AsyncConnection) -> set[str]:
    return set((await conn.execute(sa.select(_TABLE.c.key_id))).scalars())


async def stored_ids(conn: AsyncConnection) -> set[str]:
    """The key ids the stored values carry (one scan per encrypted column; no key needed)."""
    found: set[str] = set()
    for table, names in encrypted_columns().items():
        for name in names:
            column = table.c[name]
            kid = sa.func.substr(column, _ID_START, _ID_LENGTH)
            query = sa.select(kid).where(column.is_not(None)).distinct()
            found.update((await conn.execute(query)).scalars())
    return found


async def known_ids(conn: AsyncConnection) -> tuple[set[str], bool]:
    """The ids the data is under, and whether they were recorded (else read from the values)."""
    recorded = await recorded_ids(conn)
    if recorded:
        return recorded, True
    return await stored_ids(conn), False


async def check_data_keys(db: Database, ring: KeyRing) -> None:
    """Refuse `ring` if none of its keys is one the data is under; else record its newest key."""
    async with db.session() as s:
        conn = await s.connection()
        if not db.is_sqlite:
            # Two processes starting on a fresh database with different keys must not both
            # record theirs: the second waits here, then sees the first one's key.
            await conn.execute(sa.text("LOCK TABLE data_key IN SHARE ROW EXCLUSIVE MODE"))
        known, recorded = await known_ids(conn)
        if known and not known & configured_ids(ring):
            raise WrongKeysError(configured_ids(ring), known)
        new = {ring.newest_id} - known if recorded else known | {ring.newest_id}
        await _record(conn, new)


async def forget_all_but_newest(db: Database, ring: KeyRing) -> None:
    """After a rotation left every value under the newest key: the older ids no longer apply."""
    async with db.session() as s:
        conn = await s.connection()
        await conn.execute(sa.delete(_TABLE).where(_TABLE.c.key_id != ring.newest_id))
        await _record(conn, {ring.newest_id})


async def prepare_database(db: Database, ring: KeyRing | None = None) -> None:
    """Bring the schema to the newest revision, then check the data keys (see the module)."""
    await upgrade_database(db)
    await check_data_keys(db, ring or active_keyring())


async def _record(conn: AsyncConnection, ids: set[str]) -> None:
    if not ids:
        return
    insert: Any = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    now = utcnow()
    await conn.execute(
        insert(_TABLE).on_conflict_do_nothing(),
        [{"key_id": kid, "first_used_at": now} for kid in sorted(ids)],
    )
