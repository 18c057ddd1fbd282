"""Reading a client's scores over time: reliable change and recovery against their first score.

The rules are the measure's own, declared in its flow (`reliable_change`, `cutoff`):
- reliable improvement / deterioration: the total moved by at least `reliable_change` points
  from the first score (PHQ-9: 6, GAD-7: 4);
- recovery: the first score was at or above the clinical `cutoff` and this one is below it
  (PHQ-9: under 10, GAD-7: under 8); with reliable improvement too it is reliable recovery.
Sources: docs/measures.md. Higher totals mean more symptoms for every measure read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Direction = Literal["improvement", "deterioration"]


@dataclass(frozen=True, slots=True)
class Point:
    at: datetime
    total: int
    band: str


@dataclass(frozen=True, slots=True)
class Change:
    """One score read against the first: points moved, reliable or not, recovered or not."""

    first: Point
    this: Point
    delta: int  # this - first; negative is fewer symptoms
    reliable: Direction | None
    recovered: bool

    @property
    def reliable_recovery(self) -> bool:
        return self.recovered and self.reliable == "improvement"


def read_change(
    first: Point, this: Point, reliable_change: float | None, cutoff: float | None
) -> Change:
    delta = this.total - first.total
    reliable: Direction | None = None
    if reliable_change is not None and abs(delta) >= reliable_change:
        reliable = "deterioration" if delta > 0 else "improvement"
    recovered = cutoff is not None and first.total >= cutoff and this.total < cutoff
    return Change(first, this, delta, reliable, recovered)


def changes(
    points: Sequence[Point], reliable_change: float | None, cutoff: float | None
) -> list[Change]:
    """Every score after the first (in time order), read against the first."""
    ordered = sorted(points, key=lambda p: p.at)
    if len(ordered) < 2:
        return []
    first = ordered[0]
    return [read_change(first, p, reliable_change, cutoff) for p in ordered[1:]]
