"""A client's sessions and follow-up timing in the console: list, add (once or weekly), move,
cancel, and the client's own follow-up offsets. Everything goes through `SessionService`, the
same one `/session`, `/timing` and the CLI use, so follow-ups are re-planned and audited."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlmodel import col, select

from bot.console.reads import own_client
from bot.console.web import PREFIX, console_of, int_param, render, therapist_of
from bot.errors import CheckinError, NotFoundError
from bot.scheduling.planner import PING_KINDS, occurrences
from bot.scheduling.policy import TimingError
from bot.scheduling.sessions import slot_of
from bot.scheduling.timing import TimingChange, clear_timing
from bot.service.audit import audit, therapist_actor
from bot.storage.models import Client, DueWork, PolicyOverride, Therapist, TherapySession

KIND_WORDS = {"followup": "follow-up", "day_before": "day before", "reminder": "reminder"}


async def _client(request: web.Request) -> tuple[Therapist, Client]:
    console = console_of(request)
    therapist = therapist_of(request).therapist
    async with console.db.session() as s:
        client = await own_client(s, therapist, int_param(request, "client_id"))
    if client is None or client.id is None:
        raise web.HTTPNotFound(text="no such client among yours")
    return therapist, client


async def plan_page(request: web.Request) -> web.StreamResponse:
    therapist, client = await _client(request)
    return await _render(request, therapist, client, audit_read=True)


async def _render(
    request: web.Request,
    therapist: Therapist,
    client: Client,
    *,
    errors: list[str] | None = None,
    done: str | None = None,
    audit_read: bool = False,
    typed: dict[str, str] | None = None,
) -> web.StreamResponse:
    console = console_of(request)
    now = console.now()
    zone = ZoneInfo(client.timezone)
    assert client.id is not None
    assert therapist.id is not None
    async with console.db.session() as s:
        sessions = (
            await s.exec(
                select(TherapySession)
                .where(
                    TherapySession.client_id == client.id,
                    col(TherapySession.cancelled_at).is_(None),
                )
                .order_by(col(TherapySession.starts_at))
            )
        ).all()
        planned = (
            await s.exec(
                select(DueWork)
                .where(
                    DueWork.client_id == client.id,
                    DueWork.status == "pending",
                    col(DueWork.kind).in_(sorted(PING_KINDS)),
                )
                .order_by(col(DueWork.due_at))
                .limit(12)
            )
        ).all()
        own = (
            await s.exec(
                select(PolicyOverride).where(
                    PolicyOverride.therapist_id == therapist.id,
                    PolicyOverride.client_id == client.id,
                )
            )
        ).first()
        if audit_read:
            audit(s, now, therapist_actor(therapist), "console.sessions.read", client=client)
    policy = await console.sessions.policy_for_client(client.id)
    listed = []
    for session in sessions:
        upcoming = occurrences(slot_of(session), zone, now, now + timedelta(weeks=5))
        listed.append((session, upcoming[:1], session.starts_at < now and not upcoming))
    described = policy.describe()
    own_values = {
        "offsets": ", ".join(own.offsets or ["none"]) if own and own.offsets is not None else "",
        "quiet_start": own.quiet_start or "" if own else "",
        "quiet_end": own.quiet_end or "" if own else "",
        "max_per_day": str(own.max_pings_per_day) if own and own.max_pings_per_day else "",
    }
    return render(
        request,
        "plan.html",
        status=400 if errors else 200,
        client=client,
        zone=zone,
        sessions=[x for x in listed if not x[2]],
        planned=planned,
        kind_words=KIND_WORDS,
        in_force=described,
        values=typed or own_values,
        has_own=any(own_values.values()),
        errors=errors or [],
        done=done,
        today=now.astimezone(zone).date().isoformat(),
    )


def _start(day: object, clock: object, zone: ZoneInfo) -> datetime:
    try:
        d = date.fromisoformat(str(day))
        t = time.fromisoformat(str(clock))
    except ValueError:
        raise CheckinError("Give a date like 2026-12-01 and a time like 15:00") from None
    return datetime.combine(d, t.replace(second=0, microsecond=0), tzinfo=zone)


def _length(value: object) -> timedelta:
    text = str(value or "50").strip()
    if not text.isdigit():
        raise CheckinError(f"Length {text!r} is not a number of minutes, like 50")
    return timedelta(minutes=int(text))


async def add_session(request: web.Request) -> web.StreamResponse:
    therapist, client = await _client(request)
    console = console_of(request)
    form = await request.post()
    assert client.id is not None
    try:
        starts = _start(form.get("day"), form.get("time"), ZoneInfo(client.timezone))
        await console.sessions.register(
            client.id,
            starts,
            console.now(),
            length=_length(form.get("length")),
            weekly=form.get("weekly") == "on",
            source="console",
        )
    except CheckinError as exc:
        return await _render(request, therapist, client, errors=[str(exc)])
    raise web.HTTPSeeOther(f"{PREFIX}/clients/{client.id}/sessions")


async def change_session(request: web.Request) -> web.StreamResponse:
    """Move or cancel one of this client's sessions (a weekly one: the whole series)."""
    therapist, client = await _client(request)
    console = console_of(request)
    session_id = int_param(request, "session_id")
    async with console.db.session() as s:
        session = await s.get(TherapySession, session_id)
    if session is None or session.client_id != client.id:
        raise web.HTTPNotFound(text="no such session for this client")
    form = await request.post()
    try:
        if request.match_info["action"] == "cancel":
            await console.sessions.cancel(session_id, console.now(), therapist_id=therapist.id)
        else:
            starts = _start(form.get("day"), form.get("time"), ZoneInfo(client.timezone))
            await console.sessions.move(
                session_id, starts, console.now(), therapist_id=therapist.id
            )
    except NotFoundError:
        raise web.HTTPNotFound(text="no such session among yours") from None
    except CheckinError as exc:
        return await _render(request, therapist, client, errors=[str(exc)])
    raise web.HTTPSeeOther(f"{PREFIX}/clients/{client.id}/sessions")


async def client_timing(request: web.Request) -> web.StreamResponse:
    """This client's own follow-up offsets, quiet hours and daily cap; an empty field (or
    "Use my defaults again") takes the therapist's setting again."""
    therapist, client = await _client(request)
    console = console_of(request)
    form = await request.post()
    now = console.now()
    assert client.id is not None
    assert therapist.id is not None
    typed = {k: str(form.get(k, "")).strip() for k in FIELDS}
    try:
        if form.get("reset") == "1":
            async with console.db.session() as s:
                await clear_timing(s, therapist.id, client.id)
                audit(s, now, therapist_actor(therapist), "timing.clear", client=client)
            await console.sessions.replan_client(client.id, now)
        else:
            await console.sessions.set_timing(therapist.id, client_change(typed), now, client.id)
    except CheckinError as exc:
        return await _render(request, therapist, client, errors=[str(exc)], typed=typed)
    raise web.HTTPSeeOther(f"{PREFIX}/clients/{client.id}/sessions")


FIELDS = ("offsets", "quiet_start", "quiet_end", "max_per_day")


def client_change(typed: dict[str, str]) -> TimingChange:
    """The form's fields as a change: empty means the therapist's default, "none" no follow-ups."""
    inherit: set[str] = set()
    offsets: list[str] | None = None
    text = typed.get("offsets", "")
    if not text:
        inherit.add("offsets")
    elif text.casefold() in ("none", "off"):
        offsets = []
    else:
        offsets = [o.strip() for o in text.replace(" ", ",").split(",") if o.strip()]
    quiet: str | None = None
    start, end = typed.get("quiet_start", ""), typed.get("quiet_end", "")
    if start and end:
        quiet = f"{start}-{end}"
    elif start or end:
        raise TimingError(
            "Quiet hours need both a start and an end, like 22:00 and 07:00; "
            "leave both empty for your defaults"
        )
    else:
        inherit.add("quiet_hours")
    cap = typed.get("max_per_day", "")
    if not cap:
        inherit.add("max_pings_per_day")
    return TimingChange(
        offsets=offsets,
        quiet_hours=quiet,
        max_pings_per_day=cap or None,
        inherit=frozenset(inherit),
    )
