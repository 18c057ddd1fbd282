"""Pictures and documents drawn after the commit, not inside a step's transaction.

Drawing the summary's chart or the PDF report takes about 100 ms each. A step that drew them
would hold its transaction and its chat's lock that long, so a step keeps only what to draw (a
`Drawing`: plain values read in its transaction) in the outbox row, encrypted like any payload;
the outbox sender draws it right before the call to Telegram, in a worker thread so the event
loop goes on meanwhile, one drawing at a time (matplotlib does not promise thread safety). The
same values give the same bytes, so a retry sends the same picture.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from bot.service.chart import render_chart
from bot.service.chart_data import ChartData, chart_from_json, chart_json
from bot.service.report import ReportDrawing

Drawing = ChartData | ReportDrawing  # the summary's chart, the PDF report
_ONE_AT_A_TIME = threading.Lock()


def drawing_json(drawing: Drawing) -> dict[str, Any]:
    if isinstance(drawing, ChartData):
        return {"kind": "chart", **chart_json(drawing)}
    return {"kind": "report", **drawing.to_json()}


def drawing_from_json(data: dict[str, Any]) -> Drawing:
    kind = data.get("kind")
    if kind == "chart":
        return chart_from_json(data)
    if kind == "report":
        return ReportDrawing.from_json(data)
    raise ValueError(f"unknown drawing kind {kind!r}; known: chart, report")


def _render(drawing: Drawing) -> bytes:
    with _ONE_AT_A_TIME:
        return render_chart(drawing) if isinstance(drawing, ChartData) else drawing.render()


async def render(drawing: Drawing) -> bytes:
    """The drawing's bytes (PNG or PDF), drawn off the event loop."""
    return await asyncio.to_thread(_render, drawing)
