"""Hostile YAML: an alias bomb, a huge file, loops and deep nesting are refused by every loader
(configuration, flows, triage scenarios) and by the commands that use them, quickly and clearly."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import load_config
from bot.dialogue.loader import FlowValidationError, load_flows
from bot.errors import ConfigError
from bot.safety.scenario import ScenarioError, load_scenario, parse_scenario
from bot.yamlguard import DEFAULT_MAX_BYTES, YamlLimitError, check_structure, read_capped

FLOWS = Path(__file__).resolve().parents[2] / "flows"
# "Billion laughs": nine levels of nine aliases each, 9**9 (387 million) strings from ~600 bytes.
ALIAS_BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)
# Loose bounds: the refusal must not read, parse or expand the file (seconds or gigabytes would).
QUICK = 3.0


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)
    return path


@pytest.fixture
def huge(tmp_path: Path) -> Path:
    """A 50 MB file (sparse: it costs no disk, but reading it would take 50 MB and seconds)."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return path


def flows_with(tmp_path: Path, extra: Path) -> Path:
    """The shipped flows plus one hostile file in a directory of their own."""
    folder = tmp_path / "flows"
    shutil.copytree(FLOWS, folder)
    shutil.copy(extra, folder / "extra.yaml")
    return folder


class TestGuard:
    def test_the_bomb_is_refused_at_the_alias_that_overflows(self):
        """The bomb is small but its aliases would repeat millions of values: refused with the line."""
        assert len(ALIAS_BOMB.encode()) < 1024
        with pytest.raises(YamlLimitError, match="alias bomb") as info:
            check_structure(ALIAS_BOMB, "bomb.yaml")
        assert 2 < info.value.line < 10

    def test_a_few_aliases_are_fine(self):
        """Anchors used as intended (a shared list, repeated a few times) pass."""
        check_structure("base: &b [1, 2, 3]\none: *b\ntwo: *b\nthree: {x: *b}\n", "ok.yaml")

    def test_an_alias_inside_its_own_anchor_is_a_loop(self):
        with pytest.raises(YamlLimitError, match="loop"):
            check_structure("a: &a [1, *a]\n", "loop.yaml")

    def test_nesting_deeper_than_a_hundred_is_refused(self):
        with pytest.raises(YamlLimitError, match="nested more than 100"):
            check_structure("x: " + "[" * 150 + "]" * 150 + "\n", "deep.yaml")

    def test_syntax_errors_are_left_to_the_loaders(self):
        """A broken file is not our business here: the loader reports it with its own hint."""
        check_structure("a: [1, 2\n", "broken.yaml")

    def test_a_huge_file_is_refused_before_it_is_read(self, huge: Path, monkeypatch):
        """The size is checked with stat: the file is never opened."""

        def no_open(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("the file was opened")

        monkeypatch.setattr(Path, "open", no_open)
        with pytest.raises(YamlLimitError, match=r"over|larger than the limit of 1\.0 MiB") as info:
            read_capped(huge, DEFAULT_MAX_BYTES, setting="yaml_max_file_size")
        assert "50.0 MiB" in str(info.value)
        assert "yaml_max_file_size" in str(info.value)

    def test_a_file_at_the_cap_is_read(self, tmp_path: Path):
        path = tmp_path / "exact.yaml"
        path.write_bytes(b"a" * 2048)
        assert len(read_capped(path, 2048)) == 2048
        with pytest.raises(YamlLimitError):
            read_capped(path, 2047)


class TestLoaders:
    def test_config_with_the_bomb_is_a_config_error(self, bomb: Path):
        with pytest.raises(ConfigError, match="alias bomb") as info:
            load_config(bomb, environ={})
        assert info.value.source == str(bomb)

    def test_a_huge_config_is_a_config_error(self, huge: Path):
        started = time.monotonic()
        with pytest.raises(ConfigError, match="was not read"):
            load_config(huge, environ={})
        assert time.monotonic() - started < QUICK

    def test_flows_with_the_bomb_or_a_huge_file_are_problems(self, tmp_path: Path, bomb: Path):
        with pytest.raises(FlowValidationError) as info:
            load_flows([flows_with(tmp_path, bomb)])
        [problem] = info.value.problems
        assert "extra.yaml" in str(problem)
        assert "alias bomb" in str(problem)

    def test_the_configured_cap_applies_to_flows(self, tmp_path: Path):
        """`yaml_max_file_size` lowers (or raises) the cap; the message names the setting."""
        big_flow = tmp_path / "big.yaml"
        big_flow.write_text("# padding\n" * 300)
        with pytest.raises(FlowValidationError, match="yaml_max_file_size"):
            load_flows([big_flow], max_bytes=2048)
        config = tmp_path / "config.yaml"
        config.write_text('yaml_max_file_size: "2KiB"\n')
        assert load_config(config, environ={}).yaml_max_file_size == 2048
        config.write_text('yaml_max_file_size: "lots"\n')
        with pytest.raises(ConfigError, match="yaml_max_file_size"):
            load_config(config, environ={})

    def test_scenarios_with_the_bomb_or_a_huge_file_are_scenario_errors(
        self, bomb: Path, huge: Path
    ):
        with pytest.raises(ScenarioError, match="alias bomb"):
            load_scenario(bomb)
        with pytest.raises(ScenarioError, match="alias bomb"):
            parse_scenario(ALIAS_BOMB, "inline")
        with pytest.raises(ScenarioError, match="was not read"):
            load_scenario(huge)


class TestCommands:
    """Each command exits 2 (like any invalid input) within a loose time bound, naming the file."""

    @pytest.fixture(autouse=True)
    def _keep_test_logging(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """`run` configures process-wide logging; this process's other tests keep pytest's."""
        monkeypatch.setattr("bot.cli.service.configure_logging", lambda _config: None)

    def invoke(self, args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, float]:
        started = time.monotonic()
        result = CliRunner().invoke(app, args, env=env)
        return result.exit_code, result.output, time.monotonic() - started

    @pytest.mark.parametrize("hostile", ["bomb", "huge"])
    def test_config_check(self, hostile: str, request: pytest.FixtureRequest):
        path: Path = request.getfixturevalue(hostile)
        code, output, took = self.invoke(["config", "check", str(path)])
        assert code == 2
        assert str(path) in output
        assert took < QUICK

    @pytest.mark.parametrize("hostile", ["bomb", "huge"])
    def test_flows_check(self, hostile: str, request: pytest.FixtureRequest, tmp_path: Path):
        folder = flows_with(tmp_path, request.getfixturevalue(hostile))
        code, output, took = self.invoke(["flows", "check", str(folder)])
        assert code == 2
        assert "extra.yaml" in output
        assert took < QUICK

    def test_triage_check(self, bomb: Path, huge: Path):
        for path in (bomb, huge):
            code, output, took = self.invoke(["triage", "check", str(path)])
            assert code == 2
            assert str(path) in output
            assert took < QUICK

    @pytest.mark.parametrize("hostile", ["bomb", "huge"])
    def test_run_refuses_a_hostile_config(self, hostile: str, request: pytest.FixtureRequest):
        path: Path = request.getfixturevalue(hostile)
        code, output, took = self.invoke(
            ["--config", str(path), "run"], env={"TELEGRAM_BOT_TOKEN": "1:TEST"}
        )
        assert code == 2
        assert str(path) in output
        assert took < QUICK

    @pytest.mark.parametrize("hostile", ["bomb", "huge"])
    def test_run_refuses_hostile_flows(
        self, hostile: str, request: pytest.FixtureRequest, tmp_path: Path
    ):
        folder = flows_with(tmp_path, request.getfixturevalue(hostile))
        config = tmp_path / "config.yaml"
        config.write_text(
            f'flows_dir: "{folder}"\ndatabase_url: "sqlite:///{tmp_path / "db.sqlite3"}"\n'
        )
        code, output, took = self.invoke(
            ["--config", str(config), "run"], env={"TELEGRAM_BOT_TOKEN": "1:TEST"}
        )
        assert code == 2
        assert "Refusing to start" in output
        assert "extra.yaml" in output
        assert took < QUICK
