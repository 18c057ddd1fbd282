"""Key rotation: re-encrypt every stored value under the newest key, in batches, while the bot runs.

Each batch is its own short transaction, so the bot keeps serving between them. A value is
replaced only if it is still the one read (`WHERE id = :id AND col = :old`): a step that changed
it meanwhile already wrote it under the newest key. The new ciphertext is bound to the same
column and row (`uid`) as the old one. Values already under the newest key are
skipped, so an interrupted rotation is resumed by running it again. A value that does not
decrypt is reported (table, row, column, key id) and left as it is, never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from bot.storage.crypto import KeyRing, UndecryptableError
from bot.storage.db import Database
from bot.storage.types import UID_COLUMN, Encrypted

DEFAULT_BATCH = 500


@dataclass(frozen=True)
class Failure:
    table: str
    row_id: int
    column: str
    key_id: str


@dataclass
class RotationReport:
    rotated: int = 0  # values re-encrypted under the newest key
    current: int = 0  # values already under it
    changed_meanwhile: int = 0  # rewritten by the bot during the rotation (so already current)
    failures: list[Failure] = field(default_factory=list)


def encrypted_columns(metadata: sa.MetaData | None = None) -> dict[Table, list[str]]:
    """Every table with encrypted columns, and those columns' names."""
    found: dict[Table, list[str]] = {}
    for table in (metadata or SQLModel.metadata).sorted_tables:
        names = [c.name for c in table.columns if isinstance(c.type, Encrypted)]
        if names:
            found[table] = names
    return found


async def count_rows(db: Database) -> dict[str, int]:
    counts = {}
    async with db.session() as s:
        conn = await s.connection()
        for table in encrypted_columns():
            counts[table.name] = int(
                (await conn.execute(sa.select(sa.func.count()).select_from(table))).scalar_one()
            )
    return counts


async def rotate(
    db: Database,
    ring: KeyRing,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> RotationReport:
    """Re-encrypt every value not yet under `ring`'s newest key; report what did not decrypt."""
    report = RotationReport()
    for table, names in encrypted_columns().items():
        (key,) = table.primary_key.columns  # id, or update_id for the inbox
        # Plain TEXT columns: the stored ciphertexts as they are, not the decrypting type.
        raw = sa.table(
            table.name,
            sa.column(key.name, sa.BigInteger),
            sa.column(UID_COLUMN, sa.Text),
            *(sa.column(n, sa.Text) for n in names),
        )
        row_key = raw.c[key.name]
        last_id = -(2**63)
        while True:
            async with db.session() as s:
                conn = await s.connection()
                rows = (
                    await conn.execute(
                        sa.select(raw).where(row_key > last_id).order_by(row_key).limit(batch_size)
                    )
                ).all()
                for row in rows:
                    for name in names:
                        await _rotate_value(conn, raw, row, key.name, name, ring, report)
            if not rows:
                break
            last_id = getattr(rows[-1], key.name)
            if progress is not None:
                progress(table.name, len(rows))
    return report


async def _rotate_value(
    conn: AsyncConnection,
    raw: sa.TableClause,
    row: sa.Row[Any],
    key: str,
    name: str,
    ring: KeyRing,
    report: RotationReport,
) -> None:
    value: str | None = getattr(row, name)
    row_id: int = getattr(row, key)
    if value is None:
        return
    if KeyRing.key_id_of(value) == ring.newest_id:
        report.current += 1
        return
    where, uid = f"{raw.name}.{name}", getattr(row, UID_COLUMN)
    try:
        plain = ring.open(value, where, uid)
    except UndecryptableError as exc:
        report.failures.append(Failure(raw.name, row_id, name, exc.key_id))
        return
    column = raw.c[name]
    result = await conn.execute(
        sa.update(raw)
        .where(raw.c[key] == row_id, column == value)
        .values({name: ring.seal(plain, where, uid)})
    )
    if result.rowcount:
        report.rotated += 1
    else:
        report.changed_meanwhile += 1
