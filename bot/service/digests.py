"""The pre-session summary: shortly before each session the therapist gets the client's summary.

A periodic job plans one `digest` row per session occurrence (unique key, so never twice); the
dispatcher sends it like any other due work, so a restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.scheduling.planner import PlannedItem, occurrences
from bot.scheduling.sessions import slot_of
from bot.scheduling.store import upsert_items
from bot.service.alerts import therapist_zone
from bot.service.audit import audit, therapist_actor
from bot.service.caseload import caseload_sent_today
from bot.service.names import client_title
from bot.service.outgoing import Batch
from bot.service.summary import build_summary, send_summary
from bot.service.summary_data import when
from bot.storage.db import Database
from bot.storage.models import Client, DueWork, Therapist, TherapySession

DIGEST_LEAD = timedelta(hours=2)


def summary_lead(therapist: Therapist | None, default: timedelta = DIGEST_LEAD) -> timedelta:
    """How long before a session its summary comes: the therapist's choice (/digest before 3h)."""
    if therapist is not None and therapist.summary_lead_minutes:
        return timedelta(minutes=therapist.summary_lead_minutes)
    return default


async def plan_digests(db: Database, now: datetime, lead: timedelta = DIGEST_LEAD) -> int:
    """Plan a digest before every session starting within the lead (the therapist's, else
    `lead`), that long before it (idempotent)."""
    planned = 0
    default = lead
    async with db.session() as s:
        sessions = (
            await s.exec(select(TherapySession).where(col(TherapySession.cancelled_at).is_(None)))
        ).all()
        for session in sessions:
            client = await s.get(Client, session.client_id)
            if client is None:
                continue
            lead = summary_lead(await s.get(Therapist, client.therapist_id), default)
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


async def occurrence_still_on(s: AsyncSession, client: Client, work: DueWork) -> bool:
    """Whether the session occurrence a digest was planned for still takes place then (it may
    have been cancelled or moved since: the moved one gets a digest of its own)."""
    session = await s.get(TherapySession, int(work.payload.get("session_id") or 0))
    if session is None or session.cancelled_at is not None:
        return False
    starts = datetime.fromisoformat(str(work.payload.get("starts_at")))
    return starts in occurrences(slot_of(session), ZoneInfo(client.timezone), starts, starts)


async def send_digest(
    s: AsyncSession,
    config: Config,
    batch: Batch,
    client: Client,
    therapist: Therapist,
    work: DueWork,
    now: datetime,
) -> bool:
    """Send the summary before the session; False when it is left out: nothing was logged and
    this morning's caseload digest already said so (one line there, not a message of its own)."""
    starts = datetime.fromisoformat(str(work.payload.get("starts_at")))
    zone = therapist_zone(therapist, client)
    header = (
        f"📋 <b>Before your session with {await client_title(s, client)}</b> "
        f"({when(starts, zone)} {zone.key})"
    )
    summary = await build_summary(s, config, client, now)
    if summary.empty and await caseload_sent_today(s, therapist, now):
        return False
    send_summary(batch, therapist.telegram_id, summary, header)
    # A read of the client's data, pushed to the therapist: audited like /summary.
    audit(s, now, "system", "digest.sent", client=client, target=therapist_actor(therapist))
    return True
