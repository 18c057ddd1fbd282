"""Triage events and therapist alerts: recorded always, sent where the client consented, never a flood."""

from __future__ import annotations

import html
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.safety import TriageResult
from bot.service.outgoing import Batch
from bot.storage.models import AuditLog, Client, Therapist, TriageEvent

REASON_WORDS = {
    "crisis": "crisis signs in a message",
    "unable_to_function": "unable to do their usual things",
    "severity": "distress rated 9 or 10",
    "rapid_rise": "distress rose quickly",
    "persisting": "distress high on most of the last days",
    "rising": "distress rising every day",
    "coping_not_working": "self-care has not helped and distress is still high",
    "silence": "no answer since a high rating",
}


def describe_reasons(reasons: list[str] | tuple[str, ...]) -> str:
    return "; ".join(REASON_WORDS.get(r, r.replace("_", " ")) for r in reasons) or "none"


async def record_triage(
    s: AsyncSession,
    batch: Batch,
    config: Config,
    client: Client,
    therapist: Therapist,
    result: TriageResult,
    *,
    source: str,
    now: datetime,
) -> TriageEvent | None:
    """Store a triage decision that advises contact, and alert the therapist (consent permitting)."""
    if not (result.contact_therapist or result.crisis):
        return None
    event = TriageEvent(
        client_id=client.id,  # type: ignore[arg-type]
        at=now,
        source=source,
        contact=result.contact_therapist,
        crisis=result.crisis,
        reasons=list(result.reasons),
    )
    s.add(event)
    await s.flush()
    if not client.consent_alerts:
        return event
    # One alert per window: later events inside it only raise the count on the alert already sent.
    since = now - config.crisis.alert_window
    open_alert = (
        await s.exec(
            select(TriageEvent)
            .where(
                TriageEvent.client_id == client.id,
                col(TriageEvent.alerted_at).is_not(None),
                col(TriageEvent.alerted_at) >= since,
                col(TriageEvent.acknowledged_at).is_(None),
                TriageEvent.crisis == result.crisis,
            )
            .order_by(col(TriageEvent.alerted_at).desc())
        )
    ).first()
    if open_alert is not None:
        open_alert.alert_count += 1
        s.add(open_alert)
        return event
    event.alerted_at = now
    event.alert_count = 1
    s.add(event)
    s.add(
        AuditLog(at=now, actor="system", action="alert.send", target=f"client:{client.telegram_id}")
    )
    batch.say(therapist.telegram_id, alert_text(client, event))
    return event


def alert_text(client: Client, event: TriageEvent) -> str:
    name = html.escape(client.first_name or f"client {client.telegram_id}")
    head = "🔴 <b>Crisis alert</b>" if event.crisis else "🟠 <b>Contact advised</b>"
    now_line = (
        "They were shown crisis lines and your contact details."
        if event.crisis
        else "They were advised to contact you."
    )
    return (
        f"{head} for {name}\n"
        f"Why: {html.escape(describe_reasons(event.reasons))}.\n"
        f"{now_line}\n"
        f"Acknowledge with /ack {event.id} · all open alerts: /alerts"
    )
