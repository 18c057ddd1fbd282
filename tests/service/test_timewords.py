"""Times as therapists type them: the 24-hour clock, and the 12-hour one ('fri 9am' was
refused in a newcomer's trial, with only HH:MM accepted)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.service.timewords import TimeWordsError, parse_clock_word, read_day_and_time


@pytest.mark.parametrize(
    ("word", "clock"),
    [
        ("15:00", time(15, 0)),
        ("9:05", time(9, 5)),
        ("0930", time(9, 30)),
        ("16.30", time(16, 30)),
        ("9am", time(9, 0)),
        ("9AM", time(9, 0)),
        ("9:30pm", time(21, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12.15a.m.", time(0, 15)),
        ("11p.m.", time(23, 0)),
    ],
)
def test_a_clock_word_is_read(word: str, clock: time) -> None:
    assert parse_clock_word(word) == clock


@pytest.mark.parametrize("word", ["25:00", "13pm", "0am", "9", "noonish", "9:75am"])
def test_a_word_that_is_no_time_says_what_works(word: str) -> None:
    with pytest.raises(TimeWordsError, match="HH:MM"):
        parse_clock_word(word)


def test_a_move_to_fri_9am_with_or_without_a_space() -> None:
    london = ZoneInfo("Europe/London")
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # a Tuesday
    expected = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # Friday 9:00 in London (GMT)
    assert read_day_and_time("fri 9am", now, london) == expected
    assert read_day_and_time("fri 9 am", now, london) == expected
    assert read_day_and_time("Fri 9 AM", now, london) == expected
