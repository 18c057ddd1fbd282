"""Daily peak distress and a period's figures (mean, peak, days at the threshold or above).

One computation for every place that shows them: the pre-session summary's lines and the
console's figures beside the timeline, so the two never disagree for the same days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


def daily_peaks(ratings: Iterable[tuple[datetime, int]], zone: ZoneInfo) -> dict[date, int]:
    """The highest rating of each of the client's days (`zone` is the client's)."""
    peaks: dict[date, int] = {}
    for at, value in ratings:
        day = at.astimezone(zone).date()
        peaks[day] = max(peaks.get(day, 0), value)
    return peaks


@dataclass(frozen=True)
class PeriodFigures:
    """A period's daily peaks summed up; `days` counts the days with a rating."""

    days: int
    mean: float
    peak: int
    raised: int  # days whose peak is at `threshold` or above
    threshold: int

    @property
    def mean_text(self) -> str:
        return f"{self.mean:.1f}"


def period_figures(peaks: dict[date, int], threshold: int) -> PeriodFigures | None:
    """None when no day of the period has a rating."""
    if not peaks:
        return None
    values = list(peaks.values())
    return PeriodFigures(
        days=len(values),
        mean=sum(values) / len(values),
        peak=max(values),
        raised=sum(1 for v in values if v >= threshold),
        threshold=threshold,
    )


def period_line(label: str, figures: PeriodFigures | None) -> str:
    """'This period: mean 5.3, peak 8, 3 of 7 days at 6+' (or 'no ratings')."""
    if figures is None:
        return f"{label}: no ratings"
    days = "1 day" if figures.days == 1 else f"{figures.days} days"
    return (
        f"{label}: mean {figures.mean_text}, peak {figures.peak}, "
        f"{figures.raised} of {days} at {figures.threshold}+"
    )
