"""A client's log as a therapist reads it before the next session: numbers, a chart, their notes."""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.service.measures_summary import measure_section
from bot.storage.models import Client, LogEntry, TherapySession, TriageEvent

BARS = "▁▂▃▄▅▆▇█"
DAYS = 14


def sparkline(values: list[int | None]) -> str:
    """0-10 values as bars; a day without a check-in is a dot."""
    return "".join("·" if v is None else BARS[min(7, round(v * 7 / 10))] for v in values)


def daily_peaks(entries: list[LogEntry], zone: ZoneInfo, days: list[date]) -> list[int | None]:
    peaks: dict[date, int] = {}
    for e in entries:
        value = e.distress if e.distress is not None else e.distress_after
        if value is None:
            continue
        day = e.recorded_at.astimezone(zone).date()
        peaks[day] = max(peaks.get(day, 0), value)
    return [peaks.get(d) for d in days]


async def client_summary(s: AsyncSession, client: Client, now: datetime) -> str:
    zone = ZoneInfo(client.timezone)
    since = now - timedelta(days=DAYS)
    entries = list(
        (
            await s.exec(
                select(LogEntry)
                .where(LogEntry.client_id == client.id, LogEntry.recorded_at >= since)
                .order_by(col(LogEntry.recorded_at))
            )
        ).all()
    )
    today = now.astimezone(zone).date()
    days = [today - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    peaks = daily_peaks(entries, zone, days)
    name = html.escape(client.first_name or str(client.telegram_id))
    lines = [f"<b>{name}</b>: last {DAYS} days (status: {client.status})"]
    rated = [p for p in peaks if p is not None]
    if rated:
        lines.append(f"<code>{sparkline(peaks)}</code>  daily peak distress 0-10, oldest first")
        lines.append(f"Latest {rated[-1]}/10 · highest {max(rated)}/10 · {len(rated)} days logged")
    else:
        lines.append("No distress ratings logged yet.")
    lines += _coping_lines(entries)
    lines += await _after_session_trend(s, client, entries, zone)
    lines += await _alert_lines(s, client, since)
    lines += await measure_section(s, client)
    notes = [e for e in entries if e.kind == "session_note"]
    older_notes = (
        await s.exec(
            select(LogEntry).where(
                LogEntry.client_id == client.id,
                LogEntry.kind == "session_note",
                LogEntry.recorded_at < since,
            )
        )
    ).all()
    notes = list(older_notes) + notes
    if notes:
        lines.append("<b>Notes for the next session</b>")
        lines += [f"• {html.escape((n.note or '').strip()[:500])}" for n in notes]
    return "\n".join(lines)


def _coping_lines(entries: list[LogEntry]) -> list[str]:
    lines = []
    care = [e for e in entries if e.kind == "self_care"]
    if care:
        helped = sum(1 for e in care if e.helped)
        techniques = sorted({e.technique or "?" for e in care})
        lines.append(f"Self-care: {len(care)} times ({', '.join(techniques)}), helped {helped}")
    sits = [e for e in entries if e.kind == "sit_with_it" and e.seconds is not None]
    if sits:
        minutes = " → ".join(f"{(e.seconds or 0) / 60:.0f}" for e in sits[-6:])
        lines.append(f"Sitting with feelings (minutes stayed, recent): {minutes}")
    unable = sum(1 for e in entries if e.unable_to_function)
    if unable:
        lines.append(f"Unable to do usual things: reported {unable} time(s)")
    concerns = [e for e in entries if e.kind == "concern"]
    if concerns:
        # The screening reasons only: the client's words are never stored with a concern.
        reasons = sorted(
            {r.replace("_", " ") for e in concerns for r in (e.reason or "").split(",") if r}
        )
        lines.append(
            f"Messages that sounded heavy: {len(concerns)} ({', '.join(reasons) or 'concern'}); "
            "they were offered /sos"
        )
    return lines


async def _after_session_trend(
    s: AsyncSession, client: Client, entries: list[LogEntry], zone: ZoneInfo
) -> list[str]:
    """Mean distress in the 3 days after each recent session: a pattern, not one bad day."""
    sessions = (
        await s.exec(
            select(TherapySession)
            .where(
                TherapySession.client_id == client.id, col(TherapySession.cancelled_at).is_(None)
            )
            .order_by(col(TherapySession.starts_at))
        )
    ).all()
    by_session: dict[datetime, list[int]] = defaultdict(list)
    for session in sessions:
        end = session.starts_at + timedelta(minutes=session.duration_minutes)
        for e in entries:
            value = e.distress if e.distress is not None else e.distress_after
            if value is not None and end <= e.recorded_at < end + timedelta(days=3):
                by_session[end].append(value)
    if len(by_session) < 2:
        return []
    parts = [
        f"{end.astimezone(zone):%d %b}: {sum(v) / len(v):.1f}"
        for end, v in sorted(by_session.items())
    ]
    return ["After each session (mean distress, 3 days): " + " · ".join(parts)]


async def _alert_lines(s: AsyncSession, client: Client, since: datetime) -> list[str]:
    """Open alerts (only where the client chose to share them) and what the therapist did."""
    if not client.consent_alerts:
        return [
            "Alerts: the client chose not to share alerts with you (triage still advises them)."
        ]
    events = (
        await s.exec(
            select(TriageEvent).where(
                TriageEvent.client_id == client.id,
                col(TriageEvent.alerted_at).is_not(None),
            )
        )
    ).all()
    lines = []
    open_ = [e for e in events if e.acknowledged_at is None]
    if open_:
        lines.append(f"⚠️ {len(open_)} open triage alert(s): /alerts")
    recent = [e for e in events if e.at >= since]
    contacted = sum(1 for e in recent if e.contacted_at is not None)
    acked = sum(1 for e in recent if e.acknowledged_at is not None)
    if contacted or acked:
        lines.append(f"You acted on alerts: contacted {contacted} time(s), acknowledged {acked}.")
    return lines
