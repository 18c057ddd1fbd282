"""Keep stored data to what is needed: forget processed update ids once no redelivery can come."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col

from bot.storage.db import Database
from bot.storage.models import ProcessedUpdate

# Telegram keeps an unconfirmed update for 24 hours; a week leaves a wide margin.
KEEP_UPDATE_IDS = timedelta(days=7)


async def prune_processed_updates(
    db: Database, now: datetime, keep: timedelta = KEEP_UPDATE_IDS
) -> int:
    """Delete update ids older than `keep`; return how many went."""
    async with db.session() as s:
        result = await s.exec(
            delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < now - keep)
        )
        return int(result.rowcount or 0)
