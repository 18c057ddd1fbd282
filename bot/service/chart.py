"""The summary's chart: daily peak distress as a PNG, sized to be read on a phone; under it, for
a client who answered standard measures, their totals on the same days with the band boundaries.

matplotlib with the Agg backend (no display, no network), one figure per call, closed at once.
The figure object is used directly (no pyplot state), so charts drawn at the same time in
different tasks do not share anything.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import matplotlib

matplotlib.use("Agg")  # before anything else of matplotlib: never a display

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

from bot.service.chart_data import ChartData, MeasureLine

WIDTH, HEIGHT, DPI = (
    6.0,
    3.6,
    160,
)  # 960 x 576 px; text stays about 12 px when a phone shows it 400 px wide
FONT = 13
LINE = "#1f5f99"
RAISED = "#c0392b"
SESSION = "#6b6b6b"
LABEL_GAP = timedelta(days=3)
LONG_SPAN_DAYS = 21
MEASURES_HEIGHT = 2.5  # inches added for the measures panel: 960 x 976 px in all
BAND = "#c8c8c8"
MEASURE_COLOURS = ("#7b3fa0", "#0e7c66", "#b35c00", "#444444")


def render_chart(chart: ChartData) -> bytes:
    return distress_chart(
        chart.first,
        chart.last,
        chart.peaks,
        chart.sessions,
        chart.threshold,
        chart.title,
        measures=chart.measures,
    )


def distress_chart(
    first: date,
    last: date,
    peaks: dict[date, int],
    sessions: Sequence[datetime],
    threshold: int,
    title: str,
    *,
    measures: Sequence[MeasureLine] = (),
) -> bytes:
    """Daily peaks from `first` to `last` (gaps where nothing was rated), the sessions as
    vertical lines, and the threshold; with `measures`, a panel under it on the same days.
    Returns PNG bytes."""
    below: Axes | None = None
    if measures:
        fig = Figure(figsize=(WIDTH, HEIGHT + MEASURES_HEIGHT), dpi=DPI)
        ax, below = fig.subplots(
            2, 1, sharex=True, gridspec_kw={"height_ratios": (HEIGHT - 0.6, MEASURES_HEIGHT)}
        )
    else:
        fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
        ax = fig.add_subplot()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    values = [peaks.get(d, math.nan) for d in days]
    xs = [_num(datetime(d.year, d.month, d.day, 12)) for d in days]  # a day's value at its noon
    ax.plot(xs, values, color=LINE, linewidth=2, marker="o", markersize=5, zorder=3)
    raised = [n for n, v in enumerate(values) if v >= threshold]  # NaN compares False
    if raised:
        ax.scatter([xs[n] for n in raised], [values[n] for n in raised], color=RAISED, zorder=4)
    ax.axhline(threshold, color=RAISED, linestyle="--", linewidth=1.3, zorder=2)
    if not peaks:  # only measures to show: say why the upper panel is empty
        ax.text(
            0.5,
            0.75,
            "no distress ratings in these days",
            transform=ax.transAxes,
            color=SESSION,
            fontsize=FONT - 2,
            ha="center",
            va="center",
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 3},
        )
    # Named in the right margin, outside the plot: it never covers a point or the title.
    ax.text(
        1.01,
        threshold,
        f"threshold\n{threshold}",
        transform=ax.get_yaxis_transform(),
        color=RAISED,
        fontsize=FONT - 3,
        ha="left",
        va="center",
        linespacing=1.0,
    )
    labelled: float | None = None
    gap = LABEL_GAP.total_seconds() / 86400  # in days, matplotlib's unit for dates
    # Over weeks a day is a few pixels wide: labels say only the date and keep a share of the
    # width between them, so weekly sessions over ten weeks do not print over each other.
    long_span = len(days) > LONG_SPAN_DAYS
    if long_span:
        gap = max(gap, len(days) * 0.16)
    for at in sessions:
        # At the start of the session's day: a point is a whole day's peak, so the session
        # day's point (usually rated after it) must sit right of the line, not before it.
        local = _num(datetime(at.year, at.month, at.day))
        ax.axvline(local, color=SESSION, linestyle=":", linewidth=1.6, zorder=1)
        near_end = xs[-1] - local < gap  # a label near the right edge reads leftwards
        # A leftward label needs the room of two: its own and the one before it.
        if labelled is not None and local - labelled < (2 * gap if near_end else gap):
            continue  # sessions close together: one label, not two on top of each other
        labelled = local
        ax.text(
            local,
            10.55,
            f" {at:%-d %b} " if near_end or long_span else f" session {at:%-d %b}",
            color=SESSION,
            fontsize=FONT - 2,
            ha="right" if near_end else "left",
            va="bottom",
        )
    ax.set_ylim(-0.4, 10.4)  # room for a whole marker at 0 and at 10
    ax.set_yticks(range(0, 11, 2))
    ax.set_xlim(xs[0] - 0.8, xs[-1] + 0.5)  # room left of a session line on the first day
    step = max(1, math.ceil(len(days) / 6))  # at most about 6 dates: legible at phone size
    # Ticks at noon under the day's point, counted back from the newest day so that today
    # always has its date.
    ax.xaxis.set_major_locator(FixedLocator(xs[::-1][::step]))
    ax.xaxis.set_minor_locator(FixedLocator(xs))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%a\n%-d %b"))  # type: ignore[no-untyped-call]
    ax.tick_params(axis="both", labelsize=FONT - 1)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_ylabel("distress 0-10", fontsize=FONT - 1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if below is not None:
        _measures_panel(below, measures, sessions)
        ax.tick_params(axis="x", labelbottom=False)  # the dates are under the lower panel
    fig.suptitle(title, fontsize=FONT, x=0.02, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _measures_panel(
    ax: Axes, measures: Sequence[MeasureLine], sessions: Sequence[datetime]
) -> None:
    """Each measure's totals, the band boundaries as light lines (their totals on the axis), and
    above the panel one key line per measure: latest total, its band, its change flag."""
    starts = sorted({s for m in measures for s in m.band_starts})
    highest = max((v for m in measures for _, v in m.points), default=0)
    top = max(highest, (starts[-1] + 5) if starts else 10)
    for start in starts:
        ax.axhline(start, color=BAND, linewidth=0.9, zorder=1)
    for at in sessions:
        ax.axvline(
            _num(datetime(at.year, at.month, at.day)),
            color=SESSION,
            linestyle=":",
            linewidth=1.6,
            zorder=1,
        )
    keys = []
    for n, m in enumerate(measures):
        colour = MEASURE_COLOURS[n % len(MEASURE_COLOURS)]
        xs = [_num(at) for at, _ in m.points]
        ys = [v for _, v in m.points]
        # Not clipped: a score taken on the evening of the last day sits near the right edge.
        ax.plot(
            xs, ys, color=colour, linewidth=2, marker="D", markersize=6, zorder=3, clip_on=False
        )
        flagged = [
            (x, y) for x, y, (at, _) in zip(xs, ys, m.points, strict=True) if at in m.flagged
        ]
        if flagged:  # a ring: this score changed reliably (or recovered) against the first
            ax.scatter(
                [x for x, _ in flagged],
                [y for _, y in flagged],
                s=190,
                facecolors="none",
                edgecolors=colour,
                linewidths=1.8,
                zorder=4,
                clip_on=False,
            )
        keys.append((colour, m.key + (f": {m.flag}" if m.flag else "")))
    ax.set_ylim(-1, top + 1)
    ax.set_yticks([0, *starts])
    ax.tick_params(axis="both", labelsize=FONT - 1)
    ax.tick_params(axis="y", labelsize=FONT - 3, colors="#777777")
    ax.set_ylabel("measures", fontsize=FONT - 1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    # The key above the panel, one line per measure (the newest measure nearest the panel):
    # it never covers a score, and tight_layout makes room for it.
    for n, (colour, text) in enumerate(reversed(keys)):
        ax.text(
            0.0,
            1.03 + n * 0.12,
            text,
            transform=ax.transAxes,
            color=colour,
            fontsize=FONT - 3,
            ha="left",
            va="bottom",
        )


def _num(moment: datetime) -> float:
    """A naive wall time as matplotlib's date number (days)."""
    return float(mdates.date2num(moment))  # type: ignore[no-untyped-call]
