"""The caseload in order of attention: open alerts, then triage reasons, then silence, the rest.

Within open alerts the most urgent level comes first (crisis, now, soon, for your attention),
then the oldest. Triage reasons are what the triage rules find on the client's history now
(`bot.service.history.triage_client`, the same function the bot runs after every answer), shown
only for clients who agreed to share alerts with their therapist, as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.console.reads import daily_peaks, distress_points, events_of, last_entries, sessions_of
from bot.service.alerts import LEVELS, describe_reasons
from bot.service.history import triage_client
from bot.service.identity import clients_of
from bot.storage.models import Client, Therapist, TriageEvent

TREND_DAYS = 14
SILENCE = timedelta(days=3)  # no check-in for this long counts as silence
TIERS = ("alert", "triage", "silent", "rest")


@dataclass(frozen=True)
class CaseloadRow:
    client: Client
    tier: str
    why: str
    open_alerts: list[TriageEvent]
    trend: list[int | None]  # daily peak distress, oldest first, TREND_DAYS long
    days: list[date]
    last_entry: datetime | None
    next_session: datetime | None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.client.timezone)


def _level_rank(events: list[TriageEvent]) -> int:
    return min((LEVELS.index(e.level) if e.level in LEVELS else len(LEVELS)) for e in events)


async def caseload(
    s: AsyncSession, config: Config, therapist: Therapist, now: datetime
) -> list[CaseloadRow]:
    clients = await clients_of(s, therapist)
    ids = [c.id for c in clients if c.id is not None]
    since = now - timedelta(days=TREND_DAYS + 1)
    points = await distress_points(s, ids, since)
    last = await last_entries(s, ids)
    alerts = await events_of(s, ids, open_only=True)
    sessions = await sessions_of(s, clients, now, now)
    rows = []
    for client in clients:
        assert client.id is not None
        zone = ZoneInfo(client.timezone)
        today = now.astimezone(zone).date()
        days = [today - timedelta(days=n) for n in range(TREND_DAYS - 1, -1, -1)]
        trend = daily_peaks(points.get(client.id, []), zone, days)
        shared = client.consent_alerts
        open_ = alerts.get(client.id, []) if shared else []
        tier, why = "rest", ""
        if open_:
            tier = "alert"
            newest = open_[0]
            why = describe_reasons(newest.reasons, newest.category)
        else:
            found = await triage_client(s, config, client, now) if shared else None
            seen = last.get(client.id, client.created_at)
            if found is not None and found.reasons:
                tier, why = "triage", describe_reasons(found.reasons, None)
            elif client.status == "active" and now - seen >= SILENCE:
                tier = "silent"
                why = f"no check-in for {(now - seen).days} days"
        rows.append(
            CaseloadRow(
                client=client,
                tier=tier,
                why=why,
                open_alerts=open_,
                trend=trend,
                days=days,
                last_entry=last.get(client.id),
                next_session=sessions.upcoming.get(client.id),
            )
        )
    return sorted(rows, key=lambda r: _order(r, now))


def _order(row: CaseloadRow, now: datetime) -> tuple[int, int, float, str]:
    tier = TIERS.index(row.tier)
    if row.tier == "alert":
        oldest = min(e.at for e in row.open_alerts)
        return (tier, _level_rank(row.open_alerts), oldest.timestamp(), "")
    if row.tier == "silent":
        seen = row.last_entry or row.client.created_at
        return (tier, 0, seen.timestamp(), "")  # longest silence first
    return (tier, 0, 0.0, row.client.first_name.casefold())
