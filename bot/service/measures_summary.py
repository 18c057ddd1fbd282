"""The measures section of a client's summary: per measure the latest total and band, the change
against the first score (reliable improvement or deterioration, recovery) with dates, the totals
over time, and the PHQ-9 item 9 history. Therapist-facing, in English, never the client's words."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.measures.change import Change, Point, changes
from bot.storage.models import MeasureScore, TriageEvent

NAMES = {"phq9": "PHQ-9", "gad7": "GAD-7", "phq4": "PHQ-4", "phq2": "PHQ-2", "gad2": "GAD-2"}
ITEM9 = "phq9_item9"


def measure_name(measure: str) -> str:
    return NAMES.get(measure, measure.upper())


def band_words(band: str) -> str:
    return band.replace("_", " ")


class ScoreRow(Protocol):
    """What reading a score needs: its total and band and the measure's rules (clear columns
    only, so the console can read them without decrypting the answers)."""

    @property
    def measure(self) -> str: ...
    @property
    def total(self) -> int: ...
    @property
    def band(self) -> str: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def reliable_change(self) -> float | None: ...
    @property
    def cutoff(self) -> float | None: ...
    @property
    def bands(self) -> list[list[Any]]: ...


@dataclass(frozen=True)
class MeasureReading:
    """One measure's scores over time, read against the first by its latest rules: what the
    summary's lines, its chart and the console's timeline all show."""

    measure: str
    name: str  # PHQ-9
    points: list[Point]  # oldest first
    band_starts: list[int]  # boundaries between bands (the lowest band's start left out)
    changes: list[Change]  # every score after the first, read against the first

    @property
    def first(self) -> Point:
        return self.points[0]

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def flagged(self) -> list[tuple[Change, str]]:
        """The changes worth naming (reliable change, recovery), each with its words."""
        return [(c, words) for c in self.changes if (words := change_words(c))]

    @property
    def latest_flag(self) -> str | None:
        """The latest score's change words, if it is flagged."""
        last = self.changes[-1] if self.changes else None
        return change_words(last) if last is not None else None


def change_words(change: Change) -> str | None:
    """'reliable deterioration (+6 since the first), recovery ...' or None when nothing is."""
    words = []
    if change.reliable:
        sign = "+" if change.delta > 0 else ""
        words.append(f"reliable {change.reliable} ({sign}{change.delta} since the first)")
    if change.recovered:
        words.append(
            "reliable recovery" if change.reliable_recovery else "recovery (below the cut-off)"
        )
    return ", ".join(words) or None


def read_measures(rows: Sequence[ScoreRow]) -> list[MeasureReading]:
    """Each measure's reading: the shipped ones in a fixed order (PHQ-9, GAD-7, so each keeps its
    colour on every chart), then any other in the order first taken."""
    by_measure: dict[str, list[ScoreRow]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.recorded_at):
        by_measure[row.measure].append(row)
    readings = []
    for measure, scores in by_measure.items():
        latest = scores[-1]
        points = [Point(r.recorded_at, r.total, r.band) for r in scores]
        starts = sorted({int(b[0]) for b in latest.bands or []})
        readings.append(
            MeasureReading(
                measure,
                measure_name(measure),
                points,
                starts[1:],
                changes(points, latest.reliable_change, latest.cutoff),
            )
        )
    known = list(NAMES)
    return sorted(readings, key=lambda r: known.index(r.measure) if r.measure in known else 99)


@dataclass(frozen=True)
class MeasureHistory:
    """What the section reads: every score in time order, and the item 9 safety events."""

    scores: list[MeasureScore]
    item9: list[TriageEvent]


async def load_measure_history(s: AsyncSession, client_id: int) -> MeasureHistory:
    scores = (
        await s.exec(
            select(MeasureScore)
            .where(MeasureScore.client_id == client_id)
            .order_by(col(MeasureScore.recorded_at), col(MeasureScore.id))
        )
    ).all()
    events = (
        await s.exec(
            select(TriageEvent)
            .where(TriageEvent.client_id == client_id, TriageEvent.source == "measure")
            .order_by(col(TriageEvent.at))
        )
    ).all()
    return MeasureHistory(list(scores), [e for e in events if ITEM9 in e.reasons])


def measure_lines(history: MeasureHistory, zone: ZoneInfo) -> list[str]:
    """The section's lines; empty when the client has no scores and no item 9 events."""
    rows, item9 = history.scores, history.item9
    if not rows and not item9:
        return []

    def day(when: datetime) -> str:
        return f"{when.astimezone(zone):%d %b}"

    lines = ["<b>Measures</b>"]
    readings = read_measures(rows)
    for reading in readings:
        first, latest = reading.first, reading.latest
        lines.append(
            f"{reading.name}: latest <b>{latest.total}</b> ({band_words(latest.band)}), "
            f"{day(latest.at)}"
            + (
                f" · first {first.total} ({band_words(first.band)}), {day(first.at)}"
                if len(reading.points) > 1
                else ""
            )
        )
        if len(reading.points) > 1:
            lines.append(
                "  totals: " + " → ".join(f"{p.total} ({day(p.at)})" for p in reading.points)
            )
        for change, words in reading.flagged:
            lines.append(f"  {day(change.this.at)}: {words}")
    if item9:
        answered = ", ".join(
            f"{day(e.at)} ({html.escape(e.category)})" if e.category else day(e.at) for e in item9
        )
        lines.append(
            f"PHQ-9 item 9 above 'not at all': {answered}. A prompt to talk, not a risk rating."
        )
    elif any(r.measure == "phq9" for r in readings):
        lines.append("PHQ-9 item 9: 'not at all' each time.")
    return lines
