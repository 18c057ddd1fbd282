"""Charts drawn on the server as inline SVG: no JavaScript library, no build step, no CDN.

Text in a scaled SVG shrinks with it, so the timeline is drawn twice, for a narrow and a wide
screen (the stylesheet shows one), each at its own width with the same legible font size.
Standard measures get a panel under the distress on the same time axis, with their band
boundaries as light lines, read by the summary's own `MeasureReading` (same flags).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.console.reads import Point
from bot.service.measures_summary import MeasureReading, band_words

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
LINE = "#2563eb"
SESSION = "#7c3aed"
DANGER = "#dc2626"
MEASURE_COLOURS = ("#7b3fa0", "#0e7c66", "#b35c00", "#444444")  # as the summary's PNG
BAND = "#d1d5db"
PANEL = 170  # the measures panel's height, under the distress plot
KIND_COLOURS = {"log": LINE, "self_care": "#059669", "sit_with_it": "#d97706"}


def _colour(value: int) -> str:
    if value >= 8:
        return DANGER
    if value >= 6:
        return "#d97706"
    return LINE


def sparkline(values: Sequence[int | None], *, width: int = 112, height: int = 28) -> Markup:
    """One bar per day (0-10); a day without a rating is a small grey dot."""
    step = width / max(1, len(values))
    parts = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(_spark_label(values))}">'
    ]
    for i, v in enumerate(values):
        x = i * step + 1
        if v is None:
            parts.append(
                f'<rect x="{x:.1f}" y="{height - 2}" width="{step - 2:.1f}" height="2" fill="{GRID}"/>'
            )
            continue
        h = max(2.0, (height - 2) * v / 10)
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{step - 2:.1f}" height="{h:.1f}" '
            f'rx="1" fill="{_colour(v)}"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _spark_label(values: Sequence[int | None]) -> str:
    rated = [v for v in values if v is not None]
    if not rated:
        return f"no ratings in the last {len(values)} days"
    return f"daily peak distress, last {len(values)} days: latest {rated[-1]}, highest {max(rated)}"


@dataclass(frozen=True)
class Marker:
    at: datetime
    label: str  # shown on hover (a title), never client words


@dataclass(frozen=True)
class Frame:
    width: int
    height: int = 240
    left: int = 30
    right: int = 10
    top: int = 22
    bottom: int = 28
    font: int = 12


def timeline(
    points: Sequence[Point],
    sessions: Sequence[Marker],
    events: Sequence[Marker],
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    *,
    width: int,
    readings: Sequence[MeasureReading] = (),
) -> Markup:
    """Distress (0-10) over [start, end], sessions as lines, safety events as red marks, and
    under it (when the client took any in the period) the measures' totals with their bands."""
    shown_readings = [r for r in readings if any(start <= p.at <= end for p in r.points)]
    panel = PANEL if shown_readings else 0
    f = Frame(width, height=Frame.height + panel)
    plot_w = f.width - f.left - f.right
    plot_h = Frame.height - f.top - f.bottom
    span = (end - start).total_seconds() or 1.0

    def x(at: datetime) -> float:
        return f.left + plot_w * (at - start).total_seconds() / span

    def y(v: float) -> float:
        return f.top + plot_h * (1 - v / 10)

    out = [
        f'<svg class="timeline" viewBox="0 0 {f.width} {f.height}" role="img" '
        f'aria-label="distress 0 to 10 over time, with sessions and safety events'
        f'{", and standard measures" if panel else ""}" '
        f'font-family="system-ui, sans-serif" font-size="{f.font}">'
    ]
    for v in (0, 5, 10):
        out.append(
            f'<line x1="{f.left}" x2="{f.width - f.right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="{GRID}"/><text x="{f.left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
            f'fill="{MUTED}">{v}</text>'
        )
    out += _day_ticks(start, end, zone, f, x)
    for m in sessions:
        if start <= m.at <= end:
            sx = x(m.at)
            out.append(
                f'<g><title>{escape(m.label)}</title><line x1="{sx:.1f}" x2="{sx:.1f}" '
                f'y1="{f.top}" y2="{f.top + plot_h}" stroke="{SESSION}" stroke-dasharray="4 3"/>'
                f'<rect x="{sx - 5:.1f}" y="{f.top - 14}" width="10" height="10" rx="2" '
                f'fill="{SESSION}"/></g>'
            )
    shown = [p for p in points if start <= p.at <= end]
    if len(shown) > 1:
        path = " ".join(f"{x(p.at):.1f},{y(p.distress):.1f}" for p in shown)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.5" '
            f'stroke-opacity="0.5"/>'
        )
    radius = 3.5 if len(shown) < 120 else 2.5
    for p in shown:
        label = (
            f"{p.at.astimezone(zone):%a %d %b %H:%M} · {p.distress}/10 · {p.kind.replace('_', ' ')}"
        )
        out.append(
            f'<circle cx="{x(p.at):.1f}" cy="{y(p.distress):.1f}" r="{radius}" '
            f'fill="{KIND_COLOURS.get(p.kind, LINE)}"><title>{escape(label)}</title></circle>'
        )
    for m in events:
        if start <= m.at <= end:
            ex = x(m.at)
            top = f.top - 14
            out.append(
                f'<g><title>{escape(m.label)}</title><path d="M{ex - 6:.1f},{top + 11} '
                f'L{ex + 6:.1f},{top + 11} L{ex:.1f},{top} Z" fill="{DANGER}"/></g>'
            )
    if panel:
        out += _measures_panel(shown_readings, start, end, zone, f, x, plot_h)
    out.append("</svg>")
    return Markup("".join(out))


def _day_ticks(start: datetime, end: datetime, zone: ZoneInfo, f: Frame, x: object) -> list[str]:
    assert callable(x)
    days = max(1, round((end - start).total_seconds() / 86400))
    plot_w = f.width - f.left - f.right
    # About one label per 70 px, on whole local days.
    every = max(1, -(-days * 70 // plot_w))
    for nice in (1, 2, 3, 7, 14, 28):
        if nice >= every:
            every = nice
            break
    local = start.astimezone(zone)
    day = datetime(local.year, local.month, local.day, tzinfo=zone) + timedelta(days=1)
    out = []
    n = 0
    bottom = f.height - f.bottom
    while day < end:
        if n % every == 0:
            px = x(day)
            out.append(
                f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{f.top}" y2="{bottom}" stroke="{GRID}" '
                f'stroke-width="0.5"/><text x="{px:.1f}" y="{bottom + 16}" text-anchor="middle" '
                f'fill="{MUTED}">{day:%d %b}</text>'
            )
        day = datetime.combine(day.date() + timedelta(days=1), day.timetz())
        n += 1
    return out


def _measures_panel(
    readings: Sequence[MeasureReading],
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    f: Frame,
    x: object,
    distress_h: int,
) -> list[str]:
    """The measures under the distress: totals on their own scale (0 to a little above the top
    band's start), each band boundary a light line with its total at the axis, each score a
    diamond (ringed when it changed reliably or recovered against the first)."""
    assert callable(x)
    top = f.top + distress_h + 18  # the distress plot's bottom, and a gap
    height = PANEL - 26
    starts = sorted({s for r in readings for s in r.band_starts})
    highest = max(p.total for r in readings for p in r.points)
    scale = max(highest, (starts[-1] + 5) if starts else 10)

    def y(v: float) -> float:
        return top + height * (1 - v / scale)

    out = [
        f'<line x1="{f.left}" x2="{f.width - f.right}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
        f'stroke="{GRID}"/><text x="{f.left - 6}" y="{y(0) + 4:.1f}" text-anchor="end" '
        f'fill="{MUTED}">0</text>'
    ]
    for s in starts:
        out.append(
            f'<line class="band" x1="{f.left}" x2="{f.width - f.right}" y1="{y(s):.1f}" '
            f'y2="{y(s):.1f}" stroke="{BAND}" stroke-dasharray="2 3"/><text x="{f.left - 6}" '
            f'y="{y(s) + 4:.1f}" text-anchor="end" fill="{MUTED}" font-size="{f.font - 2}">'
            f"{s}</text>"
        )
    for n, reading in enumerate(readings):
        colour = MEASURE_COLOURS[n % len(MEASURE_COLOURS)]
        points = [p for p in reading.points if start <= p.at <= end]
        flagged = {c.this.at: words for c, words in reading.flagged}
        if len(points) > 1:
            path = " ".join(f"{x(p.at):.1f},{y(p.total):.1f}" for p in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for p in points:
            px, py = x(p.at), y(p.total)
            when = f"{p.at.astimezone(zone):%a %d %b}"
            label = f"{reading.name} {p.total} ({band_words(p.band)}) · {when}"
            if p.at in flagged:
                label += f" · {flagged[p.at]}"
                out.append(
                    f'<circle class="flagged" cx="{px:.1f}" cy="{py:.1f}" r="9" fill="none" '
                    f'stroke="{colour}" stroke-width="2"/>'
                )
            out.append(
                f'<g class="score" data-measure="{escape(reading.measure)}" '
                f'data-total="{p.total}"><title>{escape(label)}</title>'
                f'<path d="M{px:.1f},{py - 6:.1f} L{px + 6:.1f},{py:.1f} L{px:.1f},{py + 6:.1f} '
                f'L{px - 6:.1f},{py:.1f} Z" fill="{colour}"/></g>'
            )
    return out
