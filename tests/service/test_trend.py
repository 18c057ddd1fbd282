"""'Worse after each session': every occurrence counts, against the client's own baseline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.service.trend import session_trend

MONDAY = datetime(2026, 11, 2, 15, 50, tzinfo=UTC)
WEEK = timedelta(weeks=1)


def weekly_ratings(after: list[int], between: int) -> list[tuple[datetime, int]]:
    """One rating a day after each weekly session (days 1-2) and on days 4-6 between them."""
    ratings = []
    for week, value in enumerate(after):
        end = MONDAY + week * WEEK
        ratings += [(end + timedelta(hours=2), value), (end + timedelta(days=1), value)]
        ratings += [(end + timedelta(days=d), between) for d in (4, 5, 6)]
    return ratings


class TestSessionTrend:
    def test_each_occurrence_of_a_weekly_series_counts(self):
        """Three weekly occurrences, each followed by 7s against a baseline of 3: a run of 3."""
        ends = [MONDAY + n * WEEK for n in range(3)]
        trend = session_trend(weekly_ratings([7, 7, 7], 3), ends)
        assert [round(a.mean, 1) for a in trend.after] == [7.0, 7.0, 7.0]
        assert trend.baseline == 3.0
        assert trend.worse_run == 3
        assert trend.worse_after_each

    def test_only_the_first_date_would_miss_the_pattern(self):
        """With only the series' first date there is one session: no pattern can be seen."""
        trend = session_trend(weekly_ratings([7, 7, 7], 3), [MONDAY])
        assert len(trend.after) == 1
        assert not trend.worse_after_each

    def test_the_run_counts_back_from_the_latest_session(self):
        """Worse after sessions 2 and 3 but not 1: 'the last 2 sessions'."""
        ends = [MONDAY + n * WEEK for n in range(3)]
        trend = session_trend(weekly_ratings([3, 7, 8], 3), ends)
        assert trend.worse_run == 2

    def test_a_latest_session_that_was_fine_breaks_the_pattern(self):
        ends = [MONDAY + n * WEEK for n in range(3)]
        trend = session_trend(weekly_ratings([7, 7, 3], 3), ends)
        assert trend.worse_run == 0
        assert not trend.worse_after_each

    def test_a_point_above_baseline_is_worse_less_is_not(self):
        ends = [MONDAY + n * WEEK for n in range(2)]
        assert session_trend(weekly_ratings([5, 5], 4), ends).worse_run == 2
        ratings = [
            (at, value + 1 if value == 4 else value) for at, value in weekly_ratings([5, 5], 4)
        ]
        assert session_trend(ratings, ends).worse_run == 0

    def test_no_baseline_no_pattern(self):
        """Ratings only right after sessions: nothing to compare with."""
        ends = [MONDAY + n * WEEK for n in range(2)]
        ratings = [(end + timedelta(hours=3), 8) for end in ends]
        trend = session_trend(ratings, ends)
        assert trend.baseline is None
        assert not trend.worse_after_each

    def test_a_window_stops_at_the_next_session(self):
        """Sessions two days apart: a rating belongs to the session just before it."""
        ends = [MONDAY, MONDAY + timedelta(days=2)]
        ratings = [(MONDAY + timedelta(days=1), 8), (MONDAY + timedelta(days=2, hours=1), 2)]
        trend = session_trend(ratings, ends)
        assert [a.mean for a in trend.after] == [8.0, 2.0]
