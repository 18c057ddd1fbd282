"""One way to name people on the command line: every command takes a therapist's Telegram id
as `--therapist ID` and a client's Telegram id (or name) as `--client`; internal ids are neither
taken nor shown; `client list` and `therapist list` show the ids to use."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import app
from bot.storage import Database, upgrade_database
from bot.storage.models import Client, Therapist

runner = CliRunner()
DAY = date.today() + timedelta(days=3)
# Internal row ids are 1 and 2; the Telegram ids differ, so taking the wrong kind shows.
RUIZ, OTHER, SAM_K, SAM = 500, 600, 1001, 1002


@pytest.fixture
def config(tmp_path: Path) -> Path:
    url = f"sqlite:///{tmp_path / 'people.sqlite3'}"

    async def prepare() -> None:
        db = Database(url)
        try:
            await upgrade_database(db)
            async with db.session() as s:
                ruiz = Therapist(telegram_id=RUIZ, name="Dr. Ruiz", timezone="Europe/Berlin")
                other = Therapist(telegram_id=OTHER, name="Dr. Other")
                s.add_all([ruiz, other])
                await s.flush()
                for therapist, telegram_id, label in ((ruiz, SAM_K, "Sam K."), (other, SAM, None)):
                    assert therapist.id is not None
                    s.add(
                        Client(
                            therapist_id=therapist.id,
                            telegram_id=telegram_id,
                            chat_id=telegram_id,
                            first_name="Sam",
                            label=label,
                            consent_checkins=True,
                        )
                    )
        finally:
            await db.dispose()

    asyncio.run(prepare())
    path = tmp_path / "config.yaml"
    path.write_text(f'database_url: "{url}"\ntelegram:\n  bot_username: "checkin_bot"\n')
    return path


def run(config: Path, *args: str) -> Any:
    return runner.invoke(app, ["--config", str(config), *args], env={"COLUMNS": "200"})


def ok(config: Path, *args: str) -> str:
    result = run(config, *args)
    assert result.exit_code == 0, result.output
    return str(result.output)


def ics(tmp_path: Path) -> str:
    path = tmp_path / "cal.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        f"DTSTART:{DAY:%Y%m%d}T130000Z\r\nDTEND:{DAY:%Y%m%d}T135000Z\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    return str(path)


def by_client(ref: str, tmp_path: Path) -> list[list[str]]:
    """Every command that names a client, naming it by `ref`."""
    return [
        ["session", "add", "--client", ref, "--start", f"{DAY} 15:00"],
        ["session", "list", "--client", ref],
        ["session", "import", ics(tmp_path), "--client", ref],
        ["timing", "show", "--client", ref],
        ["timing", "set", "--therapist", str(RUIZ), "--client", ref, "--offsets", "2h"],
        ["client", "export", "--client", ref, "--out", str(tmp_path / "out")],
        ["audit", "--client", ref],
        ["report", "--client", ref, "--pdf", str(tmp_path / "report.pdf")],
        ["measures", "show", "--therapist", str(RUIZ), "--client", ref],
        ["measures", "set", "--therapist", str(RUIZ), "--client", ref, "--measures", "phq9"],
    ]


def by_therapist(ref: str) -> list[list[str]]:
    """Every command that names a therapist, naming them by `ref`."""
    return [
        ["session", "list", "--therapist", ref],
        ["timing", "show", "--therapist", ref],
        ["timing", "set", "--therapist", ref, "--offsets", "1d"],
        ["therapist", "triage", "--therapist", ref, "--persist-days", "3"],
        ["invite", "--therapist", ref, "--label", "Alex"],
        ["client", "list", "--therapist", ref],
        ["measures", "show", "--therapist", ref],
    ]


def test_every_command_takes_the_telegram_id_and_none_takes_an_internal_id(
    config: Path, tmp_path: Path
) -> None:
    for args in by_client(str(SAM_K), tmp_path) + by_therapist(str(RUIZ)):
        ok(config, *args)
    for args in by_client("1", tmp_path):
        result = run(config, *args)
        assert result.exit_code == 1, args
        assert "No client with the id 1 was found" in result.output, args
    for args in by_therapist("1"):
        result = run(config, *args)
        assert result.exit_code == 1, args
        assert "No therapist with the id 1 was found" in result.output, args


def add_client(config: Path, telegram_id: int, first_name: str) -> None:
    url = config.read_text().split('"')[1]

    async def go() -> None:
        db = Database(url)
        try:
            async with db.session() as s:
                s.add(
                    Client(
                        therapist_id=1,
                        telegram_id=telegram_id,
                        chat_id=telegram_id,
                        first_name=first_name,
                    )
                )
        finally:
            await db.dispose()

    asyncio.run(go())


def test_a_client_is_named_by_label_and_an_ambiguous_name_lists_the_candidates(
    config: Path,
) -> None:
    assert "Session 1 for Sam K. (Telegram id 1001)" in ok(
        config, "session", "add", "--client", "sam k.", "--start", f"{DAY} 15:00"
    )
    # "Sam" is Sam K.'s Telegram name too, but a labelled client answers to the label only.
    assert "Sam (Telegram id 1002)" in ok(config, "timing", "show", "--client", "Sam")
    add_client(config, 1003, "Sam")
    result = run(config, "timing", "show", "--client", "Sam")
    assert result.exit_code == 1
    assert "Several clients are called 'Sam': Sam · id 1002, Sam · id 1003." in result.output
    assert "Use the Telegram id instead." in result.output


def test_client_list_and_therapist_list_show_names_and_telegram_ids(config: Path) -> None:
    clients = ok(config, "client", "list")
    assert "Sam K." in clients
    assert "1001" in clients
    assert "Dr. Ruiz (500)" in clients
    assert "2 clients" in clients
    only = ok(config, "client", "list", "--therapist", str(OTHER))
    assert "1002" in only
    assert "1001" not in only
    therapists = ok(config, "therapist", "list")
    assert "Dr. Ruiz" in therapists
    assert "Europe/Berlin" in therapists
    assert "2 therapists" in therapists


def test_timing_show_of_an_unknown_therapist_is_an_error(config: Path) -> None:
    result = run(config, "timing", "show", "--therapist", "999")
    assert result.exit_code == 1
    assert "No therapist with the id 999 was found" in result.output


def commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if hasattr(group, "commands"):
        return [c for name, sub in group.commands.items() for c in commands(sub, (*path, name))]
    return [(path, group)]


def test_every_client_and_therapist_option_is_the_same_kind() -> None:
    """Each --client takes CLIENT (Telegram id or name); each --therapist an ID (Telegram)."""
    seen = set()
    for path, command in commands(typer.main.get_command(app)):
        for param in command.params:
            if "--client" in param.opts:
                seen.add(path)
                assert param.metavar == "CLIENT", path
                assert "Telegram user id" in (param.help or ""), path
            if "--therapist" in param.opts:
                seen.add(path)
                assert param.metavar == "ID", path
                assert "Telegram user id" in (param.help or ""), path
    assert len(seen) >= 10
