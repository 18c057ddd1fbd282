"""Follow-ups for a client who says 'I just had a session' (/aftersession)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.scheduling.planner import SessionSlot, plan_followups
from bot.scheduling.store import upsert_items
from bot.scheduling.timing import load_policy
from bot.storage.models import Client, TherapySession


async def client_just_had_session(
    s: AsyncSession, config: Config, client: Client, now: datetime
) -> TherapySession:
    """Record a session that ended now and plan its follow-ups (the clinic's timing policy)."""
    policy = await load_policy(s, config.followups, client)
    length = policy.session_length
    session = TherapySession(
        client_id=client.id,  # type: ignore[arg-type]
        therapist_id=client.therapist_id,
        starts_at=now - length,
        duration_minutes=int(length / timedelta(minutes=1)),
        source="client",
        created_at=now,
    )
    s.add(session)
    await s.flush()
    assert session.id is not None
    slot = SessionSlot(
        id=session.id, starts_at=session.starts_at, length=length, client_id=client.id
    )
    items = plan_followups(slot, policy, ZoneInfo(client.timezone), now)
    await upsert_items(s, items, client.id, now)
    return session
