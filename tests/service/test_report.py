"""The report's text: the summary's lines, headings kept, tags and emoji left out."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bot.service.report import render_pdf, report_lines


def test_summary_html_becomes_printable_lines() -> None:
    lines = report_lines(
        "<b>Sam &amp; Co</b> · active\n<b>Self-care</b> (before → after)\n• walk: 2×\n"
        "⚠️ Worse after each of the last 2 sessions\n\n<i>Times in Europe/London.</i>"
    )
    assert [(line.text, line.heading) for line in lines] == [
        ("Sam & Co · active", True),
        ("Self-care (before → after)", True),
        ("• walk: 2×", False),
        ("Worse after each of the last 2 sessions", True),
        ("Times in Europe/London.", False),
    ]


def test_a_long_report_without_a_chart_reads_back_on_every_page() -> None:
    body = "\n".join(f"• note {n}: Grübeln, schlaflos → müde" for n in range(120))
    pdf = render_pdf(
        client_name="Jörg",
        therapist_name="Dr. Ruiz",
        period="Mon 30 Nov 15:50 to Mon 7 Dec 13:00 (Europe/Berlin)",
        generated="Mon 7 Dec 13:00 Europe/Berlin",
        summary_html=body,
        chart=None,
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "CONFIDENTIAL" in text
        assert f"page {number} of {len(reader.pages)}" in text
    assert "Client report: Jörg" in reader.pages[0].extract_text()
    assert "note 119: Grübeln, schlaflos → müde" in reader.pages[-1].extract_text()
