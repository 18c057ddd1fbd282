"""The console's pages and actions. Each reads and changes through the service layer, only for
the signed-in therapist's own clients (another's id is a 404), and writes an audit entry."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlmodel import col, select

from bot.console.caseload import caseload
from bot.console.charts import MEASURE_COLOURS, Marker, sparkline, timeline
from bot.console.reads import (
    distress_points,
    events_of,
    first_record,
    measure_scores,
    own_client,
    peaks_of,
    sessions_of,
)
from bot.console.web import PREFIX, console_of, int_param, render, safe_next, therapist_of
from bot.errors import CheckinError
from bot.scheduling.timing import TimingChange, therapist_policy
from bot.service.alert_actions import acknowledge_alert, mark_contacted
from bot.service.alerts import describe_reasons, therapist_zone
from bot.service.audit import audit, therapist_actor
from bot.service.distress_figures import period_figures, period_line
from bot.service.history import triage_rules
from bot.service.identity import clients_of
from bot.service.measures_summary import band_words, measure_name, read_measures
from bot.storage.models import LogEntry

# The timeline's zoom: days shown, and the label of its link; "all" is since the client joined.
PERIODS = {"14": "2 weeks", "30": "1 month", "90": "3 months", "all": "All"}
DEFAULT_PERIOD = "30"
LEVEL_WORDS = {
    "crisis": "Crisis",
    "now": "Contact now",
    "soon": "Contact soon",
    "therapist": "For your attention",
}
KIND_WORDS = {
    "log": "Check-in",
    "self_care": "Self-care",
    "sit_with_it": "Sat with a feeling",
    "session_note": "Note for the next session",
    "future_me": "Note to self",
    "concern": "A message that sounded heavy",
}


async def caseload_page(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    therapist = therapist_of(request).therapist
    now = console.now()
    async with console.db.session() as s:
        rows = await caseload(s, console.config, therapist, now)
        audit(s, now, therapist_actor(therapist), "console.caseload.read", count=len(rows))
    return render(
        request,
        "caseload.html",
        rows=rows,
        sparkline=sparkline,
        level_words=LEVEL_WORDS,
        now=now,
    )


async def client_page(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    therapist = therapist_of(request).therapist
    client_id = int_param(request, "client_id")
    period = request.query.get("days", DEFAULT_PERIOD)
    period = period if period in PERIODS else DEFAULT_PERIOD
    now = console.now()
    async with console.db.session() as s:
        client = await own_client(s, therapist, client_id)
        if client is None or client.id is None:
            raise web.HTTPNotFound(text="no such client among yours")
        zone = ZoneInfo(client.timezone)
        start = (
            await first_record(s, client) if period == "all" else now - timedelta(days=int(period))
        )
        # The period before, as long, for "this period against the one before" (not for all).
        before = None if period == "all" else start - (now - start)
        rated = (await distress_points(s, [client.id], before or start)).get(client.id, [])
        points = [p for p in rated if p.at >= start]
        sessions = await sessions_of(s, [client], now, start)
        shared = client.consent_alerts
        events = (await events_of(s, [client.id])).get(client.id, []) if shared else []
        entries = list(
            (
                await s.exec(
                    select(LogEntry)
                    .where(LogEntry.client_id == client.id, LogEntry.recorded_at >= start)
                    .order_by(col(LogEntry.recorded_at).desc())
                )
            ).all()
        )
        scores = await measure_scores(s, client.id)
        threshold = (await triage_rules(s, console.config, client.therapist_id)).distress_threshold
        audit(s, now, therapist_actor(therapist), "console.client.read", client=client)
    session_marks = [
        Marker(at, f"session {at.astimezone(zone):%a %d %b %H:%M}")
        for at in sessions.past.get(client.id, [])
    ]
    event_marks = [
        Marker(
            e.at, f"{LEVEL_WORDS.get(e.level, e.level)}: {describe_reasons(e.reasons, e.category)}"
        )
        for e in events
    ]
    readings = read_measures(scores)
    charts = {
        width: timeline(
            points, session_marks, event_marks, start, now, zone, width=width, readings=readings
        )
        for width in (380, 900)
    }
    # The summary's figures, by the summary's own functions, for the period shown and the one
    # before it: daily peaks in the client's days, mean, peak, days at the triage threshold.
    this = period_figures(peaks_of(points, zone), threshold)
    previous = (
        None
        if before is None
        else period_figures(peaks_of([p for p in rated if p.at < start], zone), threshold)
    )
    figures = {
        "this": this,
        "previous": previous,
        "lines": [period_line("This period", this)]
        + ([] if before is None else [period_line("Period before", previous)]),
        "checkins": len(points),
        "latest": points[-1].distress if points else None,
        "self_care": sum(1 for e in entries if e.kind == "self_care"),
        "helped": sum(1 for e in entries if e.kind == "self_care" and e.helped),
        "unable": sum(1 for e in entries if e.unable_to_function),
    }
    shown_scores = [x for x in scores if x.recorded_at >= start]
    return render(
        request,
        "client.html",
        client=client,
        zone=zone,
        days=period,
        period_label=PERIODS[period],
        periods=PERIODS,
        charts=charts,
        figures=figures,
        events=events,
        entries=entries,
        kind_words=KIND_WORDS,
        level_words=LEVEL_WORDS,
        describe=describe_reasons,
        next_session=sessions.upcoming.get(client.id),
        shared=shared,
        scores=shown_scores,
        readings=[r for r in readings if any(p.at >= start for p in r.points)],
        colours=len(MEASURE_COLOURS),
        band_words=band_words,
        measure_name=measure_name,
    )


async def alerts_page(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    therapist = therapist_of(request).therapist
    now = console.now()
    async with console.db.session() as s:
        clients = [c for c in await clients_of(s, therapist) if c.consent_alerts]
        by_id = {c.id: c for c in clients}
        events = await events_of(s, [c.id for c in clients if c.id is not None])
        audit(s, now, therapist_actor(therapist), "console.alerts.read")
    rows = sorted(
        ((e, by_id[e.client_id]) for group in events.values() for e in group),
        key=lambda pair: pair[0].at,
        reverse=True,
    )
    open_ = [(e, c) for e, c in rows if e.acknowledged_at is None]
    past = [(e, c) for e, c in rows if e.acknowledged_at is not None][:50]
    return render(
        request,
        "alerts.html",
        open_alerts=open_,
        past_alerts=past,
        describe=describe_reasons,
        level_words=LEVEL_WORDS,
        zone_of=lambda c: therapist_zone(therapist, c),
    )


async def alert_action(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    therapist = therapist_of(request).therapist
    event_id = int_param(request, "event_id")
    action = request.match_info["action"]
    now = console.now()
    async with console.db.session() as s:
        if action == "ack":
            done: object = await acknowledge_alert(s, therapist, event_id, now)
        else:
            done = await mark_contacted(s, therapist, event_id, now)
    if done is None:
        raise web.HTTPNotFound(text="no such alert among your clients")
    form = await request.post()
    raise web.HTTPSeeOther(safe_next(form.get("next"), f"{PREFIX}/alerts"))


async def timing_page(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    therapist = therapist_of(request).therapist
    assert therapist.id is not None
    now = console.now()
    errors: list[str] = []
    saved = False
    values: dict[str, str] = {}
    if request.method == "POST":
        form = await request.post()
        values = {
            k: str(form.get(k, "")).strip()
            for k in ("offsets", "quiet_start", "quiet_end", "reminder", "max_per_day")
        }
        try:
            change = TimingChange(
                offsets=[
                    o.strip() for o in values["offsets"].replace(" ", ",").split(",") if o.strip()
                ],
                quiet_hours=f"{values['quiet_start']}-{values['quiet_end']}",
                reminder_after=values["reminder"] or "off",
                max_pings_per_day=values["max_per_day"],
                day_before_next_session=form.get("day_before") == "on",
            )
            await console.sessions.set_timing(therapist.id, change, now)
            saved = True
        except (CheckinError, ValueError) as exc:
            errors.append(str(exc))
    async with console.db.session() as s:
        policy = await therapist_policy(s, console.sessions.clinic, therapist.id)
        if request.method == "GET":
            audit(s, now, therapist_actor(therapist), "console.timing.read")
    shown = policy.describe()
    if not values or saved:
        values = {
            "offsets": shown["offsets"].replace("none", ""),
            "quiet_start": f"{policy.quiet_hours.start:%H:%M}",
            "quiet_end": f"{policy.quiet_hours.end:%H:%M}",
            "reminder": shown["reminder_after"],
            "max_per_day": shown["max_pings_per_day"],
        }
    return render(
        request,
        "timing.html",
        status=400 if errors else 200,
        values=values,
        day_before=policy.day_before_next_session,
        errors=errors,
        saved=saved,
        described=shown,
    )
