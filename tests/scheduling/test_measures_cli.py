"""`checkin measures set|show` through typer's CliRunner on a SQLite file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sched_rows import make_client, make_therapist, rows
from typer.testing import CliRunner

from bot.cli import app
from bot.storage import Database, upgrade_database

runner = CliRunner()
FLOWS = Path(__file__).resolve().parents[2] / "flows"


@pytest.fixture
def config(tmp_path: Path) -> tuple[Path, str]:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    async def prepare() -> None:
        db = Database(url)
        try:
            await upgrade_database(db)
            therapist = await make_therapist(db)
            await make_client(db, therapist, timezone="Europe/Berlin")
        finally:
            await db.dispose()

    asyncio.run(prepare())
    path = tmp_path / "config.yaml"
    path.write_text(f'database_url: "{url}"\nflows_dir: "{FLOWS}"\n')
    return path, url


def cli(config: tuple[Path, str], *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--config", str(config[0]), *args])
    assert result.exit_code == code, result.output
    return result.output


def test_set_a_clients_measures_fixed_weekday_plans_them(config: tuple[Path, str]) -> None:
    out = cli(
        config,
        "measures",
        "set",
        "--therapist",
        "500",
        "--client",
        "1001",  # the client's Telegram id, as in every command
        "--measures",
        "phq9,gad7",
        "--every-weeks",
        "2",
        "--anchor",
        "fixed",
    )
    assert "PHQ-9 and GAD-7, every 2 weeks" in out
    assert "PHQ-9 and GAD-7, every 2 weeks" in cli(
        config, "measures", "show", "--therapist", "500", "--client", "1001"
    )

    async def planned() -> list[str]:
        db = Database(config[1])
        try:
            return sorted(k for k in await rows(db) if k.startswith("measure:"))
        finally:
            await db.dispose()

    assert len(asyncio.run(planned())) == 2  # weeks 0 and 2 of the four planned ahead


def test_a_therapists_default_and_an_unknown_measure(config: tuple[Path, str]) -> None:
    cli(config, "measures", "set", "--therapist", "500", "--measures", "gad7", "--every-weeks", "1")
    assert "GAD-7, every week" in cli(config, "measures", "show", "--therapist", "500")
    assert "(default)" in cli(config, "measures", "show", "--therapist", "500", "--client", "1001")
    out = cli(config, "measures", "set", "--therapist", "500", "--measures", "phq8", code=2)
    assert "unknown measure 'phq8'" in out
    assert "phq9" in out
