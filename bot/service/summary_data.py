"""What the pre-session summary is built from, read once: the period, the sessions, the log.

The period is "since the last session": from the end of the client's most recent session
occurrence (weekly series expanded) to now. The previous period runs from the session before it.
Without sessions the period is the last 14 days, and the previous one the 14 days before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.scheduling.planner import occurrences
from bot.scheduling.sessions import slot_of
from bot.service.alerts import therapist_zone
from bot.service.history import triage_rules
from bot.service.measures_summary import (
    MeasureReading,
    load_measure_history,
    measure_lines,
    read_measures,
)
from bot.service.names import distinct_name, siblings
from bot.storage.models import (
    AuditLog,
    Client,
    FlowRun,
    LogEntry,
    Therapist,
    TherapySession,
    TriageEvent,
)

DEFAULT_PERIOD = timedelta(days=14)
LOOKBACK = timedelta(weeks=10)  # how far back sessions and ratings feed the trend
CHECKIN_FLOW = "after_session"


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime


@dataclass
class SummaryData:
    client: Client
    title: str  # the client's name, told apart from namesakes (plain text)
    therapist: Therapist
    now: datetime
    zone: ZoneInfo  # the therapist's: every time shown is in it, labelled
    client_zone: ZoneInfo  # the client's: a day is the client's day
    start: datetime  # this period: since the last session ended
    previous_start: datetime  # the period before: since the session before that
    sessions: list[Occurrence]  # past occurrences within the lookback, oldest first
    next_session: datetime | None
    threshold: int  # distress at or above this counts as raised (the triage threshold)
    entries: list[LogEntry]  # everything logged within the lookback, oldest first
    events: list[TriageEvent]  # alerts since the previous period began
    runs: list[FlowRun]  # check-ins started since the previous period began
    pauses: list[AuditLog]  # pause and resume entries since the previous period began
    last_entry_at: datetime | None  # the client's last logged answer, whenever it was
    measures: list[str] = field(default_factory=list)  # the measures section (measures_summary)
    measure_readings: list[MeasureReading] = field(default_factory=list)  # for the chart

    @property
    def lookback_start(self) -> datetime:
        """How far back the entries were read: the chart never starts before it."""
        return min(self.now - LOOKBACK, self.previous_start)

    def in_period(self, entry: LogEntry) -> bool:
        return entry.recorded_at >= self.start

    def in_previous(self, entry: LogEntry) -> bool:
        return self.previous_start <= entry.recorded_at < self.start

    @property
    def period_entries(self) -> list[LogEntry]:
        return [e for e in self.entries if self.in_period(e)]

    def day(self, instant: datetime) -> date:
        return instant.astimezone(self.client_zone).date()

    def at(self, instant: datetime) -> str:
        """A time as the therapist reads it (their zone; the footer names the zone)."""
        return when(instant, self.zone)


def when(instant: datetime, zone: ZoneInfo) -> str:
    """'Tue 24 Nov 20:00' in `zone`: how every therapist-facing time reads."""
    local = instant.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def rating(entry: LogEntry) -> int | None:
    """The distress an entry carries: the rating, else the rating after self-care."""
    return entry.distress if entry.distress is not None else entry.distress_after


async def session_occurrences(
    s: AsyncSession, client: Client, since: datetime, until: datetime
) -> list[Occurrence]:
    """Every session occurrence of the client starting in [since, until], oldest first."""
    rows = (
        await s.exec(
            select(TherapySession).where(
                TherapySession.client_id == client.id, col(TherapySession.cancelled_at).is_(None)
            )
        )
    ).all()
    zone = ZoneInfo(client.timezone)
    found = []
    for row in rows:
        length = timedelta(minutes=row.duration_minutes)
        for start in occurrences(slot_of(row), zone, since, until):
            found.append(Occurrence(start, start + length))
    return sorted(found, key=lambda o: o.start)


async def load_summary_data(
    s: AsyncSession, config: Config, client: Client, now: datetime, since: datetime | None = None
) -> SummaryData:
    therapist = await s.get(Therapist, client.therapist_id)
    assert therapist is not None
    assert client.id is not None
    window = await session_occurrences(s, client, now - LOOKBACK, now + timedelta(weeks=1))
    past = [o for o in window if o.end <= now]
    upcoming = [o.start for o in window if o.start > now]
    if since is not None:  # a period asked for: the one before is as long
        start = min(since, now)
        previous_start = start - max(now - start, timedelta(days=1))
    elif past:
        start = past[-1].end
        previous_start = past[-2].end if len(past) > 1 else start - DEFAULT_PERIOD
    else:
        start = now - DEFAULT_PERIOD
        previous_start = start - DEFAULT_PERIOD
    rules = await triage_rules(s, config, client.therapist_id)
    history = await load_measure_history(s, client.id)
    entries = list(
        (
            await s.exec(
                select(LogEntry)
                .where(
                    LogEntry.client_id == client.id,
                    LogEntry.recorded_at >= min(now - LOOKBACK, previous_start),
                )
                .order_by(col(LogEntry.recorded_at), col(LogEntry.id))
            )
        ).all()
    )
    last_entry_at = (
        await s.exec(
            select(LogEntry.recorded_at)
            .where(LogEntry.client_id == client.id)
            .order_by(col(LogEntry.recorded_at).desc())
            .limit(1)
        )
    ).first()
    events = list(
        (
            await s.exec(
                select(TriageEvent)
                .where(
                    TriageEvent.client_id == client.id,
                    TriageEvent.at >= previous_start,
                    col(TriageEvent.alerted_at).is_not(None),
                )
                .order_by(col(TriageEvent.at), col(TriageEvent.id))
            )
        ).all()
    )
    runs = list(
        (
            await s.exec(
                select(FlowRun)
                .where(
                    FlowRun.client_id == client.id,
                    FlowRun.flow_id == CHECKIN_FLOW,
                    FlowRun.started_at >= previous_start,
                )
                .order_by(col(FlowRun.started_at))
            )
        ).all()
    )
    pauses = list(
        (
            await s.exec(
                select(AuditLog)
                .where(
                    AuditLog.client_id == client.id,
                    col(AuditLog.action).in_(("checkins.pause", "checkins.resume")),
                    AuditLog.at >= previous_start,
                )
                .order_by(col(AuditLog.at), col(AuditLog.id))
            )
        ).all()
    )
    return SummaryData(
        client=client,
        title=distinct_name(client, await siblings(s, client)),
        therapist=therapist,
        now=now,
        zone=therapist_zone(therapist, client),
        client_zone=ZoneInfo(client.timezone),
        start=start,
        previous_start=previous_start,
        sessions=past,
        next_session=upcoming[0] if upcoming else None,
        threshold=rules.distress_threshold,
        entries=entries,
        events=events,
        runs=runs,
        pauses=pauses,
        last_entry_at=last_entry_at,
        measures=measure_lines(history, ZoneInfo(client.timezone)),
        measure_readings=read_measures(history.scores),
    )
