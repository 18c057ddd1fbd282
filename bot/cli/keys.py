"""`checkin keys new` and `checkin keys rotate`: the data encryption keys (see docs/privacy.md)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli.common import console, err_console, run_async, state
from bot.storage import Database
from bot.storage.crypto import KEYS_ENV, active_keyring, new_key
from bot.storage.data_keys import forget_all_but_newest, prepare_database
from bot.storage.rotation import DEFAULT_BATCH, RotationReport, count_rows, rotate

keys_app = typer.Typer(
    help="Data encryption keys: make one, rotate to the newest.", no_args_is_help=True
)


@keys_app.command("new")
def keys_new() -> None:
    """Print a fresh random key. Run it once and store the key: a database refuses a key its
    data is not under. To rotate, put the new key first in CHECKIN_DATA_KEYS, the old after it."""
    typer.echo(new_key())


@keys_app.command("rotate")
def keys_rotate(
    ctx: typer.Context,
    batch_size: Annotated[
        int, typer.Option(min=1, metavar="ROWS", help="Rows per transaction.")
    ] = DEFAULT_BATCH,
) -> None:
    """Re-encrypt every stored value under the newest key (the first in CHECKIN_DATA_KEYS).

    Safe while the bot runs and safe to interrupt: run it again and it goes on where it stopped.
    Exits 1, listing them, if any stored value does not decrypt with the listed keys.
    """
    config = state(ctx).config()

    async def go() -> RotationReport:
        ring = active_keyring()
        db = Database(config.database_url)
        try:
            await prepare_database(db, ring)  # refuses a ring that holds none of the data's keys
            totals = await count_rows(db)
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as bar:
                tasks = {name: bar.add_task(name, total=total) for name, total in totals.items()}
                report = await rotate(
                    db,
                    ring,
                    batch_size=batch_size,
                    progress=lambda table, n: bar.advance(tasks[table], n),
                )
            if not report.failures:
                await forget_all_but_newest(db, ring)  # older keys may now leave the ring
            return report
        finally:
            await db.dispose()

    report = run_async(go())
    console.print(
        f"Rotated {report.rotated} values to key {active_keyring().newest_id}; "
        f"{report.current} were already under it"
        + (
            f", {report.changed_meanwhile} were rewritten by the bot meanwhile"
            if report.changed_meanwhile
            else ""
        )
        + "."
    )
    if report.failures:
        err_console.print(f"{len(report.failures)} stored values do not decrypt (left unchanged):")
        for f in report.failures:
            err_console.print(f"  {f.table} row {f.row_id}, column {f.column}, key id {f.key_id}")
        err_console.print(
            f"Add the key that wrote them to {KEYS_ENV}, or restore those rows from a backup."
        )
        raise typer.Exit(1)
    console.print(f"Every value is under the newest key: older keys may now leave {KEYS_ENV}.")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
