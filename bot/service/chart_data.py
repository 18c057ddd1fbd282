"""What the summary's chart shows, apart from how it is drawn: the daily peaks, the sessions, the
threshold and, for a client who answered standard measures, each measure's totals with its band
boundaries, latest band and change flags. Built from `SummaryData`, so the chart shows exactly
what the summary's text reads (the measures' flags are the same `MeasureReading`s)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.service.measures_summary import MeasureReading, band_words
from bot.service.summary_data import SummaryData
from bot.service.summary_sections import daily_peaks


@dataclass(frozen=True)
class MeasureLine:
    """One measure on the chart; times are the client's wall clock (naive), like the days."""

    measure: str
    name: str  # PHQ-9
    points: list[tuple[datetime, int]]  # (when, total), oldest first, within the chart's days
    band_starts: list[int]  # the boundaries drawn as light lines (PHQ-9: 5, 10, 15, 20)
    latest_total: int
    latest_band: str  # in words: "moderately severe"
    flag: str | None  # the latest score's change against the first, as the summary words it
    flagged: list[datetime] = field(default_factory=list)  # points with reliable change/recovery

    @property
    def key(self) -> str:
        """The legend: 'PHQ-9 16, moderately severe'."""
        return f"{self.name} {self.latest_total}, {self.latest_band}"


@dataclass(frozen=True)
class ChartData:
    first: date
    last: date
    peaks: dict[date, int]
    sessions: list[datetime]  # the client's wall clock
    threshold: int
    title: str
    measures: list[MeasureLine] = field(default_factory=list)


def chart_start(data: SummaryData) -> datetime:
    """Since the session before the last one; earlier when a measure was first taken within the
    lookback, so the scores that the change flags compare are both on the time axis."""
    taken = [p.at for r in data.measure_readings for p in r.points if p.at >= data.lookback_start]
    return min([data.previous_start, *taken])


def _wall(instant: datetime, data: SummaryData) -> datetime:
    return instant.astimezone(data.client_zone).replace(tzinfo=None)


def measure_line(reading: MeasureReading, since: datetime, data: SummaryData) -> MeasureLine:
    shown = [p for p in reading.points if p.at >= since]
    return MeasureLine(
        measure=reading.measure,
        name=reading.name,
        points=[(_wall(p.at, data), p.total) for p in shown],
        band_starts=reading.band_starts,
        latest_total=reading.latest.total,
        latest_band=band_words(reading.latest.band),
        flag=reading.latest_flag,
        flagged=[_wall(c.this.at, data) for c, _ in reading.flagged if c.this.at >= since],
    )


def chart_data(data: SummaryData) -> ChartData | None:
    """None when there is nothing to draw: no rating and no measure in the chart's days."""
    since = chart_start(data)
    peaks = daily_peaks((e for e in data.entries if e.recorded_at >= since), data)
    lines = [measure_line(r, since, data) for r in data.measure_readings]
    lines = [line for line in lines if line.points]
    if not peaks and not lines:
        return None
    first = data.day(since)
    marks = [_wall(o.start, data) for o in data.sessions if data.day(o.start) >= first]
    # The title shares its line with the key: a long name is cut, never drawn over it.
    name = data.title if len(data.title) <= 22 else data.title[:21] + "…"
    title = f"{name} · since {first:%a} {first.day} {first:%b}"
    return ChartData(first, data.day(data.now), peaks, marks, data.threshold, title, lines)


# What the chart shows, as JSON: the outbox keeps it and the sender draws it after the commit
# (bot/service/drawings.py). Times are the client's wall clock (naive), as in ChartData.
def chart_json(chart: ChartData) -> dict[str, Any]:
    return {
        "first": chart.first.isoformat(),
        "last": chart.last.isoformat(),
        "peaks": [[day.isoformat(), value] for day, value in chart.peaks.items()],
        "sessions": [at.isoformat() for at in chart.sessions],
        "threshold": chart.threshold,
        "title": chart.title,
        "measures": [
            {
                "measure": line.measure,
                "name": line.name,
                "points": [[at.isoformat(), total] for at, total in line.points],
                "band_starts": line.band_starts,
                "latest_total": line.latest_total,
                "latest_band": line.latest_band,
                "flag": line.flag,
                "flagged": [at.isoformat() for at in line.flagged],
            }
            for line in chart.measures
        ],
    }


def chart_from_json(data: dict[str, Any]) -> ChartData:
    return ChartData(
        first=date.fromisoformat(data["first"]),
        last=date.fromisoformat(data["last"]),
        peaks={date.fromisoformat(day): int(value) for day, value in data["peaks"]},
        sessions=[datetime.fromisoformat(at) for at in data["sessions"]],
        threshold=int(data["threshold"]),
        title=str(data["title"]),
        measures=[
            MeasureLine(
                measure=str(m["measure"]),
                name=str(m["name"]),
                points=[(datetime.fromisoformat(at), int(total)) for at, total in m["points"]],
                band_starts=[int(b) for b in m["band_starts"]],
                latest_total=int(m["latest_total"]),
                latest_band=str(m["latest_band"]),
                flag=m["flag"],
                flagged=[datetime.fromisoformat(at) for at in m["flagged"]],
            )
            for m in data.get("measures", [])
        ],
    )
