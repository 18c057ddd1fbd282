"""PHQ-9 and GAD-7 scoring against the published bands and change rules: a table of answer sets
with their expected totals, bands and flags, and of score pairs with their change flags.

Bands: PHQ-9 5/10/15/20 (Kroenke et al. 2001), GAD-7 5/10/15 (Spitzer et al. 2006). Reliable
change against the first score: PHQ-9 6 points, GAD-7 4; recovery: from at or above the cut-off
(PHQ-9 10, GAD-7 8) to below it. See docs/measures.md for the sources.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.dialogue import model as m
from bot.dialogue.loader import load_flows
from bot.dialogue.scoring import score
from bot.measures.change import Point, changes, read_change

SHIPPED = Path(__file__).resolve().parents[2] / "flows"

LIBRARY = load_flows([SHIPPED], languages=("en", "de"))


def _score_step(flow_id: str) -> m.ScoreStep:
    step = LIBRARY.require(flow_id).steps["score"]
    assert isinstance(step, m.ScoreStep)
    return step


def _scored(flow_id: str, answers: list[int], extra: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    step = _score_step(flow_id)
    given = {key: value for key, value in zip(step.items, answers, strict=True)}
    return score(step, {**given, **(extra or {})}, {})


# answers item 1..9, total, band, flags
PHQ9 = [
    ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal", ()),
    ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal", ()),
    ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild", ()),
    ([1, 1, 1, 1, 1, 1, 1, 1, 1], 9, "mild", ("item9",)),
    ([2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate", ()),
    ([2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate", ()),
    ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately_severe", ()),
    ([3, 3, 3, 3, 3, 2, 2, 0, 0], 19, "moderately_severe", ()),
    ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe", ()),
    ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe", ("item9",)),
    ([0, 0, 0, 0, 0, 0, 0, 0, 1], 1, "minimal", ("item9",)),  # "several days" on item 9 alone
    ([0, 0, 0, 0, 0, 0, 0, 0, 2], 2, "minimal", ("item9",)),
    ([0, 0, 0, 0, 0, 0, 0, 0, 3], 3, "minimal", ("item9",)),
]
GAD7 = [
    ([0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
    ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
    ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),
    ([2, 2, 2, 1, 1, 1, 0], 9, "mild"),
    ([2, 2, 2, 2, 2, 0, 0], 10, "moderate"),
    ([2, 2, 2, 2, 2, 2, 2], 14, "moderate"),
    ([3, 3, 3, 3, 3, 0, 0], 15, "severe"),
    ([3, 3, 3, 3, 3, 3, 3], 21, "severe"),
]


@pytest.mark.parametrize(("answers", "total", "band", "flags"), PHQ9)
def test_phq9_totals_bands_and_the_item9_flag(
    answers: list[int], total: int, band: str, flags: tuple[str, ...]
) -> None:
    scored = _scored("phq9", answers, {"difficulty": 1})
    assert (scored.total, scored.band, scored.flags) == (total, band, flags)
    assert scored.items["difficulty"] == 1  # the functional question is kept, not summed


@pytest.mark.parametrize(("answers", "total", "band"), GAD7)
def test_gad7_totals_and_bands(answers: list[int], total: int, band: str) -> None:
    scored = _scored("gad7", answers)
    assert (scored.total, scored.band, scored.flags) == (total, band, ())


T0 = datetime(2026, 3, 1, 18, tzinfo=UTC)

# measure, first total, later total, reliable, recovered, reliable recovery
CHANGES = [
    ("phq9", 10, 16, "deterioration", False, False),  # +6: reliable deterioration
    ("phq9", 10, 15, None, False, False),  # +5: not reliable
    ("phq9", 16, 10, "improvement", False, False),  # -6 but still at the cut-off
    ("phq9", 16, 9, "improvement", True, True),  # -7 and below 10: reliable recovery
    ("phq9", 12, 9, None, True, False),  # below 10, but only -3
    ("phq9", 10, 9, None, True, False),  # the cut-off itself counts as a case
    ("phq9", 9, 3, "improvement", False, False),  # not a case at first: no recovery
    ("phq9", 20, 20, None, False, False),
    ("gad7", 8, 12, "deterioration", False, False),  # +4: reliable deterioration
    ("gad7", 8, 11, None, False, False),  # +3
    ("gad7", 12, 8, "improvement", False, False),  # -4, still at the cut-off 8
    ("gad7", 12, 7, "improvement", True, True),
    ("gad7", 9, 7, None, True, False),
    ("gad7", 7, 2, "improvement", False, False),
]


@pytest.mark.parametrize(("measure", "first", "later", "reliable", "recovered", "both"), CHANGES)
def test_reliable_change_and_recovery_against_the_first_score(
    measure: str, first: int, later: int, reliable: str | None, recovered: bool, both: bool
) -> None:
    step = _score_step(measure)
    change = read_change(
        Point(T0, first, ""),
        Point(T0 + timedelta(weeks=2), later, ""),
        step.reliable_change,
        step.cutoff,
    )
    assert (change.delta, change.reliable, change.recovered) == (later - first, reliable, recovered)
    assert change.reliable_recovery is both


def test_every_later_score_is_read_against_the_first_in_time_order() -> None:
    points = [
        Point(T0 + timedelta(weeks=4), 17, "moderately_severe"),
        Point(T0, 10, "moderate"),
        Point(T0 + timedelta(weeks=2), 12, "moderate"),
    ]
    read = changes(points, 6, 10)
    assert [(c.this.total, c.delta, c.reliable) for c in read] == [
        (12, 2, None),
        (17, 7, "deterioration"),
    ]
    assert changes(points[:1], 6, 10) == []
