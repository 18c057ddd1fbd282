"""Engagement signals for the therapist: one line each, grouped into one message a day.

A client joined, declined alerts, paused (until when), resumed, stopped, or left the last three
or more check-ins unanswered. None of these is urgent, so none is pushed on its own: once a day
(at `DIGEST_HOUR` in the therapist's zone) a `due_work` row of kind `engagement` compares each
client's state with the snapshot the previous digest stored, and sends what changed. A pause and
a resume within the same day cancel out and are not reported.
"""

from __future__ import annotations

import html
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.scheduling.planner import PlannedItem
from bot.scheduling.store import upsert_items
from bot.service.audit import audit, therapist_actor
from bot.service.names import distinct_name
from bot.service.outgoing import Batch
from bot.storage import Database
from bot.storage.models import Client, DueWork, FlowRun, LogEntry, Therapist

DIGEST_HOUR = time(18, 0)
UNANSWERED = 3  # this many check-ins in a row without an answer is worth a line
CHECKIN_FLOW = "after_session"


def _zone(therapist: Therapist, fallback: str) -> ZoneInfo:
    try:
        return ZoneInfo(therapist.timezone or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


async def plan_engagement_digests(db: Database, now: datetime, clinic_zone: str) -> int:
    """One digest a day per therapist, at DIGEST_HOUR in their zone (idempotent)."""
    planned = 0
    async with db.session() as s:
        for therapist in (await s.exec(select(Therapist))).all():
            zone = _zone(therapist, clinic_zone)
            local = now.astimezone(zone)
            due = datetime.combine(local.date(), DIGEST_HOUR, zone)
            if due < local:
                due += timedelta(days=1)
            key = f"engagement:{therapist.id}:{due.date().isoformat()}"
            if (await s.exec(select(DueWork.id).where(DueWork.key == key))).first() is None:
                item = PlannedItem(key, due, "engagement", {"therapist_id": therapist.id})
                planned += await upsert_items(s, [item], None, now)
    return planned


def _snapshot(client: Client) -> dict[str, Any]:
    return {"status": client.status, "alerts": client.consent_alerts}


async def _previous(s: AsyncSession, therapist_id: int, work: DueWork) -> DueWork | None:
    return (
        await s.exec(
            select(DueWork)
            .where(
                col(DueWork.key).startswith(f"engagement:{therapist_id}:"),
                col(DueWork.status).in_(("sent", "skipped")),
                DueWork.id != work.id,
            )
            .order_by(col(DueWork.due_at).desc())
        )
    ).first()


async def _unanswered(s: AsyncSession, client: Client) -> int:
    """How many of the client's latest check-ins in a row got no answer at all."""
    runs = (
        await s.exec(
            select(FlowRun)
            .where(FlowRun.client_id == client.id, FlowRun.flow_id == CHECKIN_FLOW)
            .order_by(col(FlowRun.started_at).desc())
            .limit(10)
        )
    ).all()
    count = 0
    for run in runs:
        answered = (await s.exec(select(LogEntry.id).where(LogEntry.run_id == run.id))).first()
        if answered is not None or run.updated_at > run.started_at:
            break
        count += 1
    return count


async def engagement_lines(
    s: AsyncSession,
    therapist: Therapist,
    since: datetime,
    before: dict[str, Any],
    zone: ZoneInfo,
    about: list[Client] | None = None,
) -> tuple[list[str], dict[str, Any]]:
    """The day's lines and the snapshot to compare with tomorrow; `about` gets the clients the
    lines name."""
    about = [] if about is None else about
    clients = (await s.exec(select(Client).where(Client.therapist_id == therapist.id))).all()
    lines: list[str] = []
    snapshot: dict[str, Any] = {}
    for client in clients:
        told = len(lines)
        unanswered = await _unanswered(s, client) if client.status == "active" else 0
        snapshot[str(client.id)] = {**_snapshot(client), "unanswered": unanswered}
        old = before.get(str(client.id))
        name = html.escape(distinct_name(client, clients))
        if client.created_at >= since and old is None:
            lines.append(f"• {name} joined.")
        if not client.consent_alerts and (
            (old is None and client.consented_at is not None) or (old and old["alerts"])
        ):
            lines.append(
                f"• {name} declined alerts (you will not be told when triage advises contact)."
            )
        previous = old["status"] if old else "active"
        if client.status != previous:
            if client.status == "paused" and client.paused_until is not None:
                until = client.paused_until.astimezone(zone)
                lines.append(f"• {name} paused check-ins until {until:%a %d %b %H:%M}.")
            elif client.status == "active" and previous in ("paused", "stopped"):
                lines.append(f"• {name} resumed check-ins.")
            elif client.status == "stopped":
                lines.append(f"• {name} stopped check-ins.")
            elif client.status == "unreachable":
                lines.append(f"• {name} blocked the bot.")
        if unanswered >= UNANSWERED and (old or {}).get("unanswered", 0) < UNANSWERED:
            lines.append(f"• {name} left the last {unanswered} check-ins unanswered.")
        if len(lines) > told:  # the digest tells the therapist about this client: audited
            about.append(client)
    return lines, snapshot


async def send_engagement_digest(
    s: AsyncSession,
    batch: Batch,
    therapist: Therapist,
    work: DueWork,
    zone_name: str,
    now: datetime,
) -> bool:
    """Say the day's engagement lines to the therapist; store the snapshot. False: nothing new."""
    assert therapist.id is not None
    zone = _zone(therapist, zone_name)
    previous = await _previous(s, therapist.id, work)
    since = previous.due_at if previous else work.due_at - timedelta(days=1)
    before = dict(previous.payload.get("snapshot", {})) if previous else {}
    about: list[Client] = []
    lines, snapshot = await engagement_lines(s, therapist, since, before, zone, about)
    await s.exec(
        update(DueWork)
        .where(col(DueWork.id) == work.id)
        .values(payload={**work.payload, "snapshot": snapshot})
    )
    if not lines:
        return False
    if any(" until " in line for line in lines):  # a time is shown: say whose clock it is
        lines.append(f"<i>Times in {zone.key}.</i>")
    batch.say(therapist.telegram_id, "<b>Your clients today</b>\n" + "\n".join(lines))
    for client in about:  # a read of each named client's data, pushed to the therapist
        audit(
            s,
            now,
            "system",
            "engagement.sent",
            client=client,
            target=therapist_actor(therapist),
        )
    return True
