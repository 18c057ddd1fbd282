"""The measures section of a client's summary: per measure the latest total and band, the change
against the first score (reliable improvement or deterioration, recovery) with dates, the totals
over time, and the PHQ-9 item 9 history. Therapist-facing, in English, never the client's words."""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.measures.change import Change, Point, changes
from bot.storage.models import Client, MeasureScore, TriageEvent

NAMES = {"phq9": "PHQ-9", "gad7": "GAD-7", "phq4": "PHQ-4", "phq2": "PHQ-2", "gad2": "GAD-2"}
ITEM9 = "phq9_item9"


def measure_name(measure: str) -> str:
    return NAMES.get(measure, measure.upper())


def _band(band: str) -> str:
    return band.replace("_", " ")


def _flag_line(change: Change, day: str) -> str | None:
    words = []
    if change.reliable:
        sign = "+" if change.delta > 0 else ""
        words.append(f"reliable {change.reliable} ({sign}{change.delta} since the first)")
    if change.recovered:
        words.append(
            "reliable recovery" if change.reliable_recovery else "recovery (below the cut-off)"
        )
    return f"  {day}: {', '.join(words)}" if words else None


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


async def measure_section(s: AsyncSession, client: Client) -> list[str]:
    assert client.id is not None
    return measure_lines(await load_measure_history(s, client.id), ZoneInfo(client.timezone))


def measure_lines(history: MeasureHistory, zone: ZoneInfo) -> list[str]:
    """The section's lines; empty when the client has no scores and no item 9 events."""
    rows, item9 = history.scores, history.item9
    if not rows and not item9:
        return []

    def day(when: datetime) -> str:
        return f"{when.astimezone(zone):%d %b}"

    lines = ["<b>Measures</b>"]
    by_measure: dict[str, list[MeasureScore]] = defaultdict(list)
    for row in rows:
        by_measure[row.measure].append(row)
    for measure, scores in by_measure.items():
        first, latest = scores[0], scores[-1]
        name = measure_name(measure)
        lines.append(
            f"{name}: latest <b>{latest.total}</b> ({_band(latest.band)}), {day(latest.recorded_at)}"
            + (
                f" · first {first.total} ({_band(first.band)}), {day(first.recorded_at)}"
                if len(scores) > 1
                else ""
            )
        )
        if len(scores) > 1:
            lines.append(
                "  totals: " + " → ".join(f"{r.total} ({day(r.recorded_at)})" for r in scores)
            )
        points = [Point(r.recorded_at, r.total, r.band) for r in scores]
        for change in changes(points, latest.reliable_change, latest.cutoff):
            flag = _flag_line(change, day(change.this.at))
            if flag:
                lines.append(flag)
    if item9:
        answered = ", ".join(
            f"{day(e.at)} ({html.escape(e.category)})" if e.category else day(e.at) for e in item9
        )
        lines.append(
            f"PHQ-9 item 9 above 'not at all': {answered}. A prompt to talk, not a risk rating."
        )
    elif "phq9" in by_measure:
        lines.append("PHQ-9 item 9: 'not at all' each time.")
    return lines
