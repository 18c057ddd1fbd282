"""`checkin db upgrade` creates the schema on a new database; a second run changes nothing."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli import app


def test_db_upgrade_twice(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(f'database_url: "sqlite:///{tmp_path / "new.sqlite3"}"\n')
    runner = CliRunner()
    first = runner.invoke(app, ["--config", str(config), "db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert "upgraded from an empty database" in first.output
    second = runner.invoke(app, ["--config", str(config), "db", "upgrade"])
    assert "nothing to do" in second.output
