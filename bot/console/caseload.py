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

from sqlalchemy import func
from sqlalchemy.orm import load_only
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.console.reads import distress_points, events_of, last_entries, peaks_by_day, sessions_of
from bot.safety import TriageResult, TriageRules, evaluate_triage
from bot.safety.triage import CrisisSignal
from bot.service.alerts import LEVELS, describe_reasons
from bot.service.history import (
    CHECKIN_KINDS,
    checkin_from_entry,
    latest_session_end,
    triage_rules,
)
from bot.service.identity import clients_of
from bot.storage.models import Client, LogEntry, Therapist, TriageEvent

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
    assert therapist.id is not None
    rules = await triage_rules(s, config, therapist.id)
    session_end = {
        c.id: latest_session_end(sessions.rows.get(c.id, []), now, ZoneInfo(c.timezone))
        for c in clients
        if c.id
    }
    # Triage counts from the last session; with none, from the beginning (as triage_client does).
    with_session = [c for c, end in session_end.items() if end is not None]
    ends = [end for end in session_end.values() if end is not None]
    checkins = await checkins_for_triage(s, with_session, min(ends, default=now))
    checkins |= await checkins_for_triage(s, [c for c in ids if c not in with_session], None)
    crises = await crisis_histories(s, ids, now, rules)
    rows = []
    for client in clients:
        assert client.id is not None
        zone = ZoneInfo(client.timezone)
        today = now.astimezone(zone).date()
        days = [today - timedelta(days=n) for n in range(TREND_DAYS - 1, -1, -1)]
        trend = peaks_by_day(points.get(client.id, []), zone, days)
        shared = client.consent_alerts
        open_ = alerts.get(client.id, []) if shared else []
        tier, why = "rest", ""
        if open_:
            tier = "alert"
            newest = open_[0]
            why = describe_reasons(newest.reasons, newest.category)
        else:
            found = None
            if shared:
                found = current_triage(
                    client, checkins.get(client.id, []), session_end[client.id], crises, rules, now
                )
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


TRIAGE_COLUMNS = (
    LogEntry.client_id,
    LogEntry.kind,
    LogEntry.recorded_at,
    LogEntry.distress,
    LogEntry.distress_before,
    LogEntry.distress_after,
    LogEntry.unable_to_function,
    LogEntry.partly_unable,
    LogEntry.helped,
    LogEntry.note,
    LogEntry.feelings_other,
)


async def checkins_for_triage(
    s: AsyncSession, client_ids: list[int], floor: datetime | None
) -> dict[int, list[LogEntry]]:
    """The clients' check-ins since `floor` (None: all), with only the columns triage reads (so
    the other encrypted columns are not decrypted), in one query."""
    if not client_ids:
        return {}
    query = (
        select(LogEntry)
        .options(load_only(*TRIAGE_COLUMNS))  # type: ignore[arg-type]
        .where(col(LogEntry.client_id).in_(client_ids), col(LogEntry.kind).in_(CHECKIN_KINDS))
    )
    if floor is not None:
        query = query.where(LogEntry.recorded_at >= floor)
    rows = await s.exec(query.order_by(col(LogEntry.recorded_at)))
    out: dict[int, list[LogEntry]] = {}
    for entry in rows.all():
        out.setdefault(entry.client_id, []).append(entry)
    return out


@dataclass(frozen=True)
class Crises:
    """`bot.service.history.crisis_history` for many clients at once (two queries, not 2 x N)."""

    signals: dict[int, list[CrisisSignal]]
    acknowledged: dict[int, datetime]


async def crisis_histories(
    s: AsyncSession, client_ids: list[int], now: datetime, rules: TriageRules
) -> Crises:
    held = now - timedelta(hours=rules.crisis_hold_hours)
    events = await s.exec(
        select(TriageEvent.client_id, TriageEvent.at).where(
            col(TriageEvent.client_id).in_(client_ids),
            col(TriageEvent.at) >= held,
            col(TriageEvent.at) <= now,
            col(TriageEvent.crisis).is_(True),
            TriageEvent.source == "screening",
        )
    )
    signals: dict[int, list[CrisisSignal]] = {}
    for client_id, at in events.all():
        signals.setdefault(client_id, []).append(CrisisSignal(at))
    latest = func.max(TriageEvent.acknowledged_at).label("latest")
    acks = await s.exec(
        select(TriageEvent.client_id, latest)
        .where(col(TriageEvent.client_id).in_(client_ids))
        .group_by(col(TriageEvent.client_id))
    )
    return Crises(signals, {c: at for c, at in acks.all() if at is not None})


def current_triage(
    client: Client,
    entries: list[LogEntry],
    since: datetime | None,
    crises: Crises,
    rules: TriageRules,
    now: datetime,
) -> TriageResult:
    """What `bot.service.history.triage_client` finds, with the same rules and inputs, read in
    bulk for the whole caseload (a test holds the two to the same answers)."""
    assert client.id is not None
    return evaluate_triage(
        [checkin_from_entry(e) for e in entries],
        since,
        now,
        rules,
        tz=ZoneInfo(client.timezone),
        crisis_signals=crises.signals.get(client.id, []),
        acknowledged_at=crises.acknowledged.get(client.id),
    )


def _order(row: CaseloadRow, now: datetime) -> tuple[int, int, float, str]:
    tier = TIERS.index(row.tier)
    if row.tier == "alert":
        oldest = min(e.at for e in row.open_alerts)
        return (tier, _level_rank(row.open_alerts), oldest.timestamp(), "")
    if row.tier == "silent":
        seen = row.last_entry or row.client.created_at
        return (tier, 0, seen.timestamp(), "")  # longest silence first
    return (tier, 0, 0.0, row.client.first_name.casefold())
