"""`checkin config check` checks what the configuration means, in words for a person: the flows
folder exists, every language has its texts, country codes are ISO 3166, time zones exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import load_config
from bot.config.meaning import meaning_problems
from bot.errors import ConfigError
from bot.service import texts

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
runner = CliRunner()


def check(tmp_path: Path, body: str) -> tuple[int, str]:
    path = tmp_path / "config.yaml"
    path.write_text(body, "utf-8")
    result = runner.invoke(app, ["config", "check", str(path)])
    return result.exit_code, result.output


def test_the_example_configuration_passes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config", "check", str(ROOT / "config.example.yaml")])
    assert result.exit_code == 0, result.output
    assert ": OK" in result.output


def test_a_flows_dir_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    code, output = check(tmp_path, "flows_dir: nowhere\n")
    assert code == 2
    assert "config.yaml:1: flows_dir: the folder 'nowhere' does not exist" in output


def test_a_language_with_no_texts_is_an_error(tmp_path: Path) -> None:
    """`fr` has neither the bot's own texts nor flow texts: both are named, with the fix."""
    code, output = check(tmp_path, f"clinic:\n  languages: [en, fr]\nflows_dir: {FLOWS}\n")
    assert code == 2
    assert "clinic.languages: the bot's own texts (help, errors, crisis lines) have no 'fr'" in (
        output
    )
    assert "have no 'fr' version (about.yaml" in output
    assert "remove 'fr' from clinic.languages" in output


def test_german_is_complete(tmp_path: Path) -> None:
    code, output = check(tmp_path, f"clinic:\n  languages: [en, de]\nflows_dir: {FLOWS}\n")
    assert code == 0, output


@pytest.mark.parametrize(("written", "meant"), [("UK", "GB"), ("EL", "GR")])
def test_a_country_code_that_is_not_iso_3166_says_which_one_was_meant(
    tmp_path: Path, written: str, meant: str
) -> None:
    body = (
        f"crisis:\n  default_region: GB\n  regions:\n    GB: {{emergency: '999'}}\n"
        f"    {written}: {{emergency: '112'}}\nflows_dir: {FLOWS}\n"
    )
    code, output = check(tmp_path, body)
    assert code == 2
    assert f"config.yaml:5: crisis.regions.{written}: '{written}' is not an ISO 3166" in output
    assert f"Did you mean {meant}" in output


def test_a_misspelt_time_zone_gets_a_did_you_mean(tmp_path: Path) -> None:
    code, output = check(tmp_path, "clinic:\n  timezone: Europe/Londn\n")
    assert code == 2
    assert "config.yaml:2: clinic.timezone: 'Europe/Londn' is not a time zone" in output
    assert "Did you mean Europe/London" in output


RAW_LIBRARY_WORDS = ("Input should", "Field required", "String should", "valid list", "pydantic")


@pytest.mark.parametrize(
    "body",
    [
        "clinic:\n  languages: en\n",
        "clinic:\n  languages: [english]\n",
        "clinic: hello\n",
        "telegram:\n  mode: push\n",
        "telegram:\n  port: 70000\n",
        "triage:\n  persist_days: many\n",
        "followups:\n  max_pings_per_day: 0\n",
        "followups:\n  day_before_next_session: perhaps\n",
        "crisis:\n  default_region: gb\n",
        "clinic:\n  languages: []\n",
        "log_level: LOUD\n",
    ],
)
def test_every_message_is_phrased_for_a_person(tmp_path: Path, body: str) -> None:
    """No message reads like the validation library ("Input should be a valid list")."""
    code, output = check(tmp_path, body)
    assert code == 2
    assert not [word for word in RAW_LIBRARY_WORDS if word in output], output


def test_a_list_written_as_one_word_shows_how_to_write_the_list(tmp_path: Path) -> None:
    _, output = check(tmp_path, "clinic:\n  languages: en\n")
    assert "config.yaml:2: clinic.languages: must be a list, like [en]" in output


def test_meaning_problems_are_empty_for_the_defaults() -> None:
    config = load_config(ROOT / "config.example.yaml", environ={})
    assert meaning_problems(config, ROOT / "config.example.yaml", texts.LANGUAGES) == []


def test_the_shape_is_still_checked_at_load(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("clinic:\n  languages: en\n", "utf-8")
    with pytest.raises(ConfigError):
        load_config(path, environ={})
