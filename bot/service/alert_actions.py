"""What a therapist does with an alert, from Telegram or the console: acknowledge, contacted.

Both check that the event is one of the therapist's own clients' and write the audit entry in
the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.service.audit import audit, therapist_actor
from bot.storage.models import Client, Therapist, TriageEvent


async def own_alert(
    s: AsyncSession, therapist: Therapist, event_id: int
) -> tuple[TriageEvent, Client] | None:
    """The event and its client when the client is this therapist's, else None."""
    event = await s.get(TriageEvent, event_id)
    client = await s.get(Client, event.client_id) if event else None
    if event is None or client is None or client.therapist_id != therapist.id:
        return None
    return event, client


async def acknowledge_alert(
    s: AsyncSession, therapist: Therapist, event_id: int, now: datetime
) -> tuple[TriageEvent, list[TriageEvent]] | None:
    """Acknowledge the alert, and with it the same client's earlier open events (the crisis is
    now history, docs/safety.md); None when it is not among the therapist's clients.

    Returns the alert and the other alerts it closed, for the reply to name them. An alert
    newer than this one stays open: it may be an escalation the therapist has not read yet."""
    found = await own_alert(s, therapist, event_id)
    if found is None:
        return None
    event, client = found
    event.acknowledged_at = now
    s.add(event)
    others = (
        await s.exec(
            select(TriageEvent)
            .where(
                TriageEvent.client_id == client.id,
                col(TriageEvent.acknowledged_at).is_(None),
                col(TriageEvent.id) != event.id,
            )
            .order_by(col(TriageEvent.id))
        )
    ).all()
    closed = []
    for other in others:
        if other.alerted_at is not None and (other.id or 0) > (event.id or 0):
            continue
        other.acknowledged_at = now
        s.add(other)
        if other.alerted_at is not None:
            closed.append(other)
    audit(
        s,
        now,
        therapist_actor(therapist),
        "alert.ack",
        client=client,
        target=f"triage_event:{event.id}",
    )
    return event, closed


async def mark_contacted(
    s: AsyncSession, therapist: Therapist, event_id: int, now: datetime
) -> tuple[TriageEvent, Client] | None:
    """Record "I contacted them" (the first time counts); None when not the therapist's."""
    found = await own_alert(s, therapist, event_id)
    if found is None:
        return None
    event, client = found
    event.contacted_at = event.contacted_at or now
    s.add(event)
    audit(
        s,
        now,
        therapist_actor(therapist),
        "alert.contacted",
        client=client,
        target=f"triage_event:{event.id}",
    )
    return event, client
