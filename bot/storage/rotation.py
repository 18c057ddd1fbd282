"""Key rotation: re-encrypt every stored value under the newest key, in batches, while the bot runs.

Each batch is its own short transaction, so the bot keeps serving between them. A value is
replaced only if it is still the one read (`WHERE id = :id AND col = :old`): a step that changed
it meanwhile already wrote it under the newest key. Values already under the newest key are
skipped, so an interrupted rotation is resumed by running it again. A value that does not
decrypt is reported (table, row, column, key id) and left as it is, never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import SQLModel

from bot.storage.crypto import KeyRing, UndecryptableError
from bot.storage.db import Database
from bot.storage.types import EncryptedJSON, EncryptedText

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
        names = [c.name for c in table.columns if isinstance(c.type, EncryptedText | EncryptedJSON)]
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
        raw = sa.table(
            table.name, sa.column("id", sa.Integer), *(sa.column(n, sa.Text) for n in names)
        )
        last_id = 0
        while True:
            async with db.session() as s:
                conn = await s.connection()
                rows = (
                    await conn.execute(
                        sa.select(raw)
                        .where(raw.c.id > last_id)
                        .order_by(raw.c.id)
                        .limit(batch_size)
                    )
                ).all()
                for row in rows:
                    for name in names:
                        await _rotate_value(
                            conn, raw, row.id, name, getattr(row, name), ring, report
                        )
            if not rows:
                break
            last_id = rows[-1].id
            if progress is not None:
                progress(table.name, len(rows))
    return report


async def _rotate_value(
    conn: AsyncConnection,
    raw: sa.TableClause,
    row_id: int,
    name: str,
    value: str | None,
    ring: KeyRing,
    report: RotationReport,
) -> None:
    if value is None:
        return
    if KeyRing.key_id_of(value) == ring.newest_id:
        report.current += 1
        return
    where = f"{raw.name}.{name}"
    try:
        plain = ring.decrypt(value, where)
    except UndecryptableError as exc:
        report.failures.append(Failure(raw.name, row_id, name, exc.key_id))
        return
    column = raw.c[name]
    result = await conn.execute(
        sa.update(raw)
        .where(raw.c.id == row_id, column == value)
        .values({name: ring.encrypt(plain, where)})
    )
    if result.rowcount:
        report.rotated += 1
    else:
        report.changed_meanwhile += 1
