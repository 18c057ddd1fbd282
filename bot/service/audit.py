"""The audit trail: who read or changed what, about which client, when. Never message text."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import AuditLog, Client, Therapist


def therapist_actor(therapist: Therapist) -> str:
    return f"therapist:{therapist.telegram_id}"


async def actor_for(s: AsyncSession, therapist_id: int | None, source: str = "cli") -> str:
    """The therapist (by Telegram id) who made a change, else where it came from (cli, client)."""
    if therapist_id is not None and source not in ("client", "ics"):
        therapist = await s.get(Therapist, therapist_id)
        if therapist is not None:
            return therapist_actor(therapist)
    return source


def audit(
    s: AsyncSession,
    now: datetime,
    actor: str,
    action: str,
    *,
    client: Client | None = None,
    target: str | None = None,
    count: int | None = None,
) -> None:
    """Add one entry. `action` is a fixed kind (summary.read, data.export, …), never free text."""
    s.add(
        AuditLog(
            at=now,
            actor=actor,
            action=action,
            target=target,
            client_id=client.id if client is not None else None,
            count=count,
        )
    )


async def audit_entries(
    s: AsyncSession, *, client_id: int | None = None, since: datetime | None = None
) -> list[AuditLog]:
    query = select(AuditLog).order_by(col(AuditLog.at), col(AuditLog.id))
    if client_id is not None:
        query = query.where(AuditLog.client_id == client_id)
    if since is not None:
        query = query.where(AuditLog.at >= since)
    return list((await s.exec(query)).all())
