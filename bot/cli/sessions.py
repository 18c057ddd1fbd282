"""`checkin session add|list|cancel|move|import` and `checkin timing show|set`.

Times typed here are the client's local wall time (`2026-06-02 15:00`), or ISO with an offset.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

import typer
from rich.table import Table
from sqlmodel import select

from bot.cli.common import EXIT_INVALID, console, fail, run_async, state
from bot.cli.people import (
    ClientRef,
    SomeClientRef,
    SomeTherapistRef,
    TherapistRef,
    resolve_client,
    resolve_therapist,
)
from bot.config import Config, parse_duration
from bot.errors import NotFoundError
from bot.scheduling.ics import import_ics
from bot.scheduling.planner import to_utc
from bot.scheduling.policy import Policy, clinic_policy
from bot.scheduling.sessions import OverlapError, SessionService
from bot.scheduling.timing import TimingChange, therapist_policy
from bot.service.names import client_name, distinct_name
from bot.storage import Database
from bot.storage.data_keys import prepare_database
from bot.storage.models import Client, Therapist, TherapySession

T = TypeVar("T")
EXIT_OVERLAP = 3  # refused: a double booking without --allow-overlap
session_app = typer.Typer(
    help="Register, list, cancel, move and import sessions.", no_args_is_help=True
)
timing_app = typer.Typer(
    help="Follow-up timing per therapist and per client.", no_args_is_help=True
)

ClientOpt = ClientRef
SomeClient = SomeClientRef
SomeTherapist = SomeTherapistRef
SessionId = Annotated[
    int,
    typer.Argument(metavar="SESSION_ID", help="The session's id (see `checkin session list`)."),
]
StartOpt = Annotated[
    str, typer.Option("--start", help="Local start, like '2026-06-02 15:00' (client's time zone).")
]
OccurrenceOpt = Annotated[
    str | None,
    typer.Option(
        "--occurrence",
        help="Weekly: only the occurrence starting then, like '2026-06-09 15:00' (client's time "
        "zone); the rest of the series stays.",
    ),
]
AllowOverlapOpt = Annotated[
    bool,
    typer.Option(
        "--allow-overlap",
        help="Book even if it overlaps another session of the client or of the therapist.",
    ),
]


def _with_service(ctx: typer.Context, work: Callable[[SessionService], Awaitable[T]]) -> T:
    config: Config = state(ctx).config()

    async def go() -> T:
        db = Database(config.database_url)
        try:
            await prepare_database(db)  # client names are encrypted: the right key, or nothing
            return await work(SessionService(db, config.followups))
        except OverlapError as exc:
            fail(_clash_words(exc), EXIT_OVERLAP)
        finally:
            await db.dispose()

    return run_async(go())


def _clash_words(exc: OverlapError) -> str:
    """The refusal of a double booking, naming each session it meets (in its client's zone)."""
    lines = ["This overlaps:"]
    for clash in exc.clashes:
        who = exc.clients.get(clash.client_id or 0)
        zone = ZoneInfo(who.timezone) if who else UTC
        start = clash.starts_at.astimezone(zone)
        end = (clash.starts_at + clash.length).astimezone(zone)
        name = f"{who.name} (Telegram id {who.telegram_id})" if who else "another client"
        weekly = ", weekly" if clash.weekly else ""
        lines.append(
            f"  session {clash.session_id} of {name}: {start:%a %Y-%m-%d %H:%M}-{end:%H:%M} "
            f"{start.tzname()}{weekly}"
        )
    lines.append("Nothing was changed. Add --allow-overlap to book it anyway.")
    return "\n".join(lines)


def _parse_local(text: str, tz: ZoneInfo) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        fail(
            f"{text!r} is not a date and time; use YYYY-MM-DD HH:MM, like 2026-06-02 15:00",
            EXIT_INVALID,
        )
    return value.astimezone(UTC) if value.tzinfo else to_utc(value, tz)


def _duration(text: str | None) -> timedelta | None:
    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as exc:
        fail(f"--length: {exc}", EXIT_INVALID)


async def _client_tz(service: SessionService, client_id: int) -> ZoneInfo:
    async with service.db.session() as s:
        client = await s.get(Client, client_id)
    if client is None:
        raise NotFoundError("client", client_id, "Create clients with an invite first.")
    return ZoneInfo(client.timezone)


async def _client(service: SessionService, ref: str, therapist: Therapist | None = None) -> Client:
    """The client a `--client` names (Telegram id or name)."""
    async with service.db.session() as s:
        return await resolve_client(s, ref, therapist)


async def _therapist(service: SessionService, telegram_id: int) -> Therapist:
    async with service.db.session() as s:
        return await resolve_therapist(s, telegram_id)


def _who(client: Client) -> str:
    return f"{client_name(client)} (Telegram id {client.telegram_id})"


def _now() -> datetime:
    return datetime.now(UTC)


@session_app.command("add")
def session_add(
    ctx: typer.Context,
    client: ClientOpt,
    start: StartOpt,
    weekly: Annotated[bool, typer.Option("--weekly", help="Repeat every week.")] = False,
    length: Annotated[str | None, typer.Option(help="Length like 50m (default: config).")] = None,
    until: Annotated[str | None, typer.Option(help="Weekly: last date, YYYY-MM-DD.")] = None,
    allow_overlap: AllowOverlapOpt = False,
) -> None:
    """Register a one-off or weekly session and plan its follow-ups (a double booking is
    refused, naming the clash, unless --allow-overlap)."""

    async def work(service: SessionService) -> str:
        found = await _client(service, client)
        assert found.id is not None
        tz = ZoneInfo(found.timezone)
        last = _parse_local(f"{until} 23:59", tz) if until else None
        session = await service.register(
            found.id,
            _parse_local(start, tz),
            _now(),
            length=_duration(length),
            weekly=weekly,
            until=last,
            allow_overlap=allow_overlap,
        )
        when = session.starts_at.astimezone(tz).strftime("%a %Y-%m-%d %H:%M %Z")
        return f"Session {session.id} for {_who(found)}: {when}{' weekly' if weekly else ''}."

    console.print(_with_service(ctx, work))


@session_app.command("list")
def session_list(
    ctx: typer.Context,
    client: SomeClient = None,
    therapist: SomeTherapist = None,
) -> None:
    """List sessions (all, one client's, or one therapist's)."""

    async def work(service: SessionService) -> Table:
        table = Table(
            "session", "client", "starts (client's time)", "length", "repeats", "source", "status"
        )
        client_id = (await _client(service, client)).id if client is not None else None
        therapist_id = (await _therapist(service, therapist)).id if therapist is not None else None
        async with service.db.session() as s:
            everyone = list((await s.exec(select(Client))).all())
        by_id = {c.id: c for c in everyone}
        zones: dict[int, ZoneInfo] = {}
        for x in await service.list_sessions(client_id=client_id, therapist_id=therapist_id):
            if x.client_id not in zones:
                zones[x.client_id] = await _client_tz(service, x.client_id)
            who = by_id[x.client_id]
            table.add_row(
                str(x.id),
                f"{distinct_name(who, everyone)} ({who.telegram_id})",
                x.starts_at.astimezone(zones[x.client_id]).strftime("%a %Y-%m-%d %H:%M %Z"),
                f"{x.duration_minutes}m",
                "weekly" if x.weekly else "once",
                x.source,
                "cancelled" if x.cancelled_at else "active",
            )
        return table

    console.print(_with_service(ctx, work))


@session_app.command("cancel")
def session_cancel(
    ctx: typer.Context, session_id: SessionId, occurrence: OccurrenceOpt = None
) -> None:
    """Cancel a session (or, with --occurrence, one week of a series); its pending follow-ups
    are cancelled too. What has taken place is never cancelled: a running series ends now, and
    a series that has ended or a session already held is refused."""

    async def work(service: SessionService) -> str:
        if occurrence is None:
            await service.cancel(session_id, _now())
            return f"Session {session_id} cancelled; its pending follow-ups were cancelled."
        tz = await _session_tz(service, session_id)
        at = _parse_local(occurrence, tz)
        await service.cancel_occurrence(session_id, at, _now())
        return (
            f"Session {session_id}: the occurrence of {at.astimezone(tz):%a %Y-%m-%d %H:%M %Z} "
            "is cancelled, and its pending follow-ups."
        )

    console.print(_with_service(ctx, work))


@session_app.command("move")
def session_move(
    ctx: typer.Context,
    session_id: SessionId,
    start: StartOpt,
    length: Annotated[str | None, typer.Option(help="New length like 50m.")] = None,
    occurrence: OccurrenceOpt = None,
    allow_overlap: AllowOverlapOpt = False,
) -> None:
    """Move a session (a weekly one: the whole series; with --occurrence, that week only);
    its follow-ups are re-planned. A double booking is refused unless --allow-overlap."""

    async def work(service: SessionService) -> str:
        tz = await _session_tz(service, session_id)
        new = _parse_local(start, tz)
        if occurrence is not None:
            if length is not None:
                fail("--length moves the whole session; leave out --occurrence", EXIT_INVALID)
            at = _parse_local(occurrence, tz)
            await service.move_occurrence(session_id, at, new, _now(), allow_overlap=allow_overlap)
            return (
                f"Session {session_id}: the occurrence of {at.astimezone(tz):%a %Y-%m-%d %H:%M} "
                f"moved to {new.astimezone(tz):%a %Y-%m-%d %H:%M %Z}."
            )
        moved = await service.move(
            session_id, new, _now(), length=_duration(length), allow_overlap=allow_overlap
        )
        return (
            f"Session {session_id} moved to {moved.starts_at.astimezone(tz):%a %Y-%m-%d %H:%M %Z}."
        )

    console.print(_with_service(ctx, work))


async def _session_tz(service: SessionService, session_id: int) -> ZoneInfo:
    async with service.db.session() as s:
        session = await s.get(TherapySession, session_id)
    if session is None:
        raise NotFoundError("session", session_id, "See `checkin session list` for the ids.")
    return await _client_tz(service, session.client_id)


@session_app.command("import")
def session_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            metavar="FILE.ics",
            help="A calendar file exported from the therapist's calendar.",
        ),
    ],
    client: ClientOpt,
) -> None:
    """Import a client's sessions from an .ics calendar file, read as the console's upload
    reads it (safe to run again; an event moved in the calendar is moved here)."""

    async def work(service: SessionService) -> str:
        found = await _client(service, client)
        assert found.id is not None
        report = await import_ics(service, found.id, file.read_bytes(), _now())
        return (
            f"{file.name}: {len(report.added)} added, {report.unchanged} unchanged, "
            f"{len(report.moved)} moved, {len(report.cancelled)} cancelled, "
            f"{report.ignored} ignored (all-day, cancelled or without a start)."
        )

    console.print(_with_service(ctx, work))


def _show(policy: Policy, title: str) -> Table:
    table = Table("setting", "value", title=title)
    for key, value in policy.describe().items():
        table.add_row(key, value)
    return table


@timing_app.command("show")
def timing_show(
    ctx: typer.Context,
    therapist: SomeTherapist = None,
    client: SomeClient = None,
) -> None:
    """Show the timing in force: the clinic's, a therapist's, or one client's."""

    async def work(service: SessionService) -> Table:
        owner = await _therapist(service, therapist) if therapist is not None else None
        if client is not None:
            found = await _client(service, client, owner)
            assert found.id is not None
            return _show(await service.policy_for_client(found.id), _who(found))
        if owner is not None:
            assert owner.id is not None
            async with service.db.session() as s:
                policy = await therapist_policy(s, service.clinic, owner.id)
            return _show(policy, f"{owner.name} (Telegram id {owner.telegram_id})")
        return _show(clinic_policy(service.clinic), "clinic defaults")

    console.print(_with_service(ctx, work))


@timing_app.command("set")
def timing_set(
    ctx: typer.Context,
    therapist: TherapistRef,
    client: SomeClient = None,
    offsets: Annotated[str | None, typer.Option(help="Comma separated, like 3h,1d,3d.")] = None,
    quiet: Annotated[str | None, typer.Option(help="Quiet hours like 21:30-08:30.")] = None,
    reminder: Annotated[str | None, typer.Option(help="Like 4h, or off.")] = None,
    max_pings: Annotated[int | None, typer.Option(help="Pings per day, 1-24.")] = None,
    day_before: Annotated[
        bool | None, typer.Option("--day-before/--no-day-before", help="Ping the day before.")
    ] = None,
    default: Annotated[
        str | None,
        typer.Option(
            "--default",
            help="Back to the level above for these, comma separated: "
            "offsets, quiet, reminder, max-pings, day-before (a client: their therapist's).",
        ),
    ] = None,
) -> None:
    """Set a therapist's (or one client's) follow-up timing; planned follow-ups are re-planned."""
    inherit = set()
    for word in (default or "").split(","):
        word = word.strip()
        if word and word not in DEFAULTABLE:
            fail(
                f"--default: {word!r} is not a timing setting; use {', '.join(DEFAULTABLE)}",
                EXIT_INVALID,
            )
        if word:
            inherit.add(DEFAULTABLE[word])
    change = TimingChange(
        offsets=[o.strip() for o in offsets.split(",") if o.strip()]
        if offsets is not None
        else None,
        quiet_hours=quiet,
        reminder_after=reminder,
        max_pings_per_day=max_pings,
        day_before_next_session=day_before,
        inherit=frozenset(inherit),
    )

    async def work(service: SessionService) -> Table:
        owner = await _therapist(service, therapist)
        assert owner.id is not None
        found = await _client(service, client, owner) if client is not None else None
        policy = await service.set_timing(owner.id, change, _now(), found.id if found else None)
        title = _who(found) if found else f"{owner.name} (Telegram id {owner.telegram_id})"
        return _show(policy, title)

    console.print(_with_service(ctx, work))


DEFAULTABLE = {
    "offsets": "offsets",
    "quiet": "quiet_hours",
    "reminder": "reminder_after",
    "max-pings": "max_pings_per_day",
    "day-before": "day_before_next_session",
}


def register(app: typer.Typer) -> None:
    app.add_typer(session_app, name="session")
    app.add_typer(timing_app, name="timing")
