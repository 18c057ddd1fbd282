"""Measure schedules in the database: set one (a client's, or a therapist's default), find the one
in force for a client, and turn it into due-work rows next to the follow-ups.

Re-planned whenever the follow-ups are (a session added, moved or cancelled, timing changed, the
daily re-plan), so "the day before the session" follows the calendar.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import CheckinError
from bot.measures.schedule import ANCHORS, MEASURE, Anchor, MeasurePlan, plan_measures
from bot.scheduling.policy import Policy
from bot.scheduling.store import cancel_pending, upsert_items
from bot.storage.models import Client, MeasureSchedule

MAX_EVERY_WEEKS = 26


class MeasureScheduleError(CheckinError, ValueError):
    """A schedule that cannot be: an unknown measure, a bad interval or anchor."""


async def _row(s: AsyncSession, therapist_id: int, client_id: int | None) -> MeasureSchedule | None:
    query = select(MeasureSchedule).where(MeasureSchedule.therapist_id == therapist_id)
    if client_id is None:
        query = query.where(col(MeasureSchedule.client_id).is_(None))
    else:
        query = query.where(MeasureSchedule.client_id == client_id)
    return (await s.exec(query)).first()


def plan_of(row: MeasureSchedule) -> MeasurePlan:
    anchor: Anchor = "fixed" if row.anchor == "fixed" else "day_before_session"
    return MeasurePlan(
        tuple(row.measures), row.every_weeks, anchor, date.fromisoformat(row.starts_on)
    )


async def therapist_default(s: AsyncSession, therapist_id: int) -> MeasurePlan | None:
    """The therapist's default schedule (for every client without their own), if they set one."""
    row = await _row(s, therapist_id, None)
    return plan_of(row) if row is not None else None


async def plan_in_force(s: AsyncSession, client: Client) -> tuple[MeasurePlan | None, str]:
    """The client's own schedule, else their therapist's default; and which one it is."""
    assert client.id is not None
    own = await _row(s, client.therapist_id, client.id)
    if own is not None:
        return plan_of(own), "client"
    default = await _row(s, client.therapist_id, None)
    if default is not None:
        return plan_of(default), "default"
    return None, "none"


async def set_schedule(
    s: AsyncSession,
    *,
    therapist_id: int,
    client_id: int | None,
    measures: list[str],
    known: list[str],
    every_weeks: int = 2,
    anchor: str = "day_before_session",
    today: date,
    now: datetime,
) -> MeasurePlan:
    """Write (or replace) a schedule; `measures` empty turns measures off (for that client, even
    when the therapist has a default). `known`: the measure flows that exist."""
    unknown = [m for m in measures if m not in known]
    if unknown:
        raise MeasureScheduleError(
            f"unknown measure {', '.join(repr(u) for u in unknown)}; "
            f"use one or more of: {', '.join(known) or '(no measure flows loaded)'}"
        )
    if not 1 <= every_weeks <= MAX_EVERY_WEEKS:
        raise MeasureScheduleError(
            f"every {every_weeks} weeks is not possible; use 1 to {MAX_EVERY_WEEKS} weeks"
        )
    if anchor not in ANCHORS:
        raise MeasureScheduleError(f"unknown anchor {anchor!r}; use one of: {', '.join(ANCHORS)}")
    row = await _row(s, therapist_id, client_id)
    if row is None:
        row = MeasureSchedule(therapist_id=therapist_id, client_id=client_id, starts_on="")
    row.measures = list(dict.fromkeys(measures))
    row.every_weeks = every_weeks
    row.anchor = anchor
    row.starts_on = today.isoformat()
    row.updated_at = now
    s.add(row)
    await s.flush()
    return plan_of(row)


async def replan_measures(
    s: AsyncSession, client: Client, starts: list[datetime], policy: Policy, now: datetime
) -> int:
    """Bring the client's pending measure rows in line with their schedule and the session
    starts ahead (`starts`, every occurrence up to the planning horizon)."""
    assert client.id is not None
    plan, _ = await plan_in_force(s, client)
    tz = ZoneInfo(client.timezone)
    items = plan_measures(plan, client.id, starts, tz, policy.quiet_hours, now) if plan else []
    await upsert_items(s, items, client.id, now)
    await cancel_pending(
        s,
        now,
        key_prefixes=[f"{MEASURE}:{client.id}:"],
        keep=[i.key for i in items],
        reason="measures_changed",
    )
    return len(items)
