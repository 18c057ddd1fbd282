"""Housekeeping keeps only what is needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.service.housekeeping import prune_processed_updates, prune_sent_messages
from bot.storage.models import InboxUpdate, OutboxMessage, ProcessedUpdate

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


async def test_old_update_ids_are_forgotten_recent_ones_kept(db):
    """Update ids older than a week go; the last week's stay to catch redeliveries."""
    async with db.session() as s:
        s.add(ProcessedUpdate(update_id=1, processed_at=NOW - timedelta(days=8)))
        s.add(ProcessedUpdate(update_id=2, processed_at=NOW - timedelta(days=6)))
    assert await prune_processed_updates(db, NOW) == 1
    async with db.session() as s:
        assert (await s.exec(select(ProcessedUpdate.update_id))).all() == [2]


async def test_handled_updates_and_delivered_messages_go_after_their_time(db):
    """Done inbox rows go with the update ids; finished outbox rows (sent, or failed for good)
    after `sent_messages`; pending rows and recent ones stay."""
    old, recent = NOW - timedelta(days=8), NOW - timedelta(days=1)
    async with db.session() as s:
        s.add(InboxUpdate(update_id=1, chat_id=5, status="done", received_at=old))
        s.add(InboxUpdate(update_id=2, chat_id=5, status="pending", received_at=old))
        s.add(InboxUpdate(update_id=3, chat_id=5, status="done", received_at=recent))
        for status, at in (("sent", old), ("failed", old), ("pending", old)):
            s.add(
                OutboxMessage(
                    chat_id=5, kind="send", status=status, deadline=at, sent_at=at, created_at=at
                )
            )
        for status in ("sent", "failed"):
            s.add(
                OutboxMessage(
                    chat_id=5,
                    kind="send",
                    status=status,
                    deadline=NOW,
                    sent_at=recent,
                    created_at=recent,
                )
            )
    await prune_processed_updates(db, NOW, timedelta(days=7))
    assert await prune_sent_messages(db, NOW, timedelta(days=7)) == 2
    async with db.session() as s:
        assert sorted((await s.exec(select(InboxUpdate.update_id))).all()) == [2, 3]
        kept = (await s.exec(select(OutboxMessage.status))).all()
        assert sorted(kept) == ["failed", "pending", "sent"]
