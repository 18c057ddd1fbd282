"""A client's summary as a therapist reads it before the next session: a chart and sections.

The text is built from small section functions (`bot/service/summary_sections.py`), each a
function of the same `SummaryData`, listed in `SECTIONS` in reading order; a new section is one
function and one line here. A client with nothing logged since the last session gets one
honest line instead ("3 check-ins sent, none answered; last reply 12 days ago") and no chart.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.dialogue.contracts import Button
from bot.service import summary_sections as sections
from bot.service.chart_data import ChartData, chart_data
from bot.service.outgoing import Batch, SendPhoto
from bot.service.summary_data import SummaryData, load_summary_data
from bot.storage.models import Client

SECTIONS: tuple[sections.Section, ...] = (
    sections.heading,
    sections.safety,
    sections.distress,
    sections.after_sessions,
    sections.feelings,
    sections.self_care,
    sections.notes,
    sections.measures,
    sections.engagement,
)


@dataclass(frozen=True)
class Summary:
    text: str
    # What the chart shows; drawn after the commit (`render_chart`); None: nothing to draw
    chart: ChartData | None
    empty: bool  # nothing logged since the last session: `text` is the one honest line
    data: SummaryData


def summary_text(data: SummaryData) -> str:
    name = html.escape(data.title)
    if sections.nothing_logged(data):
        return f"<b>{name}</b>: {sections.honest_line(data)}"
    lines: list[str] = []
    for section in SECTIONS:
        part = section(data)
        if part:
            lines += part
    lines.append(f"<i>Times in {data.zone.key}.</i>")
    return "\n".join(lines)


async def build_summary(
    s: AsyncSession, config: Config, client: Client, now: datetime, since: datetime | None = None
) -> Summary:
    """`since` sets the period's start (the report's --since); else the last session's end."""
    data = await load_summary_data(s, config, client, now, since=since)
    empty = sections.nothing_logged(data)
    # Only what to draw: the outbox sender draws it after the commit (bot/service/drawings.py).
    chart = None if empty else chart_data(data)
    return Summary(summary_text(data), chart, empty, data)


async def client_summary(s: AsyncSession, config: Config, client: Client, now: datetime) -> str:
    return (await build_summary(s, config, client, now)).text


def send_summary(batch: Batch, chat_id: int, summary: Summary, header: str = "") -> None:
    """The chart as a photo, then the text under it (a caption holds only 1024 characters),
    with a button for the printable report."""
    if summary.chart is not None:
        batch.items.append(SendPhoto(chat_id, "summary.png", summary.chart, ""))
    buttons = (
        ()
        if summary.empty
        else ((Button("PDF report", f"pk:pdf:{summary.data.client.telegram_id}"),),)
    )
    batch.say(chat_id, f"{header}\n{summary.text}" if header else summary.text, buttons)
