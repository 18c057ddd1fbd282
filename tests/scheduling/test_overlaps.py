"""Occurrences changed one by one, and double bookings found occurrence by occurrence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduling.overlaps import find_clashes
from bot.scheduling.planner import SessionSlot, occurrences

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = timedelta(minutes=50)
TUE = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # Tue 14:00 London


def weekly(sid: int, start: datetime, **kw: object) -> SessionSlot:
    return SessionSlot(sid, start, HOUR, weekly=True, client_id=sid, **kw)  # type: ignore[arg-type]


class TestChangedOccurrences:
    def test_a_cancelled_week_is_gone_and_a_moved_one_is_at_its_new_start(self) -> None:
        """Week 2 cancelled, week 3 moved to the Thursday: the other weeks stay."""
        week = timedelta(weeks=1)
        moved_to = TUE + 2 * week + timedelta(days=2, hours=1)
        slot = weekly(1, TUE, changes=((TUE + week, None), (TUE + 2 * week, moved_to)))
        found = occurrences(slot, LONDON, TUE, TUE + 3 * week)
        assert found == [TUE, moved_to, TUE + 3 * week]

    def test_a_change_of_a_start_the_series_no_longer_has_does_nothing(self) -> None:
        """After the whole series moved, an old change (not a regular start) is ignored."""
        stale = TUE + timedelta(hours=3)
        slot = weekly(1, TUE, changes=((stale, TUE + timedelta(days=1)),))
        assert occurrences(slot, LONDON, TUE, TUE + timedelta(days=6)) == [TUE]


class TestClashes:
    def test_sessions_end_to_start_do_not_overlap(self) -> None:
        candidate = SessionSlot(0, TUE + HOUR, HOUR)
        assert find_clashes(candidate, LONDON, [(weekly(1, TUE), LONDON)], TUE) == []

    def test_a_one_off_meets_the_third_week_of_a_series(self) -> None:
        candidate = SessionSlot(0, TUE + timedelta(weeks=2, minutes=30), HOUR)
        clashes = find_clashes(candidate, LONDON, [(weekly(7, TUE), LONDON)], TUE)
        assert [(c.session_id, c.starts_at) for c in clashes] == [(7, TUE + timedelta(weeks=2))]

    def test_two_series_in_zones_with_different_dst_dates_meet_in_march(self) -> None:
        """New York 10:00 and London 14:00 are an hour apart in winter and meet in the weeks
        between the American and the European clock change."""
        new_york = weekly(0, datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # Tue 10:00 EST
        clashes = find_clashes(new_york, NEW_YORK, [(weekly(1, TUE), LONDON)], TUE)
        assert [c.starts_at for c in clashes] == [datetime(2027, 3, 16, 14, 0, tzinfo=UTC)]

    def test_a_cancelled_week_no_longer_clashes(self) -> None:
        candidate = SessionSlot(0, TUE + timedelta(weeks=1), HOUR)
        series = weekly(1, TUE, changes=((TUE + timedelta(weeks=1), None),))
        assert find_clashes(candidate, LONDON, [(series, LONDON)], TUE) == []
