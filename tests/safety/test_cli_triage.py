"""`checkin triage check`: the example scenarios, config rules, overrides and clear input errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.common import CliState
from bot.cli.triage import register

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "triage-examples"
VALID = """\
session_ended_at: "2026-11-20T15:00:00+00:00"
now: "2026-11-23T19:00:00+00:00"
checkins:
  - at: "2026-11-20T18:00:00+00:00"
    distress: 7
  - at: "2026-11-21T18:00:00+00:00"
    distress: 8
"""


def _app() -> typer.Typer:
    """A root app like `checkin`'s, with only the triage commands registered."""
    app = typer.Typer()

    @app.callback()
    def root(
        ctx: typer.Context, config: Annotated[Path | None, typer.Option("--config")] = None
    ) -> None:
        ctx.obj = CliState(config_path=config)

    register(app)
    return app


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text("{}\n", encoding="utf-8")
    return path


def run(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), ["--config", str(config), "triage", "check", *args])
    return result.exit_code, " ".join(result.output.split())


def scenario(tmp_path: Path, text: str) -> str:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


class TestExamples:
    def test_persisting_example_as_json(self, config: Path) -> None:
        """The persisting example advises contact for persisting distress and failed coping."""
        code, out = run(config, str(EXAMPLES / "persisting.yaml"), "--json")
        assert code == 0
        answer = json.loads(out)
        assert {k: answer[k] for k in ("contact_therapist", "crisis", "reasons")} == {
            "contact_therapist": True,
            "crisis": False,
            "reasons": ["persisting", "coping_not_working"],
        }
        assert answer["rules"] == {
            "persisting": "persisting_most_days",
            "coping_not_working": "coping_attempts",
        }
        assert [d["rule"] for d in answer["details"]] == list(answer["rules"].values())
        assert answer["details"][0]["checkins"] == [3, 4, 5]
        assert answer["urgency"] == "soon"

    def test_crisis_example_as_json(self, config: Path) -> None:
        """The crisis example is a crisis; its persist_days override keeps 'persisting' quiet."""
        code, out = run(config, str(EXAMPLES / "crisis.yaml"), "--json")
        assert code == 0
        answer = json.loads(out)
        assert (answer["contact_therapist"], answer["crisis"], answer["reasons"]) == (
            True,
            True,
            ["crisis"],
        )
        assert answer["rules"] == {"crisis": "crisis_signal"}
        assert answer["details"][0]["category"] == "suicidal_thoughts"
        assert answer["urgency"] == "now"

    def test_typed_words_and_partly_example(self, config: Path) -> None:
        """Typed "called in sick" with "Partly" tapped is unable to function: contact now."""
        code, out = run(config, str(EXAMPLES / "called-in-sick.yaml"), "--json")
        assert code == 0
        answer = json.loads(out)
        assert answer["reasons"] == ["unable_to_function"]
        assert answer["rules"] == {"unable_to_function": "unable_typed_words"}
        assert answer["urgency"] == "now"

    def test_silence_example_alerts_the_therapist(self, config: Path) -> None:
        """Two nines and 2.5 days without an answer: silence (for the therapist) and severity."""
        code, out = run(config, str(EXAMPLES / "silence.yaml"), "--json")
        assert code == 0
        answer = json.loads(out)
        assert answer["reasons"] == ["severity", "silence"]
        assert answer["details"][1]["urgency"] == "therapist"
        assert answer["alert_therapist"] is True

    def test_recovery_example_fires_nothing(self, config: Path) -> None:
        """9, 7, 6, 3 is a recovery: no reason, nothing for the therapist."""
        code, out = run(config, str(EXAMPLES / "recovery.yaml"), "--json")
        assert code == 0
        answer = json.loads(out)
        assert (answer["contact_therapist"], answer["reasons"], answer["rules"]) == (False, [], {})
        assert answer["alert_therapist"] is False

    def test_partly_without_text_needs_raised_distress(self, config: Path, tmp_path: Path) -> None:
        """`unable_to_function: partly` counts with distress at the threshold, not below it."""
        base = """\
now: "2026-11-21T10:00:00+00:00"
checkins:
  - {at: "2026-11-21T09:00:00+00:00", distress: DISTRESS, unable_to_function: partly}
"""
        high = run(config, scenario(tmp_path, base.replace("DISTRESS", "6")), "--json")[1]
        assert json.loads(high)["rules"] == {"unable_to_function": "unable_partly_with_distress"}
        low = run(config, scenario(tmp_path, base.replace("DISTRESS", "5")), "--json")[1]
        assert json.loads(low)["reasons"] == []

    def test_crisis_messages_and_acknowledgement(self, config: Path, tmp_path: Path) -> None:
        """A crisis message outside the check-ins counts until the therapist acknowledges it."""
        base = """\
now: "2026-11-21T10:00:00+00:00"
crisis_messages:
  - {at: "2026-11-21T02:00:00+00:00", category: danger_from_others}
"""
        open_ = json.loads(run(config, scenario(tmp_path, base), "--json")[1])
        assert open_["details"][0]["category"] == "danger_from_others"
        acked = base + 'acknowledged_at: "2026-11-21T09:00:00+00:00"\n'
        assert json.loads(run(config, scenario(tmp_path, acked), "--json")[1])["reasons"] == []

    def test_readable_account_names_rules_and_check_ins_but_never_the_text(
        self, config: Path
    ) -> None:
        """Without --json: the window, which rule fired on which check-ins; no client text."""
        code, out = run(config, str(EXAMPLES / "persisting.yaml"))
        assert code == 0
        assert "4 check-in(s) count, 1 before the session ended, 0 after now" in out
        assert "persisting (persisting_most_days) on check-in(s) #3, #4, #5" in out
        assert "coping_not_working (coping_attempts) on check-in(s) #3, #5" in out
        assert "Advise contacting the therapist" in out
        assert "killing me" not in out

    def test_readable_account_when_nothing_fires(self, config: Path, tmp_path: Path) -> None:
        """A calm history says plainly that no rule fired."""
        calm = VALID.replace("distress: 8", "distress: 2")
        code, out = run(config, scenario(tmp_path, calm))
        assert code == 0
        assert "No rule fired" in out


class TestRulesSource:
    def test_base_rules_come_from_the_configuration(self, tmp_path: Path) -> None:
        """triage: in the config file sets the base rules (threshold 9 silences 'persisting')."""
        strict = tmp_path / "strict.yaml"
        strict.write_text("triage:\n  distress_threshold: 9\n", encoding="utf-8")
        code, out = run(strict, str(EXAMPLES / "persisting.yaml"), "--json")
        assert code == 0
        assert json.loads(out)["reasons"] == ["coping_not_working"]

    def test_scenario_rules_override_the_configuration(self, tmp_path: Path) -> None:
        """rules: in the scenario beats the configured value."""
        strict = tmp_path / "strict.yaml"
        strict.write_text("triage:\n  distress_threshold: 9\n", encoding="utf-8")
        text = (EXAMPLES / "persisting.yaml").read_text(encoding="utf-8")
        text = text.replace("checkins:", "rules: {distress_threshold: 6}\ncheckins:", 1)
        code, out = run(strict, scenario(tmp_path, text), "--json")
        assert code == 0
        assert json.loads(out)["reasons"] == ["persisting", "coping_not_working"]

    def test_day_boundaries_use_the_tz_option(self, config: Path, tmp_path: Path) -> None:
        """--tz moves the day boundaries of the rising rule."""
        text = """\
now: "2026-11-22T00:00:00+00:00"
rules: {distress_threshold: 10}
checkins:
  - {at: "2026-11-20T22:30:00+00:00", distress: 5}
  - {at: "2026-11-20T23:30:00+00:00", distress: 6}
  - {at: "2026-11-21T23:30:00+00:00", distress: 7}
"""
        path = scenario(tmp_path, text)
        assert json.loads(run(config, path, "--json")[1])["reasons"] == []
        berlin = run(config, path, "--json", "--tz", "Europe/Berlin")[1]
        assert json.loads(berlin)["reasons"] == ["rising"]


class TestMalformedScenarios:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                VALID.replace("    distress: 8", "    distres: 8"),
                ":7: checkins.1.distres: unknown key",
            ),
            (
                VALID.replace("distress: 8", "distress: 11"),
                ":7: checkins.1.distress: Input should be",
            ),
            (
                VALID.replace('"2026-11-21T18:00:00+00:00"', '"2026-11-21T18:00:00"'),
                ":6: checkins.1.at",
            ),
            (VALID.replace("now:", "later:"), "now: required key is missing"),
            (VALID + "rules: {persist_days: 0}\n", ":8: rules.persist_days"),
            (VALID + "rules: {coping: 3}\n", "rules.coping: unknown key"),
            (VALID + "  - at: x\n    self_care: maybe\n", "checkins.2.self_care"),
            (VALID + "  - at: x\n    unable_to_function: sometimes\n", "checkins.2.unable"),
            (VALID.replace("checkins:", "checkins: [", 1), ":4: YAML syntax error"),
            ("- just\n- a list\n", "must be a mapping"),
        ],
        ids=[
            "unknown key",
            "distress out of range",
            "time without offset",
            "missing now",
            "rule override out of range",
            "unknown rule",
            "bad self_care",
            "bad unable_to_function",
            "yaml syntax",
            "not a mapping",
        ],
    )
    def test_exits_2_naming_the_field_and_line(
        self, config: Path, tmp_path: Path, text: str, expected: str
    ) -> None:
        """A malformed scenario exits 2 and the message names the field (and the line)."""
        code, out = run(config, scenario(tmp_path, text))
        assert code == 2
        assert expected in out

    def test_every_problem_is_reported_at_once(self, config: Path, tmp_path: Path) -> None:
        """Two bad fields give two problem lines in one run."""
        text = VALID.replace("distress: 7", "distress: -1").replace("distress: 8", "distress: x")
        code, out = run(config, scenario(tmp_path, text))
        assert code == 2
        assert "2 problem(s)" in out
        assert "checkins.0.distress" in out
        assert "checkins.1.distress" in out

    def test_a_missing_file_exits_2(self, config: Path, tmp_path: Path) -> None:
        """A scenario path that does not exist is a usage error."""
        code, _ = run(config, str(tmp_path / "nope.yaml"))
        assert code == 2

    def test_an_unknown_time_zone_exits_2(self, config: Path, tmp_path: Path) -> None:
        """--tz must be an IANA zone name."""
        code, out = run(config, scenario(tmp_path, VALID), "--tz", "Mars/Olympus")
        assert code == 2
        assert "'Mars/Olympus' is not a known time zone" in out


def test_the_real_checkin_command_has_triage_check(config: Path) -> None:
    """`checkin triage check` is registered on the real command line."""
    from bot.cli import app

    args = ["--config", str(config), "triage", "check", str(EXAMPLES / "crisis.yaml"), "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0
    assert json.loads(result.output)["crisis"] is True
