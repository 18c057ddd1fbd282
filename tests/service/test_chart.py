"""The summary chart draws any span the summary can ask for, as a phone-sized PNG."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from PIL import Image

from bot.service.chart import distress_chart
from bot.service.chart_data import MeasureLine

DAY = date(2026, 11, 23)


def size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


class TestDistressChart:
    def test_two_weeks_with_sessions_is_a_phone_sized_png(self):
        peaks = {DAY + timedelta(days=n): (n * 3) % 11 for n in range(15) if n != 4}
        sessions = [datetime(2026, 11, 23, 15), datetime(2026, 11, 30, 15)]
        png = distress_chart(DAY, DAY + timedelta(days=14), peaks, sessions, 6, "Sam · since")
        assert png.startswith(b"\x89PNG")
        assert size(png) == (960, 576)

    def test_a_single_day_and_no_sessions(self):
        png = distress_chart(DAY, DAY, {DAY: 9}, [], 6, "Sam")
        assert png.startswith(b"\x89PNG")

    def test_sessions_close_together_and_at_the_last_day(self):
        """Labels of sessions a day apart, and one on the newest day, still draw."""
        sessions = [datetime(2026, 11, 24, 9), datetime(2026, 11, 25, 9), datetime(2026, 12, 7, 9)]
        png = distress_chart(DAY, DAY + timedelta(days=14), {DAY: 3}, sessions, 7, "Sam")
        assert size(png) == (960, 576)


class TestMeasuresPanel:
    """With measures the chart grows a panel under the distress, on the same days."""

    def line(self, days: int) -> MeasureLine:
        taken = [datetime(2026, 11, 23, 18) + timedelta(weeks=2 * k) for k in range(days // 14 + 1)]
        totals = [19 - 3 * k for k in range(len(taken))]
        return MeasureLine(
            "phq9",
            "PHQ-9",
            list(zip(taken, totals, strict=True)),
            [5, 10, 15, 20],
            totals[-1],
            "moderate",
            "reliable improvement (-6 since the first)" if len(taken) > 2 else None,
            taken[2:3],
        )

    def test_a_short_period_with_measures_is_taller_and_as_wide(self, summary_shot):
        peaks = {DAY + timedelta(days=n): n % 11 for n in range(15)}
        png = distress_chart(
            DAY, DAY + timedelta(days=14), peaks, [], 6, "Sam", measures=[self.line(14)]
        )
        assert size(png) == (960, 976)
        summary_shot("two-weeks-with-measures", png)

    def test_ten_weeks_of_weekly_sessions_ratings_and_measures(self, summary_shot):
        """The longest chart the summary draws (its lookback): labels apart, dates legible."""
        peaks = {DAY + timedelta(days=n): (n * 5) % 11 for n in range(71) if n % 3}
        sessions = [datetime(2026, 11, 24, 15) + timedelta(weeks=k) for k in range(10)]
        png = distress_chart(
            DAY, DAY + timedelta(days=70), peaks, sessions, 6, "Sam", measures=[self.line(70)]
        )
        assert size(png) == (960, 976)
        summary_shot("ten-weeks-with-measures", png)
