"""Does the client feel worse after sessions? Pure, so it is tested on fixed numbers.

Each session occurrence counts on its own (a weekly series is one row but many sessions). The
days right after a session are compared with the client's own between-session baseline: the
ratings that fall outside every after-session window. A pattern is a run of the most recent
sessions, each worse than the baseline, not one bad day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

AFTER_WINDOW = timedelta(days=3)
WORSE_BY = 1.0  # points above the baseline that count as "worse"
MIN_RUN = 2  # "worse after each of the last N sessions" needs at least two sessions


@dataclass(frozen=True)
class AfterSession:
    ended: datetime
    mean: float
    count: int


@dataclass(frozen=True)
class SessionTrend:
    after: tuple[AfterSession, ...]  # oldest first; only sessions with ratings after them
    baseline: float | None  # mean of the ratings outside every after-session window
    worse_run: int  # how many of the most recent sessions in a row were worse than baseline

    @property
    def worse_after_each(self) -> bool:
        return self.worse_run >= MIN_RUN


def session_trend(
    ratings: Sequence[tuple[datetime, int]],
    session_ends: Sequence[datetime],
    window: timedelta = AFTER_WINDOW,
) -> SessionTrend:
    """Mean rating in the `window` after each session end, and the between-session baseline."""
    ends = sorted(session_ends)
    after: list[AfterSession] = []
    inside: set[int] = set()
    for n, end in enumerate(ends):
        # A window stops at the next session: the ratings after it belong to that one.
        stop = min(end + window, ends[n + 1]) if n + 1 < len(ends) else end + window
        values = []
        for i, (at, value) in enumerate(ratings):
            if end <= at < stop:
                values.append(value)
                inside.add(i)
        if values:
            after.append(AfterSession(end, sum(values) / len(values), len(values)))
    rest = [value for i, (_, value) in enumerate(ratings) if i not in inside]
    baseline = sum(rest) / len(rest) if rest else None
    run = 0
    if baseline is not None:
        for item in reversed(after):
            if item.mean < baseline + WORSE_BY:
                break
            run += 1
    return SessionTrend(tuple(after), baseline, run)
