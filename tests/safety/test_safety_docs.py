"""docs/safety.md stays in step with the rules, and names no method."""

from __future__ import annotations

from pathlib import Path

from bot.safety import find_banned_words
from bot.safety.lexicon import CONCERN_REASONS, CRISIS_REASONS, RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


def test_every_rule_is_listed_verbatim_in_the_docs() -> None:
    """Each screening rule appears in docs/safety.md exactly as the code has it."""
    lines = set(DOC.read_text(encoding="utf-8").splitlines())
    assert [rule.phrase for rule in RULES if rule.phrase not in lines] == []


def test_every_reason_is_documented() -> None:
    """Each category name is explained in the docs."""
    text = DOC.read_text(encoding="utf-8")
    assert [r for r in CRISIS_REASONS + CONCERN_REASONS if f"`{r}`" not in text] == []


def test_the_docs_contain_no_banned_method_word() -> None:
    """The documentation never names a means or method."""
    assert find_banned_words(DOC.read_text(encoding="utf-8")) == ()
