"""Writing planned items as `due_work` rows: insert if absent, never twice (the key is unique).

Re-planning upserts by key: a row still `pending` (or `cancelled`, when a session is moved back)
takes the new due time and payload; a row already claimed, sent, skipped or failed is history and
is left alone. Both SQLite and PostgreSQL speak `INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.scheduling.planner import PlannedItem
from bot.storage.models import DueWork

REPLANNABLE = ("pending", "cancelled")


async def upsert_items(
    session: AsyncSession, items: Iterable[PlannedItem], client_id: int | None, now: datetime
) -> int:
    """Insert each item, or refresh its pending/cancelled row; return how many rows were written."""
    rows = [
        {
            "key": i.key,
            "kind": i.kind,
            "client_id": client_id,
            "due_at": i.due_at,
            "status": "pending",
            "attempts": 0,
            "payload": i.payload,
            "created_at": now,
            "updated_at": now,
        }
        for i in items
    ]
    if not rows:
        return 0
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert: Any = sqlite.insert if dialect == "sqlite" else postgresql.insert
    written = 0
    for row in rows:  # one statement per row keeps the RETURNING-free rowcount meaningful
        stmt = insert(DueWork).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "due_at": stmt.excluded.due_at,
                "payload": stmt.excluded.payload,
                "status": "pending",
                "outcome": None,
                "updated_at": now,
            },
            where=col(DueWork.status).in_(REPLANNABLE),
        )
        result = await session.exec(stmt)
        written += result.rowcount or 0
    return written


async def cancel_pending(
    session: AsyncSession,
    now: datetime,
    *,
    key_prefixes: Iterable[str] = (),
    client_id: int | None = None,
    keep: Iterable[str] = (),
    reason: str = "replanned",
) -> int:
    """Mark pending rows cancelled (by key prefix and/or client), except the keys in `keep`."""
    conditions: list[Any] = [col(DueWork.status) == "pending"]
    prefixes = list(key_prefixes)
    if prefixes:
        conditions.append(or_(*(col(DueWork.key).startswith(p) for p in prefixes)))
    if client_id is not None:
        conditions.append(col(DueWork.client_id) == client_id)
    kept = list(keep)
    if kept:
        conditions.append(col(DueWork.key).not_in(kept))
    stmt = (
        update(DueWork)
        .where(and_(*conditions))
        .values(status="cancelled", outcome=reason, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(stmt)
    return result.rowcount or 0
