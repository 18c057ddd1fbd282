"""The command line explains itself: readable types and a help text for every option, and ids
that cannot exist are refused with a clear message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if hasattr(group, "commands"):  # a group (typer vendors its own click)
        for name, command in group.commands.items():
            yield from commands(command, (*path, name))
    else:
        yield path


ROOT = typer.main.get_command(app)
ALL = sorted(commands(ROOT))


def command_at(path: tuple[str, ...]) -> Any:
    command: Any = ROOT
    for name in path:
        command = command.commands[name]
    return command


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_every_option_has_help_and_a_readable_type(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<list[" not in result.output
    assert "range>" not in result.output
    for param in command_at(path).params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"checkin {' '.join(path)} {param.opts[0]} has no help text"


def test_therapist_triage_documents_each_threshold() -> None:
    result = runner.invoke(app, ["therapist", "triage", "--help"], env={"COLUMNS": "200"})
    for text in ("--persist-days", "DAYS", "counts as raised", "counts as significant"):
        assert text in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["therapist", "add", "--name", "Dr. X", "--telegram-id", "-5"],
        ["therapist", "triage", "--telegram-id", "0", "--persist-days", "3"],
        ["invite", "--therapist", "-1"],
        ["session", "list", "--client", "-3"],
        ["timing", "show", "--therapist", "-7"],
    ],
)
def test_an_id_that_cannot_exist_is_refused(args: list[str]) -> None:
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "cannot be an id: ids are positive whole numbers" in result.output
