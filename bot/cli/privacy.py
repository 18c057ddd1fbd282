"""Access and erasure requests and the audit trail: `checkin client export|delete`, `checkin audit`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import select

from bot.cli.common import console, fail, run_async, state
from bot.cli.people import CLIENT_HELP, client_list, client_ref, resolve_client
from bot.service.audit import audit_entries
from bot.service.privacy import erase_client, export_client
from bot.storage import Database
from bot.storage.data_keys import prepare_database
from bot.storage.models import AuditLog, Client

client_app = typer.Typer(
    help="Clients: list them; export or erase a client's data.", no_args_is_help=True
)

# `--telegram-id` is the older spelling, kept so existing scripts keep working.
TelegramId = Annotated[
    str,
    typer.Option(
        "--client", "--telegram-id", metavar="CLIENT", callback=client_ref, help=CLIENT_HELP
    ),
]


@client_app.command("export")
def client_export(
    ctx: typer.Context,
    telegram_id: TelegramId,
    out: Annotated[Path, typer.Option(help="Folder to write the two files into.")] = Path("."),
) -> None:
    """Write everything held about a client (JSON, and a readable summary) for an access request."""
    config = state(ctx).config()

    async def go() -> tuple[bytes, str, int]:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                client = await resolve_client(s, telegram_id)
                content, summary = await export_client(s, client, datetime.now(UTC), actor="cli")
                return content, summary, client.telegram_id
        finally:
            await db.dispose()

    content, summary, found = run_async(go())
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"checkin-client-{found}.json"
    text_path = out / f"checkin-client-{found}.txt"
    json_path.write_bytes(content)
    text_path.write_text(summary, encoding="utf-8")
    console.print(f"Wrote {json_path} and {text_path} (the export is recorded in the audit log).")


@client_app.command("delete")
def client_delete(
    ctx: typer.Context,
    telegram_id: TelegramId,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a client: every row about them, in every table (an erasure request)."""
    config = state(ctx).config()
    if not yes and not typer.confirm(f"Erase every record of client {telegram_id}? This is final"):
        fail("Nothing was deleted.")

    async def go() -> dict[str, int]:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                client = await resolve_client(s, telegram_id)
                return await erase_client(s, client, datetime.now(UTC), actor="cli")
        finally:
            await db.dispose()

    counts = run_async(go())
    detail = ", ".join(f"{n} {table}" for table, n in counts.items() if n)
    console.print(f"Client {telegram_id} erased ({detail}).")


def audit(
    ctx: typer.Context,
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            metavar="CLIENT",
            callback=client_ref,
            help="Only entries about this client. " + CLIENT_HELP,
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only entries from this day on (YYYY-MM-DD, UTC).")
    ] = None,
) -> None:
    """List who read or changed what, about which client, when (the audit trail)."""
    config = state(ctx).config()
    start = None
    if since is not None:
        try:
            start = datetime.combine(date.fromisoformat(since), time(), tzinfo=UTC)
        except ValueError:
            fail(f"--since {since!r} is not a date; use YYYY-MM-DD", code=2)

    async def go() -> tuple[list[AuditLog], dict[int, int]]:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                client_id = None
                if client is not None:
                    client_id = (await resolve_client(s, client)).id
                entries = await audit_entries(s, client_id=client_id, since=start)
                ids = {c.id: c.telegram_id for c in (await s.exec(select(Client))).all() if c.id}
                return entries, ids
        finally:
            await db.dispose()

    entries, telegram_ids = run_async(go())
    table = Table("when (UTC)", "actor", "action", "client", "target", "count")
    for e in entries:
        who = "" if e.client_id is None else str(telegram_ids.get(e.client_id, f"#{e.client_id}"))
        table.add_row(
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            e.actor,
            e.action,
            who,
            e.target or "",
            "" if e.count is None else str(e.count),
        )
    console.print(table)
    console.print(f"{len(entries)} entries.", style="dim")


def register(app: typer.Typer) -> None:
    client_app.command("list")(client_list)
    app.add_typer(client_app, name="client")
    app.command("audit")(audit)
