"""The flow commands: `checkin flows check`, `checkin flows graph`, `checkin chat` from a script."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogue_helpers import BROKEN, GOOD, SHIPPED
from typer.testing import CliRunner

from bot.cli import app
from bot.dialogue.graph import describe, to_mermaid
from bot.dialogue.loader import load_flows
from bot.dialogue.terminal import html_to_rich

runner = CliRunner()


class TestCheck:
    def test_valid_flows_exit_0_with_a_one_line_summary(self) -> None:
        """`checkin flows check tests/.../good` prints one summary line and exits 0."""
        result = runner.invoke(app, ["flows", "check", "--partial", str(GOOD)])
        assert result.exit_code == 0, result.output
        assert result.output.strip().splitlines() == [
            f"{len(load_flows([GOOD]).flows)} flow(s), "
            f"{sum(len(f.steps) for f in load_flows([GOOD]).flows.values())} steps in 3 file(s): all valid."
        ]

    def test_the_shipped_flows_pass(self) -> None:
        """`checkin flows check flows` exits 0."""
        result = runner.invoke(app, ["flows", "check", str(SHIPPED)])
        assert result.exit_code == 0, result.output

    @pytest.mark.parametrize(
        "name", sorted(p.stem for p in BROKEN.glob("*.yaml") if p.stem != "missing_language")
    )
    def test_each_broken_fixture_exits_2_naming_file_line_flow_and_step(self, name: str) -> None:
        """Every broken fixture exits 2, each problem line starting with file:line."""
        path = BROKEN / f"{name}.yaml"
        result = runner.invoke(app, ["flows", "check", str(path)])
        assert result.exit_code == 2
        lines = result.output.strip().splitlines()
        assert lines[-1].endswith("problem(s) found.")
        assert all(line.startswith(f"{path}:") for line in lines[:-1])
        if name != "yaml_syntax":
            assert f"flow '{'other_name' if name == 'wrong_id' else name}'" in lines[0]

    def test_languages_can_be_required(self) -> None:
        """`-l en -l de` reports the text without German."""
        result = runner.invoke(
            app, ["flows", "check", "-l", "en", "-l", "de", str(BROKEN / "missing_language.yaml")]
        )
        assert result.exit_code == 2
        assert "step 'hello': the text has no 'de' version" in result.output

    def test_the_config_file_gives_the_flows_dir_and_languages(self, tmp_path: Path) -> None:
        """With --config naming languages en and de, English-only flows fail the check."""
        config = tmp_path / "config.yaml"
        config.write_text(f"clinic:\n  languages: [en, de]\nflows_dir: {GOOD}\n", "utf-8")
        result = runner.invoke(app, ["--config", str(config), "flows", "check"])
        assert result.exit_code == 2
        assert "step 'hello': the text has no 'de' version" in result.output

    def test_a_missing_path_exits_2(self, tmp_path: Path) -> None:
        """A path that does not exist is named, exit 2."""
        result = runner.invoke(app, ["flows", "check", str(tmp_path / "nope")])
        assert result.exit_code == 2
        assert "no such file or directory" in result.output


class TestGraph:
    def test_graph_prints_mermaid_with_every_step_and_labelled_edges(self) -> None:
        """Every step is a node; options, cases and triage outcomes label their edges."""
        result = runner.invoke(app, ["flows", "graph", "checkin", "--flows-dir", str(GOOD)])
        assert result.exit_code == 0, result.output
        text = result.output
        assert text.startswith("flowchart TD\n")
        flow = load_flows([GOOD]).flows["checkin"]
        for step_id in flow.steps:
            assert f"s_{step_id}" in text
        assert 's_route -- "distress ≥ 7" --> s_check' in text
        assert 's_check -- "contact" --> s_advise' in text
        assert 's_choose -- "🌬 Breathe" --> s_breathe' in text
        assert "s_bye([" in text

    def test_graph_of_an_unknown_flow_exits_2(self) -> None:
        """An unknown id lists the known ones."""
        result = runner.invoke(app, ["flows", "graph", "nope", "--flows-dir", str(GOOD)])
        assert result.exit_code == 2
        assert "Known flows: checkin, helper, kinds" in result.output

    def test_every_shipped_flow_can_be_drawn(self) -> None:
        """to_mermaid works for each shipped flow and quotes every label."""
        for flow in load_flows([SHIPPED]).flows.values():
            text = to_mermaid(flow)
            assert text.count("\n") >= len(flow.steps)
            assert '""' not in text

    def test_conditions_read_like_words(self) -> None:
        """Branch labels describe the condition."""
        flow = load_flows([GOOD]).flows["checkin"]
        route = flow.steps["route"]
        assert describe(route.cases[0].when) == "distress ≥ 7"  # type: ignore[union-attr]


class TestChat:
    def test_chat_finishes_a_flow_from_a_scripted_stdin(self) -> None:
        """Scale by number, multi by button numbers, a note, then 'Nothing now': the flow completes."""
        script = "\n".join(["7", "1", "3", "4", "rough day", "2"]) + "\n"
        result = runner.invoke(
            app, ["chat", "checkin", "--flows-dir", str(GOOD), "--fast"], input=script
        )
        assert result.exit_code == 0, result.output
        out = result.output
        assert "Hi Sam. No rush." in out
        assert "→ Sad, Numb" in out
        assert (
            "(record log: {'distress': 7, 'feelings': ['sad', 'numb'], 'note': 'rough day'})" in out
        )
        assert "(triage:" in out
        assert "Thank you, Sam. Take care of yourself." in out
        assert "(flow ended: completed)" in out

    def test_chat_runs_waits_without_sleeping_when_stdin_is_a_script(self) -> None:
        """An empty line fires the wait's timer at once; the breathing exercise completes."""
        script = "\n".join(["2", "4", "1", "1", "", ""]) + "\n"
        result = runner.invoke(app, ["chat", "checkin", "--flows-dir", str(GOOD)], input=script)
        assert result.exit_code == 0, result.output
        assert "Breathe in slowly..." in result.output
        assert "And out..." in result.output
        assert "(flow ended: completed)" in result.output

    def test_chat_stop_and_end_of_input(self) -> None:
        """/stop ends the flow (exit 0); input running out mid-flow exits 1."""
        stopped = runner.invoke(app, ["chat", "checkin", "--flows-dir", str(GOOD)], input="/stop\n")
        assert stopped.exit_code == 0
        assert "Okay, we stop here." in stopped.output
        cut = runner.invoke(app, ["chat", "checkin", "--flows-dir", str(GOOD)], input="5\n")
        assert cut.exit_code == 1
        assert "(input ended)" in cut.output

    def test_chat_screens_for_crisis_and_resumes(self) -> None:
        """A crisis text gets the bot's response for its category, is not saved as the answer,
        and "Back to where we were" asks the same question again."""
        pytest.importorskip("bot.safety")
        script = "I want to kill myself\n1\n/stop\n"
        result = runner.invoke(app, ["chat", "checkin", "--flows-dir", str(GOOD)], input=script)
        assert "crisis screening: suicidal_thoughts" in result.output
        assert "you do not have to face it alone" in result.output
        assert "Back to where we were" in result.output
        assert result.output.count("How strong is it right now") == 2
        assert "(record" not in result.output

    def test_chat_does_not_save_a_crisis_typed_at_an_optional_question(self) -> None:
        """At the optional note the crisis sentence interrupts; it is never recorded as the note."""
        pytest.importorskip("bot.safety")
        script = "7\n1\n3\n4\nI'm going to end my life tonight\n1\nrough day\n2\n"
        result = runner.invoke(app, ["chat", "checkin", "--flows-dir", str(GOOD)], input=script)
        assert result.exit_code == 0, result.output
        assert "crisis screening" in result.output
        records = [line for line in result.output.splitlines() if line.startswith("(record")]
        assert len(records) == 1
        assert "'note': 'rough day'" in records[0]

    def test_chat_acknowledges_a_concern_and_asks_again(self) -> None:
        """A concern gets the bot's sentence with /sos, is noted, and the question comes again."""
        pytest.importorskip("bot.safety")
        script = "I feel hopeless\n/stop\n"
        result = runner.invoke(app, ["chat", "checkin", "--flows-dir", str(GOOD)], input=script)
        assert "tap /sos" in result.output
        assert "concern, hopelessness" in result.output
        assert result.output.count("How strong is it right now") == 2

    def test_html_is_rendered_as_terminal_styles(self) -> None:
        """<b> becomes bold; entities are unescaped."""
        text = html_to_rich("Hi &lt;Sam&gt; <b>now</b>")
        assert text.plain == "Hi <Sam> now"
        assert any("bold" in str(span.style) for span in text.spans)
