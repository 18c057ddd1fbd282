"""The `score` step: sum, bands and item flags at run time, and every mistake caught at load
with its file, line and fix (so a clinic can add a public-domain measure without code)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogue_helpers import SHIPPED, Conversation

from bot.dialogue import contracts as c
from bot.dialogue.loader import load_flows
from bot.dialogue.problems import FlowValidationError

# A PHQ-4-like measure: 4 items 0-3, bands at 3/6/9, a flag on item 4.
GOOD = """\
id: mini
title: "Mini"
steps:
  - id: q1
    kind: choice
    text: "One"
    options: &freq
      - {value: 0, label: "Not at all"}
      - {value: 1, label: "Several days"}
      - {value: 2, label: "More than half"}
      - {value: 3, label: "Nearly every day"}
  - {id: q2, kind: choice, text: "Two", options: *freq}
  - {id: q3, kind: choice, text: "Three", options: *freq}
  - {id: q4, kind: scale, text: "Four", min: 0, max: 3}
  - id: note
    kind: text
    text: "Anything else?"
    optional: true
  - id: score
    kind: score
    measure: mini
    items: [q1, q2, q3, q4]
    extra: [note]
    bands:
      - {from: 0, name: normal}
      - {from: 3, name: mild}
      - {from: 6, name: moderate}
      - {from: 9, name: severe}
    flags:
      - {name: item4, when: {at_least: [answers.q4, 1]}}
    reliable_change: 3
    cutoff: 6
  - id: total_check
    kind: branch
    cases:
      - when: {at_least: [answers.score.total, 6]}
        next: high
    else: bye
  - {id: high, kind: say, text: "That was a lot.", next: bye}
  - {id: bye, kind: end, text: "Thanks."}
"""


def _write(tmp_path: Path, text: str, name: str = "mini") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(FlowValidationError) as caught:
        load_flows([_write(tmp_path, text)])
    return [str(p) for p in caught.value.problems]


def _answer(tmp_path: Path, answers: list[str]) -> tuple[list[c.Effect], Conversation]:
    talk = Conversation(load_flows([_write(tmp_path, GOOD)]))
    talk.start("mini")
    effects: list[c.Effect] = []
    for label in answers:
        effects = talk.tap(label) if label not in "0123" else talk.type(label)
    effects += talk.tap("Skip")
    return effects, talk


class TestScoring:
    def test_the_total_band_flags_and_extras_come_out_as_one_score(self, tmp_path: Path) -> None:
        """Answers 1+2+3+1 = 7: band moderate, item4 flagged, the note kept, the rules carried."""
        effects, _ = _answer(tmp_path, ["Several days", "More than half", "Nearly every day", "1"])
        (score,) = [e for e in effects if isinstance(e, c.Score)]
        assert (score.measure, score.total, score.band, score.flags) == (
            "mini",
            7,
            "moderate",
            ("item4",),
        )
        assert dict(score.items) == {"q1": 1, "q2": 2, "q3": 3, "q4": 1, "note": None}
        assert (score.reliable_change, score.cutoff) == (3, 6)

    def test_the_score_is_an_answer_later_steps_can_branch_on(self, tmp_path: Path) -> None:
        """answers.score.total: 7 >= 6 goes to the 'high' step."""
        effects, _ = _answer(tmp_path, ["Several days", "More than half", "Nearly every day", "1"])
        assert any(isinstance(e, c.Say) and "That was a lot." in e.text for e in effects)

    def test_all_zero_is_the_lowest_band_with_no_flags(self, tmp_path: Path) -> None:
        effects, _ = _answer(tmp_path, ["Not at all", "Not at all", "Not at all", "0"])
        (score,) = [e for e in effects if isinstance(e, c.Score)]
        assert (score.total, score.band, score.flags) == (0, "normal", ())

    def test_a_stopped_measure_records_no_score(self, tmp_path: Path) -> None:
        talk = Conversation(load_flows([_write(tmp_path, GOOD)]))
        talk.start("mini")
        talk.tap("Several days")
        effects = talk.send(c.Stop())
        assert not any(isinstance(e, c.Score) for e in effects)


# (what is changed in GOOD, words of the message, words of the fix)
BROKEN = [
    (
        ("items: [q1, q2, q3, q4]", "items: [q1, q2, q3, q5]"),
        "the reference answers.q5 names no answer saved in this flow",
        "Saved answers: note, q1, q2, q3, q4",
    ),
    (
        ("items: [q1, q2, q3, q4]", "items: [q1, q2, q3, note]"),
        "the item 'note' cannot be summed",
        "choice whose option values are numbers",
    ),
    (
        ("{from: 3, name: mild}", "{from: 6, name: mild}"),
        "the band 'moderate' starts at 6, not above the band before it",
        "from the lowest total up",
    ),
    (
        ("{from: 0, name: normal}", "{from: 1, name: normal}"),
        "the first band 'normal' starts at 1, but the lowest total is 0",
        "Write `from: 0`",
    ),
    (
        ("{from: 9, name: severe}", "{from: 13, name: severe}"),
        "the band 'severe' starts at 13, above the highest total 12",
        "Start it at 12 or lower",
    ),
    (
        ("reliable_change: 3", "reliable_change: -2"),
        "'reliable_change' must be a positive number, not -2",
        "reliable_change: 6",
    ),
    (
        ("cutoff: 6", "cutoff: 40"),
        "the cutoff 40 is outside the totals 0..12",
        "PHQ-9: 10, GAD-7: 8",
    ),
    (
        ("{name: item4, when:", "{name: item4, wen:"),
        "unknown key 'wen' in a flag",
        "Did you mean 'when'?",
    ),
    (
        ("    bands:\n", "    band:\n"),
        "unknown key 'band' in a score step",
        "Did you mean 'bands'?",
    ),
    (
        ("{from: 6, name: moderate}", "{from: 6, name: Moderate}"),
        "a band's 'name' must be an id like moderately_severe, not 'Moderate'",
        "lowercase letters",
    ),
]


@pytest.mark.parametrize(("change", "message", "fix"), BROKEN, ids=[b[1][:40] for b in BROKEN])
def test_a_broken_score_step_names_file_line_step_and_fix(
    tmp_path: Path, change: tuple[str, str], message: str, fix: str
) -> None:
    old, new = change
    assert old in GOOD
    problems = _problems(tmp_path, GOOD.replace(old, new))
    found = [p for p in problems if message in p]
    assert found, problems
    assert fix in found[0]
    assert found[0].startswith(f"{tmp_path / 'mini.yaml'}:")
    assert "flow 'mini', step 'score'" in found[0]
    line = int(found[0].split(":")[1])
    assert 19 <= line <= 38  # within the score step, not line 0 or the top of the file


def test_the_shipped_measures_load_with_their_published_bands() -> None:
    library = load_flows([SHIPPED], languages=("en", "de"))
    phq9, gad7 = library.require("phq9"), library.require("gad7")
    phq_score = phq9.steps["score"]
    gad_score = gad7.steps["score"]
    assert [(b.start, b.name) for b in phq_score.bands] == [  # type: ignore[union-attr]
        (0, "minimal"),
        (5, "mild"),
        (10, "moderate"),
        (15, "moderately_severe"),
        (20, "severe"),
    ]
    assert [b.start for b in gad_score.bands] == [0, 5, 10, 15]  # type: ignore[union-attr]
    assert (phq_score.reliable_change, phq_score.cutoff) == (6, 10)  # type: ignore[union-attr]
    assert (gad_score.reliable_change, gad_score.cutoff) == (4, 8)  # type: ignore[union-attr]
