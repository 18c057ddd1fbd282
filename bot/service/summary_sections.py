"""The sections of the pre-session summary: each a small function of `SummaryData` to lines.

A section returns [] when it has nothing to say, so a quiet week reads short. Lines are HTML
(Telegram's subset) with every client word escaped.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime

from bot.service.alerts import describe_reasons
from bot.service.distress_figures import daily_peaks as shared_peaks
from bot.service.distress_figures import period_figures, period_line
from bot.service.status import status_words
from bot.service.summary_data import SummaryData, rating
from bot.service.trend import session_trend
from bot.storage.models import LogEntry

Section = Callable[[SummaryData], list[str]]
TECHNIQUES = {  # the self-care flow's values, as a therapist names them
    "safe_place": "calm place",
    "senses": "5-4-3-2-1 senses",
    "muscles": "muscle relaxation",
    "breathing": "slow breathing",
}
LEVEL_WORDS = {
    "now": "contact now advised",
    "soon": "contact advised",
    "therapist": "for your attention",
}
NOTE_LIMIT = 500  # characters of one note shown; the rest is in the PDF and the export


def _esc(text: str | None) -> str:
    return html.escape((text or "").strip())


def _date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def daily_peaks(entries: Iterable[LogEntry], data: SummaryData) -> dict[date, int]:
    """The highest rating of each of the client's days."""
    return shared_peaks(
        ((e.recorded_at, v) for e in entries if (v := rating(e)) is not None), data.client_zone
    )


def heading(data: SummaryData) -> list[str]:
    """The client's name, the period and their status now."""
    status = status_words(data.client, data.now, data.zone)
    start = _date(data.start.astimezone(data.client_zone).date())
    name = html.escape(data.title)
    period = (
        f"since the last session ({start})" if data.sessions else f"last 14 days (since {start})"
    )
    return [f"<b>{name}</b> · {period} · {status}"]


def distress(data: SummaryData) -> list[str]:
    """Dated daily peaks, and this period against the previous one."""
    now_peaks = daily_peaks(data.period_entries, data)
    before = daily_peaks((e for e in data.entries if data.in_previous(e)), data)
    if not now_peaks and not before:
        return []
    lines = ["<b>Distress</b> (daily peak, 0-10)"]
    if now_peaks:
        lines.append(" · ".join(f"{_date(d)}: {v}" for d, v in sorted(now_peaks.items())))
    lines.append(period_line("This period", period_figures(now_peaks, data.threshold)))
    lines.append(period_line("Period before", period_figures(before, data.threshold)))
    return lines


def after_sessions(data: SummaryData) -> list[str]:
    """Mean distress in the 3 days after each session occurrence, against the baseline."""
    ratings = [(e.recorded_at, v) for e in data.entries if (v := rating(e)) is not None]
    trend = session_trend(ratings, [o.end for o in data.sessions])
    if len(trend.after) < 2:
        return []
    parts = " · ".join(
        f"{_date(a.ended.astimezone(data.client_zone).date())}: {a.mean:.1f}"
        for a in trend.after[-6:]
    )
    lines = [f"After each session (mean distress, 3 days): {parts}"]
    if trend.baseline is not None:
        lines.append(f"Between sessions (baseline): {trend.baseline:.1f}")
    if trend.worse_after_each:
        lines.append(
            f"⚠️ Worse after each of the last {trend.worse_run} sessions "
            "(a pattern worth raising in session)"
        )
    return lines


def safety(data: SummaryData) -> list[str]:
    """Every alert since the last session, acknowledged or not, and what the therapist did."""
    if not data.client.consent_alerts:
        return [
            "Alerts: the client chose not to share alerts with you (triage still advises them)."
        ]
    # Since the session before the last one, like the chart: an acknowledged crisis of two
    # weeks ago still belongs in front of the therapist at the next session.
    events = data.events
    concerns = [
        e for e in data.entries if e.kind == "concern" and e.recorded_at >= data.previous_start
    ]
    if not events and not concerns:
        return []
    since = _date(data.previous_start.astimezone(data.client_zone).date())
    lines = [f"<b>Safety events since {since}</b>"]
    for event in events:
        what = describe_reasons(event.reasons, event.category)
        if not event.crisis:
            what = f"{LEVEL_WORDS.get(event.level, 'contact advised')}: {what}"
        done = []
        if event.contacted_at is not None:
            done.append(f"you contacted them {data.at(event.contacted_at)}")
        if event.acknowledged_at is not None:
            done.append(f"acknowledged {data.at(event.acknowledged_at)}")
        else:
            done.append(f"still open: /ack {event.id}")
        more = f" ({event.alert_count} messages)" if event.alert_count > 1 else ""
        lines.append(
            f"• {data.at(event.at)} – {html.escape(what[:1].upper() + what[1:])}{more}; "
            + "; ".join(done)
        )
    if concerns:
        # The screening reasons only: the client's words are never stored with a concern.
        reasons = sorted(
            {r.replace("_", " ") for e in concerns for r in (e.reason or "").split(",") if r}
        )
        lines.append(
            f"• Messages that sounded heavy: {len(concerns)} ({', '.join(reasons) or 'concern'}); "
            "they were offered /sos"
        )
    return lines


def feelings(data: SummaryData) -> list[str]:
    """Feelings words most used, what was hard to do, days they could not function."""
    entries = data.period_entries
    words: Counter[str] = Counter()
    harder: Counter[str] = Counter()
    for e in entries:
        words.update(w.replace("_", " ") for w in e.feelings or [])
        if e.feelings_other:
            words[e.feelings_other.strip().lower()] += 1
        harder.update(h.replace("_", " ") for h in e.harder or [])
    unable = sorted({data.day(e.recorded_at) for e in entries if e.unable_to_function})
    partly = sorted({data.day(e.recorded_at) for e in entries if e.partly_unable})
    lines = []
    if words:
        lines.append("Feelings: " + ", ".join(f"{_esc(w)} ×{n}" for w, n in words.most_common(6)))
    if harder:
        lines.append(
            "Harder than usual: " + ", ".join(f"{_esc(w)} ×{n}" for w, n in harder.most_common())
        )
    if unable:
        lines.append("Unable to do usual things: " + ", ".join(_date(d) for d in unable))
    if partly:
        lines.append("Partly able: " + ", ".join(_date(d) for d in partly))
    return lines


def self_care(data: SummaryData) -> list[str]:
    """Per technique: how often, distress before → after, how often it helped."""
    by_technique: dict[str, list[LogEntry]] = defaultdict(list)
    # Both periods, like the chart: a technique tried once a week needs two weeks to compare.
    recent = [e for e in data.entries if e.recorded_at >= data.previous_start]
    for e in recent:
        if e.kind == "self_care":
            name = e.technique or "other"
            by_technique[TECHNIQUES.get(name, name.replace("_", " "))].append(e)
    lines = []
    if by_technique:
        since = _date(data.previous_start.astimezone(data.client_zone).date())
        lines.append(f"<b>Self-care since {since}</b> (distress before → after)")
        for technique, tries in sorted(by_technique.items(), key=lambda kv: -len(kv[1])):
            befores = [e.distress_before for e in tries if e.distress_before is not None]
            afters = [e.distress_after for e in tries if e.distress_after is not None]
            answered = [e for e in tries if e.helped is not None]
            parts = [f"{len(tries)}×"]
            if befores and afters:
                parts.append(f"{sum(befores) / len(befores):.1f} → {sum(afters) / len(afters):.1f}")
            if answered:
                helped = sum(1 for e in answered if e.helped)
                parts.append(f"helped {helped} of {len(answered)}")
            lines.append(f"• {_esc(technique)}: " + " · ".join(parts))
    sits = [e for e in recent if e.kind == "sit_with_it" and e.seconds is not None]
    if sits:
        minutes = [(e.seconds or 0) / 60 for e in sits]
        shown = " → ".join(f"{m:.0f}" for m in minutes[-6:])
        trend = ""
        if len(minutes) >= 2:
            trend = (
                " (longer)"
                if minutes[-1] > minutes[0]
                else " (shorter)"
                if minutes[-1] < minutes[0]
                else ""
            )
        lines.append(f"Sitting with feelings, minutes stayed: {shown}{trend}")
    return lines


def notes(data: SummaryData) -> list[str]:
    """Log notes and notes for the next session, as the client wrote them."""
    log_notes = [e for e in data.period_entries if e.kind == "log" and (e.note or "").strip()]
    # Notes for the session: since the last one (read then); without sessions, every note.
    since = data.start if data.sessions else datetime.min.replace(tzinfo=data.start.tzinfo)
    session_notes = [e for e in data.entries if e.kind == "session_note" and e.recorded_at >= since]
    lines = []
    if session_notes:
        lines.append("<b>Notes for the next session</b>")
        lines += [f"• {_esc(n.note)[:NOTE_LIMIT]}" for n in session_notes]
    if log_notes:
        lines.append("<b>Log notes</b>")
        lines += [
            f"• {_date(data.day(n.recorded_at))}: {_esc(n.note)[:NOTE_LIMIT]}" for n in log_notes
        ]
    return lines


def measures(data: SummaryData) -> list[str]:
    """PHQ-9 and GAD-7: latest, change against the first, item 9 (bot/service/measures_summary)."""
    return data.measures


def engagement(data: SummaryData) -> list[str]:
    """Check-ins sent, answered, unanswered, snoozed; pauses with their dates."""
    counts = checkin_counts(data)
    lines = []
    if counts.sent:
        lines.append(
            f"Check-ins: {counts.sent} sent, {counts.answered} answered, "
            f"{counts.unanswered} unanswered, {counts.snoozed} snoozed"
        )
    for entry in data.pauses:
        if entry.at < data.start:
            continue
        if entry.action == "checkins.pause":
            until = (entry.target or "").removeprefix("until:")
            try:
                end = f" until {data.at(datetime.fromisoformat(until))}" if until else ""
            except ValueError:
                end = ""
            lines.append(f"Paused check-ins {data.at(entry.at)}{end}")
        else:
            lines.append(f"Resumed check-ins {data.at(entry.at)}")
    return lines


class CheckinCounts:
    def __init__(self, sent: int, answered: int, snoozed: int) -> None:
        self.sent, self.answered, self.snoozed = sent, answered, snoozed
        self.unanswered = max(0, sent - answered - snoozed)


def checkin_counts(data: SummaryData) -> CheckinCounts:
    answered_runs = {e.run_id for e in data.entries if e.run_id is not None}
    runs = [r for r in data.runs if r.started_at >= data.start]
    answered = sum(1 for r in runs if r.id in answered_runs)
    snoozed = sum(1 for r in runs if r.end_reason == "snoozed" and r.id not in answered_runs)
    return CheckinCounts(len(runs), answered, snoozed)


def nothing_logged(data: SummaryData) -> bool:
    """No answer, no alert and no questionnaire: the summary is one honest line."""
    recent_events = [e for e in data.events if e.at >= data.start]
    return not data.period_entries and not recent_events and not data.measures


def honest_line(data: SummaryData) -> str:
    """'3 check-ins sent, none answered; last reply 12 days ago' for a client with nothing logged."""
    counts = checkin_counts(data)
    sent = (
        f"{_plural(counts.sent, 'check-in')} sent, none answered"
        if counts.sent
        else "no check-ins sent"
    )
    if data.last_entry_at is None:
        last = "never replied"
    else:
        days = (data.now - data.last_entry_at).days
        last = "last reply today" if days == 0 else f"last reply {_plural(days, 'day')} ago"
    since = "since the last session" if data.sessions else "in the last 14 days"
    return f"Nothing logged {since}: {sent}; {last}."
