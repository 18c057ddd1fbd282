"""The pre-session summary: shortly before each session the therapist gets the client's summary.

A periodic job plans one `digest` row per session occurrence (unique key, so never twice); the
dispatcher sends it like any other due work, so a restart loses nothing.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.scheduling.planner import PlannedItem, occurrences
from bot.scheduling.sessions import slot_of
from bot.scheduling.store import upsert_items
from bot.service.audit import audit, therapist_actor
from bot.service.outgoing import Batch
from bot.service.summary import client_summary
from bot.storage.db import Database
from bot.storage.models import Client, DueWork, Therapist, TherapySession

DIGEST_LEAD = timedelta(hours=2)


async def plan_digests(db: Database, now: datetime, lead: timedelta = DIGEST_LEAD) -> int:
    """Plan a digest `lead` before every session starting within the next `lead` (idempotent)."""
    planned = 0
    async with db.session() as s:
        sessions = (
            await s.exec(select(TherapySession).where(col(TherapySession.cancelled_at).is_(None)))
        ).all()
        for session in sessions:
            client = await s.get(Client, session.client_id)
            if client is None:
                continue
            zone = ZoneInfo(client.timezone)
            for start in occurrences(slot_of(session), zone, now, now + lead):
                key = f"digest:{session.id}:{start.isoformat()}"
                item = PlannedItem(
                    key=key,
                    due_at=max(now, start - lead),
                    kind="digest",
                    payload={"session_id": session.id, "starts_at": start.isoformat()},
                )
                exists = (await s.exec(select(DueWork.id).where(DueWork.key == key))).first()
                if exists is None:
                    planned += await upsert_items(s, [item], client.id, now)
    return planned


async def send_digest(
    s: AsyncSession,
    batch: Batch,
    client: Client,
    therapist: Therapist,
    work: DueWork,
    now: datetime,
) -> None:
    starts = datetime.fromisoformat(str(work.payload.get("starts_at")))
    local = starts.astimezone(ZoneInfo(client.timezone))
    name = html.escape(client.first_name or str(client.telegram_id))
    header = f"📋 <b>Before your session with {name}</b> ({local:%a %H:%M})"
    batch.say(therapist.telegram_id, header + "\n" + await client_summary(s, client, now))
    # A read of the client's data, pushed to the therapist: audited like /summary.
    audit(s, now, "system", "digest.sent", client=client, target=therapist_actor(therapist))
