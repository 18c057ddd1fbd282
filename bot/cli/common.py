"""What every command shares: the --config option, loading it, and exiting with clear errors."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console

from bot.config import Config, load_config
from bot.errors import CheckinError, ConfigError

T = TypeVar("T")
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

# Exit codes: 0 ok, 1 runtime failure, 2 invalid input (config, flows, scenario, arguments).
EXIT_INVALID = 2


@dataclass
class CliState:
    config_path: Path | None = None
    _config: Config | None = None

    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                fail(str(exc), code=EXIT_INVALID)
        return self._config


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    return obj


def positive_id(value: int | None) -> int | None:
    """Refuse ids that cannot exist (Telegram user ids and record ids are positive)."""
    if value is not None and value <= 0:
        raise typer.BadParameter(
            f"{value} cannot be an id: ids are positive whole numbers, like 123456789 "
            "(a Telegram user can see theirs with @userinfobot)"
        )
    return value


def counted(n: int, word: str, plural: str | None = None) -> str:
    """`1 therapist`, `2 therapists`: a count with its noun in the right number."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(message, markup=False, highlight=False)
    raise typer.Exit(code)


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine for a command, turning our own errors into one clear line."""
    try:
        return asyncio.run(coro)
    except CheckinError as exc:
        fail(str(exc))
