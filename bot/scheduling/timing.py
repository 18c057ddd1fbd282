"""Per-therapist and per-client timing overrides (`PolicyOverride` rows): read, validate, save.

Every value is validated before it is stored, so a saved override always loads. Setting a field to
`None` leaves it as it was; `clear_timing` removes an override so the level above applies again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import FollowUpConfig, format_duration
from bot.errors import NotFoundError
from bot.scheduling.policy import (
    Policy,
    TimingError,
    effective_policy,
    parse_cap,
    parse_clock,
    parse_offsets,
    parse_reminder,
)
from bot.storage.models import Client, PolicyOverride, Therapist


@dataclass(frozen=True)
class TimingChange:
    """What to change; None fields are left as they are."""

    offsets: list[str] | None = None
    quiet_hours: str | None = None  # "21:30-08:30"
    reminder_after: str | None = None  # "4h" or "off"
    max_pings_per_day: int | str | None = None
    day_before_next_session: bool | None = None
    # Fields to take from the level above again (a client back on their therapist's quiet hours).
    inherit: frozenset[str] = frozenset()


INHERITABLE = {
    "offsets": ("offsets",),
    "quiet_hours": ("quiet_start", "quiet_end"),
    "reminder_after": ("reminder_after",),
    "max_pings_per_day": ("max_pings_per_day",),
    "day_before_next_session": ("day_before_next_session",),
}


async def _override(
    s: AsyncSession, therapist_id: int, client_id: int | None
) -> PolicyOverride | None:
    found = await s.exec(
        select(PolicyOverride).where(
            PolicyOverride.therapist_id == therapist_id,
            PolicyOverride.client_id == client_id
            if client_id is not None
            else col(PolicyOverride.client_id).is_(None),
        )
    )
    return found.first()


async def load_policy(s: AsyncSession, clinic: FollowUpConfig, client: Client) -> Policy:
    """The policy in force for one client (clinic, then therapist, then client overrides)."""
    therapist = await _override(s, client.therapist_id, None)
    own = await _override(s, client.therapist_id, client.id)
    return effective_policy(clinic, therapist, own)


async def therapist_policy(s: AsyncSession, clinic: FollowUpConfig, therapist_id: int) -> Policy:
    return effective_policy(clinic, await _override(s, therapist_id, None), None)


def parse_quiet(text: str) -> tuple[str, str]:
    """`21:30-08:30` -> ("21:30", "08:30"), validated."""
    start, sep, end = text.partition("-")
    if not sep:
        raise TimingError(f"Quiet hours {text!r} need a start and an end, like 21:30-08:30")
    return (
        parse_clock(start.strip()).strftime("%H:%M"),
        parse_clock(end.strip()).strftime("%H:%M"),
    )


async def set_timing(
    s: AsyncSession,
    therapist_id: int,
    change: TimingChange,
    now: datetime,
    client_id: int | None = None,
) -> PolicyOverride:
    """Validate and save an override for a therapist (client_id None) or one of their clients."""
    if await s.get(Therapist, therapist_id) is None:
        raise NotFoundError(
            "therapist", therapist_id, "List therapists with `checkin therapist list`."
        )
    if client_id is not None:
        client = await s.get(Client, client_id)
        if client is None or client.therapist_id != therapist_id:
            raise NotFoundError(
                "client", client_id, f"It is not a client of therapist {therapist_id}."
            )
    row = await _override(s, therapist_id, client_id)
    if row is None:
        row = PolicyOverride(therapist_id=therapist_id, client_id=client_id)
    if change.offsets is not None:
        row.offsets = [format_duration(o) for o in parse_offsets(change.offsets)]
    if change.quiet_hours is not None:
        row.quiet_start, row.quiet_end = parse_quiet(change.quiet_hours)
    if change.reminder_after is not None:
        parsed = parse_reminder(change.reminder_after)
        row.reminder_after = format_duration(parsed) if parsed else "off"
    if change.max_pings_per_day is not None:
        row.max_pings_per_day = parse_cap(change.max_pings_per_day)
    if change.day_before_next_session is not None:
        row.day_before_next_session = change.day_before_next_session
    for name in change.inherit:
        for column in INHERITABLE[name]:
            setattr(row, column, None)
    row.updated_at = now
    s.add(row)
    await s.flush()
    return row


async def clear_timing(s: AsyncSession, therapist_id: int, client_id: int | None = None) -> bool:
    """Remove an override; return whether there was one."""
    stmt = delete(PolicyOverride).where(
        col(PolicyOverride.therapist_id) == therapist_id,
        col(PolicyOverride.client_id) == client_id
        if client_id is not None
        else col(PolicyOverride.client_id).is_(None),
    )
    result = await s.exec(stmt)
    return bool(result.rowcount)
