"""Configuration: defaults equal the example, every problem named with its line and the fix."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import Config, load_config, parse_duration
from bot.config.durations import format_duration
from bot.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), environ={})
    return caught.value.problems


class TestDefaults:
    def test_built_in_defaults_equal_the_example_file(self):
        """The demo needs no file: no file means exactly what config.example.yaml says."""
        example = load_config(EXAMPLE, environ={})
        defaults = load_config(None, environ={})
        assert example.model_dump(exclude={"flows_dir"}) == defaults.model_dump(
            exclude={"flows_dir"}
        )
        assert example.followups.offsets == [
            timedelta(hours=3),
            timedelta(days=1),
            timedelta(days=3),
        ]
        assert example.triage.persist_days == 2

    def test_config_path_falls_back_to_the_environment(self, tmp_path):
        """No --config: $CHECKIN_CONFIG is read."""
        path = write(tmp_path, 'clinic: {name: "Env Clinic"}\n')
        assert load_config(None, environ={"CHECKIN_CONFIG": str(path)}).clinic.name == "Env Clinic"


class TestProblems:
    def test_a_misspelt_key_is_an_error_with_a_suggestion_and_line(self, tmp_path):
        found = problems(tmp_path, "clinic:\n  nmae: x\n")
        assert found == [
            f"{tmp_path / 'config.yaml'}:2: clinic.nmae: unknown key. Did you mean 'name'?"
        ]

    def test_a_bad_offset_names_key_value_and_forms(self, tmp_path):
        (line,) = problems(tmp_path, 'followups:\n  offsets: ["3 hourz", "1d"]\n')
        assert ":2: followups.offsets.0" in line
        assert "'3 hourz'" in line
        assert "30m, 3h, 1d" in line

    def test_quiet_hours_25_00_is_refused_even_unquoted(self, tmp_path):
        """YAML reads 25:00 as a number; the message still shows it as the time it was."""
        (line,) = problems(tmp_path, "followups:\n  quiet_hours:\n    start: 25:00\n")
        assert "followups.quiet_hours.start" in line
        assert "'25:00'" in line
        assert "HH:MM" in line

    def test_every_problem_is_reported_at_once(self, tmp_path):
        found = problems(
            tmp_path, "clinic:\n  nmae: x\n  timezone: Mars/Base\ntriage:\n  persist_days: 0\n"
        )
        assert len(found) == 3

    def test_a_yaml_syntax_error_names_the_line(self, tmp_path):
        (line,) = problems(tmp_path, 'clinic:\n  name: "unclosed\n  x: [\n')
        assert "YAML syntax error at line" in line

    def test_an_unclosed_quote_names_the_line_where_it_began(self, tmp_path):
        """YAML only notices at the end of the file; the quote was opened on line 2."""
        (line,) = problems(tmp_path, 'clinic:\n  name: "x\n  languages: [en]\n')
        assert "began at line 2" in line

    def test_webhook_mode_needs_a_url(self, tmp_path):
        (line,) = problems(tmp_path, "telegram:\n  mode: webhook\n")
        assert "webhook_url" in line


class TestEnvironment:
    def test_secrets_and_overrides_come_from_the_environment(self):
        env = {
            "TELEGRAM_BOT_TOKEN": "1:SECRET",
            "DATABASE_URL": "postgresql+asyncpg://db/x",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
        }
        config = load_config(None, environ=env)
        assert config.bot_token is not None
        assert config.bot_token.get_secret_value() == "1:SECRET"
        assert "SECRET" not in repr(config)
        assert config.database_url == "postgresql+asyncpg://db/x"
        assert config.telegram.api_base_url == "http://127.0.0.1:9/bot"

    def test_each_replica_takes_its_port_from_the_environment(self, tmp_path):
        """docs/deploy.md: one config.yaml for every replica, TELEGRAM_WEBHOOK_PORT per replica."""
        path = tmp_path / "config.yaml"
        path.write_text(
            "telegram:\n  mode: webhook\n  webhook_url: https://bot.example.org/telegram\n"
            "  port: 8081\n"
        )
        assert load_config(path, environ={}).telegram.port == 8081
        config = load_config(path, environ={"TELEGRAM_WEBHOOK_PORT": "8082"})
        assert config.telegram.port == 8082
        assert config.telegram.webhook_url == "https://bot.example.org/telegram"

    @pytest.mark.parametrize("value", ["eighty", "0", "70000", "80 81"])
    def test_a_port_that_is_no_port_is_refused_with_the_fix(self, value):
        with pytest.raises(ConfigError) as error:
            load_config(None, environ={"TELEGRAM_WEBHOOK_PORT": value})
        assert "TELEGRAM_WEBHOOK_PORT" in str(error.value)
        assert "1 to 65535" in str(error.value)

    @pytest.mark.parametrize(
        ("token", "problem"),
        [
            ("not-a-token", "is not shaped like a bot token"),
            ("987654", "is not shaped like a bot token"),
            ("987654:", "is not shaped like a bot token"),
            ("987654:AAE sec ret", "has a space or line break inside it"),
            ("  \n", "holds only spaces or line breaks"),
        ],
    )
    def test_a_malformed_token_is_refused_at_load_without_showing_it(self, token, problem):
        """Refused before anything asks Telegram (which retried a bad token for 94 s)."""
        with pytest.raises(ConfigError) as caught:
            load_config(None, environ={"TELEGRAM_BOT_TOKEN": token})
        message = str(caught.value)
        assert f"TELEGRAM_BOT_TOKEN {problem}" in message
        assert "@BotFather" in message
        if token.strip():
            assert token.strip() not in message

    def test_run_with_a_malformed_token_stops_at_once_with_the_fix(self, tmp_path):
        """Exit 2 with the fix, before the database or Telegram is touched (no 94 s of retries)."""
        database = tmp_path / "r.sqlite3"
        result = CliRunner().invoke(
            app,
            ["run"],
            env={"TELEGRAM_BOT_TOKEN": "not-a-token", "DATABASE_URL": f"sqlite:///{database}"},
        )
        assert result.exit_code == 2
        assert "TELEGRAM_BOT_TOKEN is not shaped like a bot token" in result.output
        assert "not-a-token" not in result.output
        assert not database.exists()

    def test_spaces_and_a_line_break_around_the_token_are_removed_with_a_note(self, caplog):
        token = "987654:AAE_secret-Part"
        config = load_config(None, environ={"TELEGRAM_BOT_TOKEN": f" {token}\n"})
        assert config.bot_token is not None
        assert config.bot_token.get_secret_value() == token
        assert "TELEGRAM_BOT_TOKEN had spaces or a line break around it" in caplog.text
        assert token not in caplog.text


class TestDurations:
    @pytest.mark.parametrize(
        ("text", "delta"),
        [
            ("30m", timedelta(minutes=30)),
            ("3h", timedelta(hours=3)),
            ("1d12h", timedelta(hours=36)),
            ("2w", timedelta(weeks=2)),
        ],
    )
    def test_round_trip(self, text, delta):
        assert parse_duration(text) == delta
        assert format_duration(delta) == text

    def test_quiet_hours_span_midnight(self):
        quiet = Config().followups.quiet_hours
        assert quiet.contains(time(23, 0))
        assert quiet.contains(time(7, 0))
        assert not quiet.contains(time(12, 0))


class TestCheckCommand:
    def test_the_example_passes_and_a_broken_file_exits_2(self, tmp_path):
        runner = CliRunner()
        assert runner.invoke(app, ["config", "check", str(EXAMPLE)]).exit_code == 0
        broken = write(tmp_path, "clinic:\n  nmae: x\n")
        result = runner.invoke(app, ["config", "check", str(broken)])
        assert result.exit_code == 2
        assert "clinic.nmae: unknown key" in result.output


def test_built_in_defaults_find_the_shipped_flows_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `checkin demo` started outside the checkout used to fail with "flows: cannot read the file".
    monkeypatch.chdir(tmp_path)
    config = load_config(None, environ={})
    assert config.flows_dir.is_absolute()
    assert (config.flows_dir / "onboarding.yaml").is_file()


def test_a_flows_folder_in_the_current_directory_still_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "flows").mkdir()
    monkeypatch.chdir(tmp_path)
    assert load_config(None, environ={}).flows_dir == Path("flows")
