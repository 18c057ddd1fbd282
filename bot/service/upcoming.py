"""/upcoming [NAME] [today|week]: what will really be sent to the therapist's clients.

Items the dispatcher would skip are left out (a client paused through that time, stopped,
unreachable or not set up; a reminder whose check-in was already answered), the rest are grouped
by day in the therapist's time zone, which is named, and a long list says how many more there are.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from itertools import groupby

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.scheduling.dispatcher import client_block_reason
from bot.service.alerts import therapist_zone
from bot.service.audit import audit, therapist_actor
from bot.service.identity import clients_of, find_client_of
from bot.service.names import distinct_name
from bot.storage.models import Client, DueWork, FlowRun, Therapist

KINDS = {
    "followup": "check-in after the session",
    "day_before": "check-in the day before the session",
    "checkin": "check-in (asked for, or snoozed)",
    "reminder": "reminder of an unanswered check-in",
}
SHOWN = 25  # lines at most: a phone screen or two
WEEK = timedelta(days=7)


def parse_args(args: str) -> tuple[str, str]:
    """'Sam K. today' -> ('Sam K.', 'today'); the span defaults to the coming week."""
    words = args.split()
    span = "week"
    if words and words[-1].lower() in ("today", "week"):
        span = words.pop().lower()
    return " ".join(words), span


async def _answered(s: AsyncSession, work: DueWork) -> bool:
    """A reminder is moot once its check-in was answered or ended."""
    if work.kind != "reminder":
        return False
    run = await s.get(FlowRun, int(work.payload.get("run_id", 0) or 0))
    return run is None or run.status == "ended" or run.updated_at > run.started_at


async def upcoming_text(s: AsyncSession, therapist: Therapist, args: str, now: datetime) -> str:
    name, span = parse_args(args)
    clients = await clients_of(s, therapist)
    if name:
        clients = [await find_client_of(s, therapist, name)]
    if not clients:
        return "No clients yet. /invite makes an invite link."
    by_id = {c.id: c for c in clients}
    zone = therapist_zone(therapist, clients[0]) if therapist.timezone else None
    local_now = now.astimezone(zone) if zone else now
    if span == "today":
        end = local_now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    else:
        end = now + WEEK
    rows = (
        await s.exec(
            select(DueWork)
            .where(
                col(DueWork.client_id).in_(list(by_id)),
                DueWork.status == "pending",
                col(DueWork.kind).in_(tuple(KINDS)),
                DueWork.due_at < end,
            )
            .order_by(col(DueWork.due_at))
        )
    ).all()
    items: list[tuple[datetime, Client, DueWork]] = []
    for work in rows:
        client = by_id[work.client_id]
        due = max(work.due_at, now)  # overdue work goes out at the next tick
        if client_block_reason(client, due) is None and not await _answered(s, work):
            items.append((due, client, work))
    everyone = await clients_of(s, therapist)
    who = html.escape(distinct_name(clients[0], everyone)) if name else "your clients"
    what = "today" if span == "today" else "in the next 7 days"
    if not items:
        return f"Nothing will be sent to {who} {what}."
    lines = [f"<b>What {who} will get {what}</b>"]
    for client in {client.id: client for _, client, _ in items[:SHOWN]}.values():
        audit(s, now, therapist_actor(therapist), "upcoming.read", client=client)
    for day, group in groupby(
        items[:SHOWN], key=lambda item: _local(item[0], therapist, item[1]).date()
    ):
        lines.append(f"<b>{day:%a} {day.day} {day:%b}</b>")
        for due, client, work in group:
            local = _local(due, therapist, client)
            label = "" if name else f"{html.escape(distinct_name(client, everyone))} – "
            zone_note = "" if therapist.timezone else f" ({client.timezone})"
            lines.append(f"• {local:%H:%M}{zone_note} {label}{KINDS[work.kind]}")
    if len(items) > SHOWN:
        lines.append(
            f"… and {len(items) - SHOWN} more. /upcoming NAME or /upcoming today shows fewer."
        )
    if therapist.timezone:
        lines.append(f"<i>Times in {html.escape(therapist.timezone)}.</i>")
    else:
        lines.append("<i>Times in each client's zone; set yours with /timezone.</i>")
    return "\n".join(lines)


def _local(instant: datetime, therapist: Therapist, client: Client) -> datetime:
    return instant.astimezone(therapist_zone(therapist, client))
