"""Scoring a measure from a run's answers: the sum, its band and the item flags. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.conditions import holds


def measure_flows(flows: Mapping[str, m.Flow]) -> list[str]:
    """The ids of the flows that score a measure (they have a `score` step), sorted."""
    return sorted(
        fid
        for fid, flow in flows.items()
        if any(isinstance(s, m.ScoreStep) for s in flow.steps.values())
    )


def band_of(bands: tuple[m.Band, ...], total: float) -> str:
    """The name of the band `total` falls in: the last band whose start it reaches."""
    found = bands[0].name if bands else ""
    for band in bands:
        if total >= band.start:
            found = band.name
    return found


def as_number(value: Any) -> int | None:
    """An item answer as a whole number (option values may come back as text)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def score(step: m.ScoreStep, answers: Mapping[str, Any], context: Mapping[str, Any]) -> c.Score:
    """The measure's score. An item left unanswered counts 0 (the flow asks every item, so this
    only happens in a flow edited mid-run); it is kept as None in `items`."""
    items: dict[str, Any] = {}
    total = 0
    for key in step.items:
        number = as_number(answers.get(key))
        items[key] = number
        total += number or 0
    for key in step.extra:
        items[key] = answers.get(key)
    flags = tuple(flag.name for flag in step.flags if holds(flag.when, answers, context))
    return c.Score(
        step.measure,
        total,
        band_of(step.bands, total),
        items,
        flags,
        step.reliable_change,
        step.cutoff,
        tuple((b.start, b.name) for b in step.bands),
    )
