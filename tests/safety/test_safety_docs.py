"""docs/safety.md stays in step with the rules and the corpus report (both generated)."""

from __future__ import annotations

from pathlib import Path

from bot.cli.safety import DEFAULT_CORPUS, build_reports, render_doc
from bot.safety.lexicon import CONCERN_REASONS, CRISIS_REASONS, LEARNED_REASON, RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


def test_the_generated_sections_match_the_code_and_the_corpus() -> None:
    """The rule list and the report tables are what `checkin safety report --write` produces."""
    text = DOC.read_text(encoding="utf-8")
    fresh = render_doc(
        text, build_reports(DEFAULT_CORPUS), build_reports(DEFAULT_CORPUS, learned=False)
    )
    assert fresh == text, "docs/safety.md is out of date: run `checkin safety report --write`"


def test_every_rule_is_listed_verbatim_in_the_docs() -> None:
    """Each screening rule appears in docs/safety.md exactly as the code has it."""
    lines = set(DOC.read_text(encoding="utf-8").splitlines())
    assert [rule.phrase for rule in RULES if rule.phrase not in lines] == []


def test_every_reason_is_documented() -> None:
    """Each reason name is explained in the docs."""
    text = DOC.read_text(encoding="utf-8")
    reasons = (*CRISIS_REASONS, LEARNED_REASON, *CONCERN_REASONS)
    assert [r for r in reasons if f"`{r}`" not in text] == []
