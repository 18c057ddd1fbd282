"""The caseload digest: each working morning, every client in one message, most urgent first.

Order: today's sessions (a client with nothing logged gets their one honest line here, and no
pre-session message of its own), who needs attention (an open safety event, with its reasons),
who has gone silent (check-ins unanswered, days since the last reply), who paused or stopped,
then a count of the rest. Each
client who needs a look gets a button that opens their summary. A `due_work` row of kind
`caseload` per therapist and day, at their digest time (`/digest HH:MM`; by default when their
working day starts, else 08:30) on their working days (Mon-Fri when their hours do not say).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.dialogue.contracts import Button
from bot.scheduling.planner import PlannedItem
from bot.scheduling.store import upsert_items
from bot.service.alerts import LEVELS, describe_reasons, therapist_zone
from bot.service.audit import audit, therapist_actor
from bot.service.engagement import _unanswered
from bot.service.names import distinct_name
from bot.service.outgoing import Batch
from bot.service.status import current_status, status_words
from bot.service.summary_data import load_summary_data, session_occurrences, when
from bot.service.summary_sections import honest_line, nothing_logged
from bot.service.work_hours import parse_hours
from bot.storage import Database
from bot.storage.models import Client, DueWork, LogEntry, Therapist, TriageEvent

DEFAULT_TIME = time(8, 30)
WORKDAYS = (0, 1, 2, 3, 4)
SILENT_DAYS = 4  # no answer for this long is "gone silent"
SILENT_UNANSWERED = 2  # or this many check-ins in a row unanswered
BUTTONS = 8  # summary buttons at most: a phone keyboard stays short


def digest_time(therapist: Therapist, weekday: int) -> time | None:
    """When the digest comes on `weekday` (Monday 0), or None: not a working day, or off."""
    if therapist.caseload_time == "off":
        return None
    hours = parse_hours(therapist.hours)
    days = {p.weekday: p.start for p in hours} if hours else dict.fromkeys(WORKDAYS, DEFAULT_TIME)
    if weekday not in days:
        return None
    if therapist.caseload_time:
        hh, mm = therapist.caseload_time.split(":")
        return time(int(hh), int(mm))
    return days[weekday]


async def plan_caseload_digests(db: Database, now: datetime, clinic_zone: str) -> int:
    """Today's digest (or the next working day's) per therapist, once (idempotent)."""
    planned = 0
    async with db.session() as s:
        for therapist in (await s.exec(select(Therapist))).all():
            zone = ZoneInfo(therapist.timezone or clinic_zone)
            local = now.astimezone(zone)
            for ahead in range(8):
                day = local.date() + timedelta(days=ahead)
                at = digest_time(therapist, day.weekday())
                if at is None:
                    continue
                due = datetime.combine(day, at, zone)
                if due < local - timedelta(hours=1):
                    continue  # this morning's has passed: the next working day's
                key = f"caseload:{therapist.id}:{day.isoformat()}"
                if (await s.exec(select(DueWork.id).where(DueWork.key == key))).first() is None:
                    item = PlannedItem(key, due, "caseload", {"therapist_id": therapist.id})
                    planned += await upsert_items(s, [item], None, now)
                break
    return planned


@dataclass
class Line:
    client: Client
    rank: tuple[int, ...]  # smaller is more urgent
    text: str
    button: bool


async def _line(
    s: AsyncSession, client: Client, everyone: list[Client], zone: ZoneInfo, now: datetime
) -> Line:
    name = html.escape(distinct_name(client, everyone))
    events = []
    if client.consent_alerts:
        events = list(
            (
                await s.exec(
                    select(TriageEvent).where(
                        TriageEvent.client_id == client.id,
                        col(TriageEvent.alerted_at).is_not(None),
                        col(TriageEvent.acknowledged_at).is_(None),
                    )
                )
            ).all()
        )
    if events:
        worst = min(events, key=lambda e: LEVELS.index(e.level) if e.level in LEVELS else 9)
        icon = "🔴" if worst.crisis else "🟠"
        what = describe_reasons(worst.reasons, worst.category)
        return Line(
            client,
            (0, LEVELS.index(worst.level) if worst.level in LEVELS else 9),
            f"{icon} <b>{name}</b>: {html.escape(what)} ({when(worst.at, zone)}), open · "
            f"/ack {worst.id}",
            True,
        )
    status = current_status(client, now)
    if status in ("paused", "stopped", "unreachable"):
        return Line(
            client, (2,), f"⏸ {name}: {html.escape(status_words(client, now, zone))}", False
        )
    last = (
        await s.exec(
            select(LogEntry.recorded_at)
            .where(LogEntry.client_id == client.id)
            .order_by(col(LogEntry.recorded_at).desc())
            .limit(1)
        )
    ).first()
    unanswered = await _unanswered(s, client)
    quiet_days = (now - (last or client.created_at)).days
    if unanswered >= SILENT_UNANSWERED or quiet_days >= SILENT_DAYS:
        joined = client.created_at.astimezone(zone)
        parts = [f"{unanswered} check-ins unanswered in a row"] if unanswered else []
        parts.append(
            f"last reply {quiet_days} days ago"
            if last
            else f"no reply since joining {joined:%a} {joined.day} {joined:%b}"
        )
        return Line(client, (1, -quiet_days), f"🔕 {name}: {', '.join(parts)}", True)
    return Line(client, (3,), name, False)


async def caseload_sent_today(s: AsyncSession, therapist: Therapist, now: datetime) -> bool:
    """Whether today's caseload digest reached the therapist (it lists today's sessions)."""
    zone = ZoneInfo(therapist.timezone) if therapist.timezone else None
    day = (now.astimezone(zone) if zone else now).date()
    key = f"caseload:{therapist.id}:{day.isoformat()}"
    status = (await s.exec(select(DueWork.status).where(DueWork.key == key))).first()
    return status == "sent"


async def sessions_today(
    s: AsyncSession, config: Config, therapist: Therapist, clients: list[Client], now: datetime
) -> list[str]:
    """Today's sessions from now on; a client with nothing logged gets their one honest line
    here, and no summary of its own before the session."""
    lines = []
    for client in clients:
        zone = therapist_zone(therapist, client)
        local = now.astimezone(zone)
        end = datetime.combine(local.date() + timedelta(days=1), time(), zone)
        for occurrence in await session_occurrences(s, client, now, end):
            data = await load_summary_data(s, config, client, now)
            name = html.escape(distinct_name(client, clients))
            start = occurrence.start.astimezone(zone)
            if nothing_logged(data):
                note = html.escape(honest_line(data))
            else:
                note = "the summary comes before it"
            lines.append((start, f"• {start:%H:%M} {name}: {note}"))
    return [text for _, text in sorted(lines)]


async def caseload_text(
    s: AsyncSession, config: Config, therapist: Therapist, now: datetime
) -> tuple[str, tuple[tuple[Button, ...], ...]] | None:
    """The digest's text and its summary buttons; None without clients."""
    clients = list((await s.exec(select(Client).where(Client.therapist_id == therapist.id))).all())
    if not clients:
        return None
    zone = therapist_zone(therapist, clients[0])
    lines = sorted(
        [await _line(s, c, clients, zone, now) for c in clients],
        key=lambda line: (line.rank, distinct_name(line.client, clients).casefold()),
    )
    heads = {0: "<b>Needs attention</b>", 1: "<b>Gone quiet</b>", 2: "<b>Paused or stopped</b>"}
    out = [f"☀️ <b>Your caseload</b> · {when(now, zone).rsplit(' ', 1)[0]}"]
    today = await sessions_today(s, config, therapist, clients, now)
    if today:
        out += ["<b>Sessions today</b>", *today]
    shown_head: set[int] = set()
    rest = [line for line in lines if line.rank[0] == 3]
    for line in lines:
        group = line.rank[0]
        if group == 3:
            continue
        if group not in shown_head:
            out.append(heads[group])
            shown_head.add(group)
        out.append(line.text)
    if rest:
        names = ", ".join(html.escape(distinct_name(r.client, clients)) for r in rest)
        out.append(
            f"✅ {len(rest)} doing their check-ins: {names}"
            if len(rest) <= 6
            else f"✅ {len(rest)} others doing their check-ins"
        )
    out.append(f"<i>Times in {zone.key}.</i>")
    buttons = tuple(
        (
            Button(
                f"Summary: {distinct_name(line.client, clients)}",
                f"pk:sum:{line.client.telegram_id}",
            ),
        )
        for line in lines
        if line.button
    )[:BUTTONS]
    return "\n".join(out), buttons


async def send_caseload_digest(
    s: AsyncSession, config: Config, batch: Batch, therapist: Therapist, now: datetime
) -> bool:
    found = await caseload_text(s, config, therapist, now)
    if found is None:
        return False
    text, buttons = found
    batch.say(therapist.telegram_id, text, buttons)
    for client in (await s.exec(select(Client).where(Client.therapist_id == therapist.id))).all():
        # A read of each client's state, pushed to the therapist (like the engagement digest).
        audit(s, now, "system", "caseload.sent", client=client, target=therapist_actor(therapist))
    return True
