"""Commands for running the service: `checkin config check` and `checkin db upgrade`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import EXIT_INVALID, console, fail, run_async, state
from bot.config import load_config, resolve_config_path
from bot.config.meaning import meaning_problems
from bot.errors import ConfigError
from bot.service import texts
from bot.storage import Database, upgrade_database

config_app = typer.Typer(help="Check the configuration.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)


@config_app.command("check")
def config_check(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="The file to check (default: --config).")
    ] = None,
) -> None:
    """Validate a configuration file and print every problem at once."""
    target = path or state(ctx).config_path
    try:
        config = load_config(target)
    except ConfigError as exc:
        fail(str(exc), code=EXIT_INVALID)
    resolved = resolve_config_path(target, os.environ)
    problems = meaning_problems(config, resolved, texts.LANGUAGES)
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        fail(
            f"{resolved or 'built-in defaults'}: {len(problems)} problem(s):\n{listing}",
            code=EXIT_INVALID,
        )
    source = str(resolved) if resolved else "built-in defaults"
    console.print(
        f"{source}: OK (clinic {config.clinic.name!r}, database {_safe_url(config.database_url)})"
    )


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database schema to the newest version (safe to run twice)."""
    config = state(ctx).config()

    async def upgrade() -> tuple[str | None, str | None]:
        db = Database(config.database_url)
        try:
            return await upgrade_database(db)
        finally:
            await db.dispose()

    before, after = run_async(upgrade())
    where = _safe_url(config.database_url)
    if before == after:
        console.print(f"{where}: already at revision {after}; nothing to do.")
    else:
        console.print(f"{where}: upgraded from {before or 'an empty database'} to {after}.")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine.url import make_url

    return make_url(url).render_as_string(hide_password=True)


def doctor(
    ctx: typer.Context,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Do not ask Telegram (token and therapists unchecked)."),
    ] = False,
) -> None:
    """Check that this deployment is ready (config, token, database, flows, therapists) and say
    what to fix. Changes nothing."""
    from bot.doctor import NOT_CHECKED_OFFLINE, examine

    cli = state(ctx)
    config = cli.config()
    source = resolve_config_path(cli.config_path, os.environ)
    findings = run_async(examine(config, source, texts.LANGUAGES, online=not offline))
    for finding in findings:
        console.print(str(finding), markup=False, highlight=False)
    broken = [f for f in findings if not f.ok]
    if offline:
        console.print(NOT_CHECKED_OFFLINE, markup=False, highlight=False)
    if broken:
        fail(f"{len(broken)} thing(s) to fix before clients can use this bot.", code=1)
    if offline:
        console.print("The offline checks passed; the checks above are still to do.")
        return
    console.print("All checks passed: ready for clients.")


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.add_typer(config_app, name="config")
    app.add_typer(db_app, name="db")
