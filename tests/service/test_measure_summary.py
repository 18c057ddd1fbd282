"""The summary's Measures section: latest total and band, change flags with dates, item 9."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.service.measures_summary import MeasureHistory, measure_lines, read_measures
from bot.storage.models import MeasureScore, TriageEvent

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 3, 2, 18, tzinfo=UTC)


def _score(measure: str, total: int, band: str, weeks: int, item9: int = 0) -> MeasureScore:
    rc, cutoff = (6.0, 10.0) if measure == "phq9" else (4.0, 8.0)
    return MeasureScore(
        client_id=1,
        measure=measure,
        total=total,
        band=band,
        items={"phq9_9": item9} if measure == "phq9" else {},
        flags=["item9"] if item9 else [],
        reliable_change=rc,
        cutoff=cutoff,
        recorded_at=T0 + timedelta(weeks=weeks),
    )


def test_improvement_and_recovery_are_named_with_their_dates() -> None:
    history = MeasureHistory(
        [
            _score("phq9", 17, "moderately_severe", 0),
            _score("phq9", 12, "moderate", 2),
            _score("phq9", 8, "mild", 4),
            _score("gad7", 9, "mild", 0),
            _score("gad7", 7, "mild", 2),
        ],
        [],
    )
    lines = measure_lines(history, LONDON)
    assert lines[0] == "<b>Measures</b>"
    assert "PHQ-9: latest <b>8</b> (mild), 30 Mar · first 17 (moderately severe), 02 Mar" in lines
    assert "  totals: 17 (02 Mar) → 12 (16 Mar) → 8 (30 Mar)" in lines
    assert "  30 Mar: reliable improvement (-9 since the first), reliable recovery" in lines
    # PHQ-9 on 16 Mar (-5) is not reliable: the only 16 Mar flag is the GAD-7's recovery.
    assert [line for line in lines if line.startswith("  16 Mar")] == [
        "  16 Mar: recovery (below the cut-off)"
    ]
    assert "  16 Mar: recovery (below the cut-off)" in lines  # GAD-7 9 -> 7: no reliable change
    assert "PHQ-9 item 9: 'not at all' each time." in lines


def test_item9_history_lists_each_positive_answer_with_its_date() -> None:
    event = TriageEvent(client_id=1, at=T0, source="measure", reasons=["phq9_item9"])
    event.category = "several days"
    lines = measure_lines(MeasureHistory([_score("phq9", 5, "mild", 0, item9=1)], [event]), LONDON)
    assert (
        "PHQ-9 item 9 above 'not at all': 02 Mar (several days). A prompt to talk, not a risk rating."
        in lines
    )


def test_nothing_to_show_is_no_section() -> None:
    assert measure_lines(MeasureHistory([], []), LONDON) == []


def test_readings_give_the_chart_its_band_lines_and_flags() -> None:
    """The chart reads what the lines read: band boundaries from the stored bands, the flags of
    the same changes (here only the 30 Mar score is reliable)."""
    rows = [_score("phq9", 17, "moderately_severe", 0), _score("phq9", 12, "moderate", 2)]
    rows.append(_score("phq9", 8, "mild", 4))
    for row in rows:
        row.bands = [[0, "minimal"], [5, "mild"], [10, "moderate"], [15, "x"], [20, "severe"]]
    (reading,) = read_measures(rows)
    assert reading.band_starts == [5, 10, 15, 20]
    assert [p.total for p in reading.points] == [17, 12, 8]
    assert [(c.this.total, words) for c, words in reading.flagged] == [
        (8, "reliable improvement (-9 since the first), reliable recovery")
    ]
    assert reading.latest_flag == "reliable improvement (-9 since the first), reliable recovery"
