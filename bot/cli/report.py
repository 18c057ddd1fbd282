"""`checkin report --client CLIENT [--since DATE] --pdf FILE`: the printable client report."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import EXIT_INVALID, console, fail, run_async, state
from bot.cli.people import ClientRef, resolve_client
from bot.service.report import ReportDrawing, client_report
from bot.storage import Database
from bot.storage.data_keys import prepare_database


def report(
    ctx: typer.Context,
    client: ClientRef,
    pdf: Annotated[
        Path, typer.Option("--pdf", metavar="FILE", dir_okay=False, help="Where to write the PDF.")
    ],
    since: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Start of the period (YYYY-MM-DD, UTC); default: the end of the last session.",
        ),
    ] = None,
) -> None:
    """Write a client's report (summary and chart, marked confidential) as a PDF; audited."""
    config = state(ctx).config()
    start = None
    if since is not None:
        try:
            start = datetime.combine(date.fromisoformat(since), time(), tzinfo=UTC)
        except ValueError:
            fail(f"--since {since!r} is not a date; use YYYY-MM-DD", EXIT_INVALID)

    async def go() -> ReportDrawing:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            async with db.session() as s:
                found = await resolve_client(s, client)
                return await client_report(
                    s, config, found, datetime.now(UTC), actor="cli", since=start
                )
        finally:
            await db.dispose()

    # Read in the transaction, drawn after it (the chart and the PDF take a moment).
    content = run_async(go()).render()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(content)
    console.print(
        f"Wrote {pdf} ({len(content) // 1024} KiB). It is confidential; the read is audited."
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
