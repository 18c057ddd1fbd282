"""`checkin flows check` reports every problem of every file in one pass, sorted by file and line,
one line number each; a folder without the bot's own flows is an error; fall-through warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.dialogue.loader import REQUIRED_FLOWS, FlowValidationError, load_flows

FIXTURES = Path(__file__).parent / "fixtures"
ONEPASS = FIXTURES / "onepass"
WARN = FIXTURES / "warn"
BROKEN = FIXTURES / "broken"
runner = CliRunner()


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"\S+:\d+: ", line)]


def test_every_problem_of_every_file_in_one_pass_sorted_by_file_and_line() -> None:
    """An unknown step kind or a bad flow id no longer hides the problems behind them."""
    result = runner.invoke(app, ["flows", "check", "--partial", str(ONEPASS)])
    assert result.exit_code == 2
    lines = problem_lines(result.output)
    text = "\n".join(lines)
    for expected in (
        "a_first.yaml:5: flow 'a_first', step 'hello': unknown step kind 'sya'",
        "placeholder {client.nickname}",  # the text of the step of unknown kind
        "a_first.yaml:10: flow 'a_first', step 'strength': the scale's min (5)",
        "step 'lonely': this step can never be reached",  # hidden before: the flow was 'half-built'
        "b_second.yaml:1: the flow id must be lowercase",
        "step 'hello': goes to the step 'nowhere'",  # hidden before: the file stopped at the id
        "step 'bye': unknown key 'colour'",
    ):
        assert expected in text, result.output
    assert len(lines) == 7, result.output
    positions = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert positions == sorted(positions)
    assert result.output.strip().endswith("7 problem(s) found.")


def test_a_dangling_target_does_not_also_make_the_rest_unreachable() -> None:
    """`next: nowhere` is one problem, not three (the steps below it stay reachable)."""
    with pytest.raises(FlowValidationError) as caught:
        load_flows([ONEPASS / "b_second.yaml"])
    assert not any("never be reached" in p.message for p in caught.value.problems)


def test_a_yaml_error_names_one_line() -> None:
    """One line number per problem: the line where the broken construct began."""
    result = runner.invoke(app, ["flows", "check", str(BROKEN / "yaml_syntax.yaml")])
    assert result.exit_code == 2
    (line,) = problem_lines(result.output)
    assert line.startswith(f"{BROKEN / 'yaml_syntax.yaml'}:6: YAML syntax error")
    assert not re.search(r"line \d", line)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["flows", "check", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path}: there are no flow files (*.yaml) here" in result.output
    assert "onboarding.yaml and after_session.yaml" in result.output


def test_a_folder_without_the_bots_own_flows_names_them(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(
        "id: tiny\ntitle: Tiny\nsteps:\n  - id: bye\n    kind: end\n", "utf-8"
    )
    result = runner.invoke(app, ["flows", "check", str(tmp_path)])
    assert result.exit_code == 2
    assert "the bot needs the flows 'onboarding' and 'after_session', missing here" in (
        result.output
    )
    with pytest.raises(FlowValidationError):
        load_flows([tmp_path], required=REQUIRED_FLOWS)
    assert list(load_flows([tmp_path]).flows) == ["tiny"]


def test_graph_exits_2_like_check_for_the_same_bad_file() -> None:
    path = BROKEN / "yaml_syntax.yaml"
    check = runner.invoke(app, ["flows", "check", str(path)])
    graph = runner.invoke(app, ["flows", "graph", "yaml_syntax", "--flows-dir", str(path)])
    assert check.exit_code == graph.exit_code == 2
    assert problem_lines(check.output) == problem_lines(graph.output)


def test_a_step_that_reaches_a_shared_step_by_position_is_a_warning() -> None:
    """`tea` goes on to `bye` only because `bye` comes next; `bye` is also a jump target."""
    library = load_flows([WARN])
    (warning,) = library.warnings
    assert (warning.line, warning.step_id, warning.severity) == (10, "tea", "warning")
    assert "Write `next: bye`" in warning.fix
    result = runner.invoke(app, ["flows", "check", "--partial", str(WARN)])
    assert result.exit_code == 0
    assert "fall_through.yaml:10: warning: flow 'fall_through', step 'tea'" in result.output
    assert "(1 warning(s) above)" in result.output


def test_the_shipped_flows_have_no_fall_through_warnings() -> None:
    """Every shipped flow says `next:` where it matters."""
    library = load_flows([Path(__file__).resolve().parents[2] / "flows"])
    assert [w.message for w in library.warnings] == []
