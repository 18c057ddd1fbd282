"""The labelled corpus: the targets of issue 10, and the report command."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.cli.safety import DEFAULT_CORPUS, MAIN_SLICES, build_reports, shortfalls
from bot.safety.report import (
    FALSE_ALARM_TARGET,
    RECALL_TARGET,
    CorpusError,
    load_corpus,
)
from bot.safety.screening import CATEGORY_ORDER

REPORTS = build_reports(DEFAULT_CORPUS)


def _examples(name: str) -> int:
    return len(load_corpus(DEFAULT_CORPUS / name))


def test_the_corpus_is_as_large_as_the_issue_asks() -> None:
    """At least 600 English and 200 German messages besides the held-out slices."""
    assert _examples("en.yaml") >= 600
    assert _examples("de.yaml") >= 200
    assert _examples("en_heldout.yaml") >= 90
    assert _examples("de_heldout.yaml") >= 30


@pytest.mark.parametrize("category", CATEGORY_ORDER)
@pytest.mark.parametrize("slice_name", MAIN_SLICES)
def test_crisis_recall_meets_the_target_in_every_category(slice_name: str, category: str) -> None:
    """At least 98% of each category's crisis messages screen as crisis."""
    report = next(r for r in REPORTS if r.name == slice_name)
    recall = report.crisis_recall(category)
    assert recall is not None, f"no {category} messages in {slice_name}"
    assert recall >= RECALL_TARGET


@pytest.mark.parametrize("slice_name", MAIN_SLICES)
def test_false_alarms_stay_under_the_target(slice_name: str) -> None:
    """Fewer than 5% of the benign messages screen as crisis."""
    report = next(r for r in REPORTS if r.name == slice_name)
    assert report.tally("none").total >= 60
    assert report.false_alarm_rate < FALSE_ALARM_TARGET


def test_the_command_prints_the_tables_and_passes() -> None:
    """`checkin safety report` prints recall per category and exits 0 when targets are met."""
    result = CliRunner().invoke(app, ["safety", "report"])
    assert result.exit_code == 0, result.output
    assert "`act_under_way`" in result.output
    assert "all benign" in result.output
    assert shortfalls(REPORTS) == []


def test_the_command_fails_when_a_target_is_missed(tmp_path: Path) -> None:
    """A corpus whose crisis message is missed makes the command exit 1 and say why."""
    (tmp_path / "en.yaml").write_text(
        'crisis:\n  self_harm:\n    - "what a lovely day"\nnone:\n  everyday:\n    - "ok"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["safety", "report", "--corpus", str(tmp_path)])
    assert result.exit_code == 1
    assert "self_harm recall 0.0%" in result.output


def test_write_updates_only_the_marked_sections(tmp_path: Path) -> None:
    """--write replaces what is between the markers and leaves the rest alone."""
    from bot.safety.report import REPORT_END, REPORT_START, RULES_END, RULES_START

    doc = tmp_path / "safety.md"
    doc.write_text(
        f"intro\n{REPORT_START}\nSTALE\n{REPORT_END}\nmiddle\n{RULES_START}\nSTALE\n{RULES_END}\nend\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["safety", "report", "--write", "--doc", str(doc)])
    assert result.exit_code == 0, result.output
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("intro\n")
    assert text.endswith("end\n")
    assert "\nmiddle\n" in text
    assert "STALE" not in text
    assert "| `self_harm` |" in text


@pytest.mark.parametrize(
    "content",
    [
        "crisis: [1, 2]\n",
        "crisis:\n  not_a_category:\n    - x\n",
        "maybe:\n  x:\n    - y\n",
        "none:\n  idiom: just a string\n",
        "crisis: {unclosed\n",
    ],
)
def test_a_malformed_corpus_is_refused_with_the_file_name(tmp_path: Path, content: str) -> None:
    """Each shape error names the file and what to fix."""
    path = tmp_path / "en.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"en\.yaml"):
        load_corpus(path)
