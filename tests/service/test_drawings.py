"""The chart and the report are drawn by the outbox sender after the commit: a step stores what
to draw, and what is drawn from it is the same as drawing at once."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from pypdf import PdfReader

from bot.service.chart import distress_chart
from bot.service.chart_data import ChartData, MeasureLine
from bot.service.drawings import drawing_from_json, drawing_json, render
from bot.service.outbox import _row_fields
from bot.service.outgoing import Batch, SendFile, SendPhoto
from bot.service.report import ReportDrawing

FIRST = date(2026, 11, 16)
PEAKS = tuple((FIRST + timedelta(days=n), (n * 3) % 11) for n in range(14) if n != 5)
SESSIONS = [datetime(2026, 11, 17, 15), datetime(2026, 11, 24, 15)]  # the client's wall clock
PHQ9 = MeasureLine(
    measure="phq9",
    name="PHQ-9",
    points=[(datetime(2026, 11, 16, 19), 16), (datetime(2026, 11, 23, 19), 9)],
    band_starts=[5, 10, 15, 20],
    latest_total=9,
    latest_band="mild",
    flag="reliable improvement",
    flagged=[datetime(2026, 11, 23, 19)],
)
TITLE = "Sam · since Mon 16 Nov"
CHART = ChartData(FIRST, FIRST + timedelta(days=13), dict(PEAKS), SESSIONS, 7, TITLE, [PHQ9])


async def test_a_chart_stored_and_drawn_later_is_the_chart_drawn_at_once() -> None:
    """Through JSON (as the outbox keeps it) and a worker thread: the very same PNG bytes."""
    at_once = distress_chart(
        FIRST, FIRST + timedelta(days=13), dict(PEAKS), SESSIONS, 7, TITLE, measures=[PHQ9]
    )
    later = await render(drawing_from_json(drawing_json(CHART)))
    assert later == at_once
    assert later.startswith(b"\x89PNG")
    assert drawing_from_json(drawing_json(CHART)) == CHART


async def test_a_report_stored_and_drawn_later_reads_the_same() -> None:
    report = ReportDrawing(
        "Sam", "Dr. Ruiz", "Mon 16 Nov to Mon 30 Nov", "Mon 30 Nov 13:00", "<b>Sam</b>\n• 8", CHART
    )
    later = await render(drawing_from_json(drawing_json(report)))
    pages = PdfReader(io.BytesIO(later)).pages
    assert "Therapist: Dr. Ruiz" in pages[0].extract_text()
    assert [p.extract_text() for p in pages] == [
        p.extract_text() for p in PdfReader(io.BytesIO(report.render())).pages
    ]


def test_a_step_stores_what_to_draw_not_the_drawing() -> None:
    """The outbox row of a chart or a report holds the values, no PNG or PDF bytes."""
    photo = _row_fields(SendPhoto(1, "summary.png", CHART), Batch())
    assert photo["payload"]["drawing"]["kind"] == "chart"
    assert "content" not in photo["payload"]
    report = ReportDrawing("Sam", "Dr. Ruiz", "p", "g", "<b>Sam</b>", None)
    document = _row_fields(SendFile(1, "report.pdf", report, "Confidential"), Batch())
    assert document["payload"]["drawing"]["kind"] == "report"
    raw = _row_fields(SendFile(1, "data.json", b"{}", "Your data"), Batch())
    assert raw["payload"]["content"] == "e30="
