"""The summary chart draws any span the summary can ask for, as a phone-sized PNG."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from PIL import Image

from bot.service.chart import distress_chart

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
