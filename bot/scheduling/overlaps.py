"""Double bookings: does a session (one-off or every occurrence of a weekly series) overlap another?

Pure: slots and zones in, clashes out. Each session lasts its own length (`duration_minutes`,
the clinic's `followups.session_length` when it was registered). A weekly series is compared
occurrence by occurrence over a year, so two series in zones with different daylight-saving dates
are caught in the weeks where they meet, not only on their first dates.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling.planner import SessionSlot, occurrences

# How far ahead weekly series are compared: every daylight-saving change of both hemispheres.
LOOK_AHEAD = timedelta(weeks=53)


@dataclass(frozen=True)
class Clash:
    """The first occurrence of another session that a booking overlaps."""

    session_id: int
    client_id: int | None
    starts_at: datetime  # the other occurrence's start (UTC)
    length: timedelta
    weekly: bool


def find_clashes(
    candidate: SessionSlot,
    zone: ZoneInfo,
    others: list[tuple[SessionSlot, ZoneInfo]],
    since: datetime,
) -> list[Clash]:
    """The first overlap with each other session, earliest first.

    `candidate` is what would be booked (in `zone`, its client's); `others` are the sessions it
    must not meet, each in its own client's zone, already without the occurrence being moved.
    Sessions touching end to start (15:00-15:50 and 15:50) do not overlap.
    """
    start = max(since, candidate.starts_at) if candidate.weekly else candidate.starts_at
    end = start + (LOOK_AHEAD if candidate.weekly else timedelta(0))
    mine = occurrences(candidate, zone, start, end)
    if not mine:
        return []
    found: list[Clash] = []
    for slot, other_zone in others:
        theirs = occurrences(slot, other_zone, mine[0] - slot.length, mine[-1] + candidate.length)
        for other_start in theirs:
            if _meets(mine, candidate.length, other_start, slot.length):
                found.append(Clash(slot.id, slot.client_id, other_start, slot.length, slot.weekly))
                break
    return sorted(found, key=lambda c: c.starts_at)


def _meets(
    starts: list[datetime], length: timedelta, other: datetime, other_length: timedelta
) -> bool:
    """Whether any [s, s + length) of the sorted `starts` meets [other, other + other_length)."""
    i = bisect_left(starts, other - length + timedelta(microseconds=1))
    return i < len(starts) and starts[i] < other + other_length
