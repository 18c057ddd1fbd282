"""Housekeeping keeps only what is needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.service.housekeeping import prune_processed_updates
from bot.storage.models import ProcessedUpdate

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


async def test_old_update_ids_are_forgotten_recent_ones_kept(db):
    """Update ids older than a week go; the last week's stay to catch redeliveries."""
    async with db.session() as s:
        s.add(ProcessedUpdate(update_id=1, processed_at=NOW - timedelta(days=8)))
        s.add(ProcessedUpdate(update_id=2, processed_at=NOW - timedelta(days=6)))
    assert await prune_processed_updates(db, NOW) == 1
    async with db.session() as s:
        assert (await s.exec(select(ProcessedUpdate.update_id))).all() == [2]
