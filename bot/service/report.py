"""The printable client report: the summary and its chart as a PDF (fpdf2), marked confidential.

The same sections as the Telegram summary, so the two never disagree; the HTML of the summary
becomes plain lines (a line in bold stays a heading). The fonts are the DejaVu faces matplotlib
ships, so arrows, bullets and umlauts print without a font of our own. Reading a report is
audited like reading a summary.
"""

from __future__ import annotations

import html
import io
import re
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import matplotlib
from fpdf import FPDF
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.service.audit import audit
from bot.service.chart import render_chart
from bot.service.chart_data import ChartData, chart_from_json, chart_json
from bot.service.summary import build_summary
from bot.service.summary_data import when
from bot.storage.models import Client

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
CONFIDENTIAL = "CONFIDENTIAL: clinical information about a client. Do not pass on."
_TAG = re.compile(r"<[^>]+>")
# Emoji and their variation selector: DejaVu has no colour glyphs, and a box helps nobody.
_EMOJI = re.compile("[\U0001f000-\U0001faff\ufe0f\u2600-\u26ff\u2700-\u27bf]")


CHART_MAX_HEIGHT = 125  # mm


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (the IHDR chunk always comes first)."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


@dataclass(frozen=True)
class ReportLine:
    text: str
    heading: bool


def report_lines(summary_html: str) -> list[ReportLine]:
    """The summary's HTML as lines to print: tags dropped, entities read, emoji left out."""
    lines = []
    for raw in summary_html.splitlines():
        # A line that opens in bold is a heading; a warning (⚠) is printed in bold too.
        heading = raw.startswith("<b>") or raw.startswith("⚠")
        text = _EMOJI.sub("", html.unescape(_TAG.sub("", raw))).strip()
        if text:
            lines.append(ReportLine(text, heading))
    return lines


class _Pdf(FPDF):
    def header(self) -> None:
        self.set_font("DejaVu", "B", 9)
        self.set_text_color(160, 30, 30)
        self.cell(0, 6, CONFIDENTIAL, new_x="LMARGIN", new_y="NEXT", align="C")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, f"Confidential · page {self.page_no()} of {{nb}}", align="C")


@dataclass(frozen=True)
class ReportDrawing:
    """The report as plain values read in the transaction; `render()` makes the PDF after it."""

    client_name: str
    therapist_name: str
    period: str
    generated: str
    summary_html: str
    chart: ChartData | None

    def render(self) -> bytes:
        return render_pdf(
            client_name=self.client_name,
            therapist_name=self.therapist_name,
            period=self.period,
            generated=self.generated,
            summary_html=self.summary_html,
            chart=render_chart(self.chart) if self.chart is not None else None,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "client_name": self.client_name,
            "therapist_name": self.therapist_name,
            "period": self.period,
            "generated": self.generated,
            "summary_html": self.summary_html,
            "chart": chart_json(self.chart) if self.chart is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportDrawing:
        chart = data.get("chart")
        return cls(
            str(data["client_name"]),
            str(data["therapist_name"]),
            str(data["period"]),
            str(data["generated"]),
            str(data["summary_html"]),
            chart_from_json(chart) if chart else None,
        )


def render_pdf(
    *,
    client_name: str,
    therapist_name: str,
    period: str,
    generated: str,
    summary_html: str,
    chart: bytes | None,
) -> bytes:
    pdf = _Pdf(format="A4")
    pdf.set_title(f"Client report: {client_name}")
    pdf.set_creator("checkin")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 9, f"Client report: {client_name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in (
        f"Therapist: {therapist_name}",
        f"Period: {period}",
        f"Generated: {generated}",
    ):
        pdf.cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if chart is not None:
        # The page's width, unless that makes it taller than CHART_MAX_HEIGHT (the chart with
        # its measures panel is nearly square): then narrower, so the summary starts on page 1.
        width, height = png_size(chart)
        pdf.image(io.BytesIO(chart), w=min(pdf.epw, CHART_MAX_HEIGHT * width / height))
        pdf.ln(3)
    for item in report_lines(summary_html):
        if item.heading:
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 11)
        else:
            pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5.5, item.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


async def client_report(
    s: AsyncSession,
    config: Config,
    client: Client,
    now: datetime,
    *,
    actor: str,
    since: datetime | None = None,
) -> ReportDrawing:
    """The client's report, read now and made into a PDF by `render()` once the transaction is
    over; the read is recorded in the audit log."""
    summary = await build_summary(s, config, client, now, since=since)
    data = summary.data
    period = (
        f"{when(data.start, data.zone)} to {when(now, data.zone)} ({data.zone.key}); "
        f"the chart from {when(data.previous_start, data.zone)}"
    )
    audit(s, now, actor, "report.read", client=client)
    return ReportDrawing(
        client_name=data.title,
        therapist_name=data.therapist.name,
        period=period,
        generated=f"{when(now, data.zone)} {data.zone.key}",
        summary_html=summary.text,
        chart=summary.chart,
    )
