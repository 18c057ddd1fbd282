"""Working hours read from a therapist's text, and when the next working period starts."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.service.work_hours import WorkPeriod, in_working_hours, next_working_time, parse_hours

BERLIN = ZoneInfo("Europe/Berlin")


class TestParse:
    def test_a_weekday_range(self) -> None:
        """'Mon-Fri 9-17' is five periods of 09:00-17:00."""
        periods = parse_hours("Mon-Fri 9-17")
        assert periods is not None
        assert [p.weekday for p in periods] == [0, 1, 2, 3, 4]
        assert periods[0] == WorkPeriod(0, time(9), time(17))

    def test_several_parts_with_minutes(self) -> None:
        """Parts are separated by commas; minutes are optional; full day names work."""
        periods = parse_hours("Monday-Thursday 8:30-18:00, Sat 10-12")
        assert periods is not None
        assert WorkPeriod(5, time(10), time(12)) in periods
        assert WorkPeriod(3, time(8, 30), time(18)) in periods

    def test_a_range_wraps_over_the_week(self) -> None:
        """'Sat-Mon' is Saturday, Sunday and Monday."""
        periods = parse_hours("Sat-Mon 10-14")
        assert periods is not None
        assert [p.weekday for p in periods] == [5, 6, 0]

    @pytest.mark.parametrize(
        "text", [None, "", "by appointment", "Mon-Fri", "Mon 17-9", "Xyz 9-17"]
    )
    def test_text_that_is_not_hours_means_no_known_hours(self, text: str | None) -> None:
        """Unreadable hours never hold an alert back."""
        assert parse_hours(text) is None


class TestNextWorkingTime:
    HOURS = parse_hours("Mon-Fri 9-17")

    def test_inside_the_hours_is_now(self) -> None:
        """Tuesday 10:00 Berlin is working time."""
        now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
        assert next_working_time(now, self.HOURS, BERLIN) == now
        assert in_working_hours(now, self.HOURS, BERLIN)

    def test_at_night_it_is_the_next_morning(self) -> None:
        """Tuesday 02:30 Berlin waits until 09:00 Berlin the same day."""
        now = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
        assert next_working_time(now, self.HOURS, BERLIN) == datetime(
            2026, 12, 1, 9, 0, tzinfo=BERLIN
        )

    def test_friday_evening_waits_for_monday(self) -> None:
        """Friday 18:00 waits for Monday 09:00."""
        now = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # Friday 18:00 Berlin
        assert next_working_time(now, self.HOURS, BERLIN) == datetime(
            2026, 12, 7, 9, 0, tzinfo=BERLIN
        )

    def test_the_end_of_the_hours_is_outside(self) -> None:
        """17:00 exactly is after work."""
        now = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # 17:00 Berlin
        assert not in_working_hours(now, self.HOURS, BERLIN)

    def test_no_hours_is_always_now(self) -> None:
        now = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
        assert next_working_time(now, None, BERLIN) == now
