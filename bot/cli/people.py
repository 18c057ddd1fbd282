"""One way to name people on the command line: `--client` and `--therapist` everywhere.

A therapist is named by their Telegram user id. A client by their Telegram user id, or by the
name their therapist calls them (their label, else their Telegram name); a name that fits
several clients is refused with the list of them and their ids. Internal row ids are never
asked for and never printed. `checkin client list` and `checkin therapist list` show the ids.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli.common import console, counted, positive_id, run_async, state
from bot.errors import NotFoundError
from bot.service.identity import require_therapist
from bot.service.names import AmbiguousClientError, client_name, distinct_name, match_clients
from bot.service.status import status_words
from bot.storage import Database
from bot.storage.data_keys import prepare_database
from bot.storage.models import Client, Therapist

CLIENT_HELP = "The client: their Telegram user id, or the name their therapist calls them."
THERAPIST_HELP = "The therapist's Telegram user id (see `checkin therapist list`)."


def client_ref(value: str | None) -> str | None:
    """A Telegram id must be positive, as for every id; any other text is a name."""
    if value is not None and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        positive_id(int(value))
    return value


ClientRef = Annotated[
    str, typer.Option("--client", metavar="CLIENT", callback=client_ref, help=CLIENT_HELP)
]
SomeClientRef = Annotated[
    str | None,
    typer.Option(
        "--client", metavar="CLIENT", callback=client_ref, help="Only this client. " + CLIENT_HELP
    ),
]
TherapistRef = Annotated[
    int, typer.Option("--therapist", metavar="ID", callback=positive_id, help=THERAPIST_HELP)
]
SomeTherapistRef = Annotated[
    int | None,
    typer.Option(
        "--therapist",
        metavar="ID",
        callback=positive_id,
        help="Only this therapist. " + THERAPIST_HELP,
    ),
]


async def resolve_client(s: AsyncSession, ref: str, therapist: Therapist | None = None) -> Client:
    """The client `ref` names (a Telegram id or a name), among `therapist`'s clients if given."""
    query = select(Client)
    if therapist is not None:
        query = query.where(Client.therapist_id == therapist.id)
    clients = list((await s.exec(query)).all())
    matches = match_clients(clients, ref)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousClientError(ref.strip(), matches)
    key: object = int(ref) if ref.strip().isdigit() else ref
    raise NotFoundError("client", key, "See `checkin client list` for names and Telegram ids.")


async def resolve_therapist(s: AsyncSession, telegram_id: int) -> Therapist:
    return await require_therapist(s, telegram_id)


def client_list(ctx: typer.Context, therapist: SomeTherapistRef = None) -> None:
    """List clients: their name, Telegram id, status and therapist."""
    config = state(ctx).config()

    async def go() -> Table:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                query = select(Client)
                if therapist is not None:
                    found = await resolve_therapist(s, therapist)
                    query = query.where(Client.therapist_id == found.id)
                clients = list((await s.exec(query)).all())
                therapists = {t.id: t for t in (await s.exec(select(Therapist))).all()}
        finally:
            await db.dispose()
        now = datetime.now(UTC)
        table = Table("client", "Telegram id", "Telegram name", "status", "therapist")
        for c in sorted(clients, key=lambda c: (client_name(c).casefold(), c.telegram_id)):
            t = therapists.get(c.therapist_id)
            zone = _zone(t)
            table.add_row(
                distinct_name(c, clients),
                str(c.telegram_id),
                c.first_name or "",
                status_words(c, now, zone),
                f"{t.name} ({t.telegram_id})" if t else "",
            )
        return table

    table = run_async(go())
    console.print(table)
    console.print(
        f"{counted(table.row_count, 'client')}. Times in the therapist's zone (else UTC).",
        style="dim",
    )


def therapist_list(ctx: typer.Context) -> None:
    """List therapists: name, Telegram id, time zone, hours and how many clients."""
    config = state(ctx).config()

    async def go() -> Table:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                therapists = list((await s.exec(select(Therapist))).all())
                clients = list((await s.exec(select(Client))).all())
        finally:
            await db.dispose()
        table = Table("therapist", "Telegram id", "time zone", "hours", "clients")
        for t in sorted(therapists, key=lambda t: t.name.casefold()):
            count = sum(1 for c in clients if c.therapist_id == t.id)
            table.add_row(t.name, str(t.telegram_id), t.timezone or "", t.hours or "", str(count))
        return table

    table = run_async(go())
    console.print(table)
    console.print(f"{counted(table.row_count, 'therapist')}.", style="dim")


def _zone(therapist: Therapist | None) -> ZoneInfo:
    try:
        return ZoneInfo((therapist.timezone if therapist else None) or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
