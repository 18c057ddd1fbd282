"""Retention: keep stored data no longer than needed. A daily job runs `apply_retention`.

- a stopped client's data goes `retention.stopped_clients` after their last activity (erased
  exactly as `/delete` does, so nothing of theirs is left in any table);
- processed update ids go after `retention.processed_updates` (Telegram redelivers for 24 h), and
  handled inbox rows with them (their raw text was emptied when they were handled);
- finished outgoing messages (sent, or failed for good) go after `retention.sent_messages`; their
  text was emptied when they finished.
Each run records its counts in the audit log (numbers only).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_
from sqlmodel import col

from bot.config import Config
from bot.service.audit import audit
from bot.service.privacy import erase_client, stale_stopped_clients
from bot.storage.db import Database
from bot.storage.models import Client, InboxUpdate, OutboxMessage, ProcessedUpdate

log = logging.getLogger(__name__)

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
        await s.exec(
            delete(InboxUpdate).where(
                col(InboxUpdate.status) == "done", col(InboxUpdate.received_at) < now - keep
            )
        )
        return int(result.rowcount or 0)


async def prune_sent_messages(db: Database, now: datetime, keep: timedelta) -> int:
    """Delete outbox rows that finished (sent, or failed for good) more than `keep` ago."""
    async with db.session() as s:
        result = await s.exec(
            delete(OutboxMessage).where(
                or_(
                    and_(
                        col(OutboxMessage.status) == "sent", col(OutboxMessage.sent_at) < now - keep
                    ),
                    and_(
                        col(OutboxMessage.status) == "failed",
                        col(OutboxMessage.created_at) < now - keep,
                    ),
                )
            )
        )
        return int(result.rowcount or 0)


async def apply_retention(db: Database, config: Config, now: datetime) -> dict[str, int]:
    """One retention pass; returns (and records in the audit log) what went, by kind."""
    keep = config.retention
    erased = 0
    async with db.session() as s:
        stale = [c.id for c in await stale_stopped_clients(s, now, keep.stopped_clients)]
    for client_id in stale:  # one transaction per client: a failure loses no other's erasure
        async with db.session() as s:
            client = await s.get(Client, client_id)
            if client is not None and client.status == "stopped":
                await erase_client(s, client, now, actor="system:retention")
                erased += 1
    counts = {
        "stopped_clients": erased,
        "processed_updates": await prune_processed_updates(db, now, keep.processed_updates),
        "sent_messages": await prune_sent_messages(db, now, keep.sent_messages),
    }
    async with db.session() as s:
        for kind, n in counts.items():
            audit(s, now, "system:retention", f"retention.{kind}", count=n)
    log.info("retention: %s", counts)
    return counts
