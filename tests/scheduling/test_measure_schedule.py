"""When measures fall due: every N weeks from the day the therapist set them, the evening before
the session of a measure week (or on a fixed weekday), moved out of quiet hours, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import QuietHours
from bot.measures.schedule import MeasurePlan, plan_measures
from bot.measures.words import MeasureWordsError, read_measure_words
from bot.scheduling.planner import to_utc

BERLIN = ZoneInfo("Europe/Berlin")
QUIET = QuietHours(start=time(21, 30), end=time(8, 30))
KNOWN = ["gad7", "phq9"]


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return to_utc(datetime(day.year, day.month, day.day, hour, minute), BERLIN)


def _weekly_tuesdays(first: date, weeks: int = 6) -> list[datetime]:
    return [_local(first + timedelta(weeks=k), 15) for k in range(weeks)]


def _plan(every: int = 2, anchor: str = "day_before_session", starts: date = date(2026, 3, 16)):  # type: ignore[no-untyped-def]
    return MeasurePlan(("phq9", "gad7"), every, anchor, starts)  # type: ignore[arg-type]


NOW = datetime(2026, 3, 16, 8, tzinfo=UTC)  # Monday 16 March 2026; DST starts Sunday 29 March


def test_fortnightly_the_evening_before_every_other_tuesday_session() -> None:
    items = plan_measures(_plan(2), 7, _weekly_tuesdays(date(2026, 3, 17)), BERLIN, QUIET, NOW)
    local = [i.due_at.astimezone(BERLIN) for i in items]
    assert [(d.date(), d.time()) for d in local] == [
        (date(2026, 3, 16), time(18)),  # the session of 17 March: week 0
        (date(2026, 3, 30), time(18)),  # 31 March: week 2, after the DST change, still 18:00 local
    ]  # 14 April (week 4) is past the 4-week horizon: the daily re-plan adds it later
    assert items[0].key == "measure:7:2026-03-17"
    assert items[0].payload["measures"] == ["phq9", "gad7"]


def test_weekly_gives_one_before_each_session_and_no_session_means_none() -> None:
    starts = _weekly_tuesdays(date(2026, 3, 17), 3)
    assert len(plan_measures(_plan(1), 7, starts, BERLIN, QUIET, NOW)) == 3
    assert plan_measures(_plan(1), 7, [], BERLIN, QUIET, NOW) == []


def test_a_measure_already_past_is_not_planned_again() -> None:
    later = NOW + timedelta(hours=11)  # 20:00 local on the Monday: the first one is past
    items = plan_measures(_plan(2), 7, _weekly_tuesdays(date(2026, 3, 17)), BERLIN, QUIET, later)
    assert items[0].key == "measure:7:2026-03-31"


def test_quiet_hours_move_it_to_their_end() -> None:
    quiet = QuietHours(start=time(17), end=time(19))
    items = plan_measures(_plan(2), 7, _weekly_tuesdays(date(2026, 3, 17)), BERLIN, quiet, NOW)
    assert items[0].due_at.astimezone(BERLIN).time() == time(19)


def test_fixed_is_every_n_weeks_on_the_weekday_it_was_set() -> None:
    items = plan_measures(_plan(2, "fixed"), 7, [], BERLIN, QUIET, NOW)
    assert [i.due_at.astimezone(BERLIN).date() for i in items] == [
        date(2026, 3, 16),
        date(2026, 3, 30),
    ]


def test_no_measures_plans_nothing() -> None:
    off = MeasurePlan((), 2, "day_before_session", date(2026, 3, 16))
    assert plan_measures(off, 7, _weekly_tuesdays(date(2026, 3, 17)), BERLIN, QUIET, NOW) == []


@pytest.mark.parametrize(
    ("typed", "measures", "every", "anchor"),
    [
        ("phq9,gad7 every 2 weeks", ["phq9", "gad7"], 2, "day_before_session"),
        (
            "PHQ-9 GAD-7 every 2 weeks the day before the session",
            ["phq9", "gad7"],
            2,
            "day_before_session",
        ),
        ("gad7 weekly fixed", ["gad7"], 1, "fixed"),
        ("phq9 fortnightly", ["phq9"], 2, "day_before_session"),
        ("phq9 every 4 weeks", ["phq9"], 4, "day_before_session"),
        ("off", [], 2, "day_before_session"),
    ],
)
def test_the_therapist_types_a_schedule(
    typed: str, measures: list[str], every: int, anchor: str
) -> None:
    read = read_measure_words(typed.split(), KNOWN)
    assert (read.measures, read.every_weeks, read.anchor) == (measures, every, anchor)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("phq8 every 2 weeks", "I don't know 'phq8'"),
        ("every 2 weeks", "Which measures?"),
        ("phq9 off", "Either measures or off"),
    ],
)
def test_a_schedule_that_cannot_be_read_says_how_to_write_it(typed: str, words: str) -> None:
    with pytest.raises(MeasureWordsError) as caught:
        read_measure_words(typed.split(), KNOWN)
    assert words in str(caught.value)
    assert "/measures NAME phq9,gad7" in str(caught.value)
