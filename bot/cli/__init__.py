"""The `checkin` command line. Each area registers its commands from its own module."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from bot import __version__
from bot.cli import (
    admin,
    flows,
    keys,
    measures,
    privacy,
    report,
    safety,
    service,
    sessions,
    triage,
)
from bot.cli.common import CliState

_typer_argument_type = typer.core.TyperArgument.display_type_rich


def _argument_type(self: typer.core.TyperArgument, ctx: Any) -> str | None:
    # typer shows an argument's Python type (`<list[Path]>`) even when a metavar (`PATH...`)
    # already says what to write; options honour the metavar, arguments do not.
    return None if self.metavar is not None else _typer_argument_type(self, ctx)


typer.core.TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign,assignment]

app = typer.Typer(
    name="checkin",
    help="checkin: a Telegram companion for therapy clients between sessions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"checkin {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            envvar="CHECKIN_CONFIG",
            help="Configuration file (default: $CHECKIN_CONFIG, then ./config.yaml, then built-in).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """checkin: a Telegram companion for therapy clients between sessions."""
    ctx.obj = CliState(config_path=config)


admin.register(app)
service.register(app)
flows.register(app)
sessions.register(app)
triage.register(app)
safety.register(app)
keys.register(app)
privacy.register(app)
measures.register(app)
report.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
