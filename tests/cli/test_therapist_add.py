"""`checkin therapist add` says where a therapist's alerts go until they open the bot: the
clinic's fallback contact if one is set, else that they reach nobody and how to fix it; the
lists count in words that agree with the number."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()
ADD = ("therapist", "add", "--name", "Dr. Ana Ruiz", "--telegram-id", "123456789")


def _config(tmp_path: Path, fallback: str) -> Path:
    config = tmp_path / "c.yaml"
    config.write_text(
        f'database_url: "sqlite:///{tmp_path / "t.sqlite3"}"\n'
        f"alerts:\n  fallback_chat_id: {fallback}\n",
        "utf-8",
    )
    return config


def _said(result: object) -> str:
    return " ".join(str(getattr(result, "output", "")).split())


def test_without_a_fallback_the_alerts_reach_nobody_and_the_fix_is_named(tmp_path: Path) -> None:
    result = runner.invoke(app, ["-c", str(_config(tmp_path, "null")), *ADD])
    assert result.exit_code == 0, result.output
    said = _said(result)
    assert (
        "until then their alerts reach nobody, because alerts.fallback_chat_id is not set" in said
    )
    assert "set it in the config to the Telegram chat id of an on-call colleague" in said
    assert "go to the clinic's fallback contact" not in said


def test_with_a_fallback_the_alerts_go_to_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["-c", str(_config(tmp_path, "-100123")), *ADD])
    assert result.exit_code == 0, result.output
    said = _said(result)
    assert "their alerts go to the clinic's fallback contact (alerts.fallback_chat_id)" in said
    assert "reach nobody" not in said


def test_one_therapist_is_counted_in_the_singular(tmp_path: Path) -> None:
    config = _config(tmp_path, "null")
    assert runner.invoke(app, ["-c", str(config), *ADD]).exit_code == 0
    listed = runner.invoke(app, ["-c", str(config), "therapist", "list"])
    assert listed.exit_code == 0, listed.output
    assert "1 therapist." in listed.output
    assert "1 therapists" not in listed.output
    clients = runner.invoke(app, ["-c", str(config), "client", "list"])
    assert "0 clients." in clients.output
