"""Every validation error, each from a broken fixture: file:line, flow, step, what and how to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogue_helpers import BROKEN, GOOD, SHIPPED

from bot.dialogue.loader import load_flows
from bot.dialogue.problems import FlowProblem, FlowValidationError
from bot.errors import CheckinError

# fixture, line, flow, step, words of the message, words of the fix
CASES = [
    ("yaml_syntax", 6, None, None, "YAML syntax error", "indentation and quotes"),
    (
        "unknown_kind",
        8,
        "unknown_kind",
        "feelings",
        "unknown step kind 'mutli'",
        "Did you mean 'multi'? Use one of: say, scale",
    ),
    (
        "unknown_key",
        7,
        "unknown_key",
        "hello",
        "unknown key 'nxt' in a say step",
        "Did you mean 'next'?",
    ),
    (
        "duplicate_step",
        7,
        "duplicate_step",
        "hello",
        "the step id 'hello' is used twice",
        "its own id",
    ),
    (
        "duplicate_key",
        7,
        "duplicate_key",
        "hello",
        "the key 'text' is written twice",
        "Keep only one",
    ),
    (
        "missing_target",
        10,
        "missing_target",
        "hello",
        "goes to the step 'byee', which does not exist",
        "Did you mean 'bye'?",
    ),
    (
        "missing_call",
        6,
        "missing_call",
        "hello",
        "calls the flow 'self_careful', which does not exist",
        "Known flows: missing_call",
    ),
    (
        "unreachable",
        8,
        "unreachable",
        "lonely",
        "can never be reached from the start step 'hello'",
        "Point a next",
    ),
    (
        "no_end",
        12,
        "no_end",
        "again",
        "no end step can be reached from here",
        "leads to a step of kind end",
    ),
    ("falls_off", 7, "falls_off", "last", "the last step and says nowhere to go", "kind end"),
    (
        "silent_loop",
        7,
        "silent_loop",
        "one",
        "a loop that never asks the client anything",
        "Put a question or a wait",
    ),
    (
        "text_too_long",
        6,
        "text_too_long",
        "hello",
        "has 4100 characters, over Telegram's 4096",
        "split it",
    ),
    (
        "button_data",
        9,
        "button_data",
        "pick",
        "needs 67 bytes, over Telegram's 64",
        "at most 57 bytes",
    ),
    (
        "scale_range",
        7,
        "scale_range",
        "strength",
        "min (10) is not below its max (0)",
        "Make min smaller than max",
    ),
    (
        "placeholder",
        6,
        "placeholder",
        "hello",
        "the placeholder {client.firstname}, which names nothing",
        "Did you mean 'client.first_name'?",
    ),
    (
        "record_field",
        13,
        "record_field",
        "save",
        "the record field 'mood' is not allowed",
        "Use one of: distress, feelings",
    ),
    (
        "set_field",
        8,
        "set_field",
        "profile",
        "the set field 'nickname' is not allowed",
        "consent_checkins",
    ),
    (
        "unknown_action",
        6,
        "unknown_action",
        "act",
        "unknown action name 'pause_checkin'",
        "Did you mean 'pause_checkins'?",
    ),
    (
        "bad_condition",
        11,
        "bad_condition",
        "route",
        "a condition must be a mapping",
        "Did you mean 'at_least'?",
    ),
    (
        "unknown_answer",
        11,
        "unknown_answer",
        "route",
        "answers.distres names no answer saved",
        "Did you mean 'distress'?",
    ),
    ("bad_html", 6, "bad_html", "hello", "not valid HTML: the closing tag </i>", "close every tag"),
    (
        "wrong_id",
        1,
        "other_name",
        None,
        "differs from the file name 'wrong_id.yaml'",
        "write `id: wrong_id`",
    ),
]


def problems_of(path: Path, languages: tuple[str, ...] = ("en",)) -> list[FlowProblem]:
    with pytest.raises(FlowValidationError) as caught:
        load_flows([path], languages=languages)
    return caught.value.problems


@pytest.mark.parametrize(
    ("name", "line", "flow", "step", "message", "fix"), CASES, ids=[c[0] for c in CASES]
)
def test_broken_fixture_reports_file_line_flow_step_and_fix(
    name: str, line: int, flow: str | None, step: str | None, message: str, fix: str
) -> None:
    """Each broken fixture yields exactly its problem, located and with a fix."""
    path = BROKEN / f"{name}.yaml"
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.file, problem.line, problem.flow_id, problem.step_id) == (
        str(path),
        line,
        flow,
        step,
    )
    assert message in problem.message
    assert fix in problem.fix
    text = str(problem)
    assert text.startswith(f"{path}:{line}: ")
    if flow and step:
        assert f"flow '{flow}', step '{step}': " in text


def test_a_text_missing_a_configured_language_is_reported() -> None:
    """With languages en and de, an English-only text is a problem naming 'de'."""
    path = BROKEN / "missing_language.yaml"
    load_flows([path], languages=("en",))  # fine when only English is configured
    (problem,) = problems_of(path, ("en", "de"))
    assert (problem.line, problem.step_id) == (6, "hello")
    assert "no 'de' version" in problem.message
    assert "{en: ..., de: ...}" in problem.fix


def test_every_problem_is_reported_at_once() -> None:
    """One file with several mistakes lists all of them, not just the first."""
    problems = problems_of(BROKEN / "many_problems.yaml")
    messages = " | ".join(p.message for p in problems)
    assert "min (5) is not below its max (5)" in messages
    assert "unknown step kind 'ending'" in messages
    assert "placeholder {client.nickname}" in messages
    assert "the step 'nowhere', which does not exist" in messages
    assert len(problems) >= 4


def test_a_directory_reports_problems_from_every_file() -> None:
    """Loading the broken directory collects problems from every fixture in one error."""
    with pytest.raises(FlowValidationError) as caught:
        load_flows([BROKEN])
    files = {Path(p.file).name for p in caught.value.problems}
    assert len(files) >= len(CASES)
    assert isinstance(caught.value, CheckinError)
    assert str(caught.value).startswith(f"{len(caught.value.problems)} problem(s)")


def test_the_shipped_flows_and_good_fixtures_are_valid() -> None:
    """flows/ and the good fixtures load without a single problem."""
    assert load_flows([SHIPPED]).flows
    assert load_flows([GOOD]).flows


def test_files_starting_with_underscore_are_not_flows(tmp_path: Path) -> None:
    """`_shared.yaml` in a flows directory is skipped, whatever it contains."""
    (tmp_path / "_notes.yaml").write_text("this: [is not a flow", "utf-8")
    (tmp_path / "tiny.yaml").write_text(
        "id: tiny\ntitle: Tiny\nsteps:\n  - id: bye\n    kind: end\n", "utf-8"
    )
    assert list(load_flows([tmp_path]).flows) == ["tiny"]


def test_flow_version_is_a_content_hash(tmp_path: Path) -> None:
    """The same file gives the same version; an edit gives a new one."""
    path = tmp_path / "tiny.yaml"
    path.write_text("id: tiny\ntitle: Tiny\nsteps:\n  - id: bye\n    kind: end\n", "utf-8")
    first = load_flows([path]).flows["tiny"].version
    assert load_flows([path]).flows["tiny"].version == first
    path.write_text("id: tiny\ntitle: Tiny!\nsteps:\n  - id: bye\n    kind: end\n", "utf-8")
    assert load_flows([path]).flows["tiny"].version != first
