"""Normalisation: the many spellings of the same words become the same canonical tokens."""

from __future__ import annotations

import pytest

from bot.safety.normalize import canonical_text, canonical_tokens, squeeze
from bot.safety.patterns import PatternError, compile_phrase


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I don't", "i do not"),
        ("I dont", "i do not"),
        ("I do not", "i do not"),
        ("I DON\u2019T", "i do not"),
        ("can't, cannot, cant", "can not . can not . can not"),
        ("won't", "wil not"),
        ("I'm I\u2019ve I'll", "i am i have i wil"),
        ("ill well were", "il wel were"),
        ("I'dd she'lll don'tt", "i would she wil do not"),
        ("he's Sam's", "he is sam"),
        ("wanna gonna", "want to going to"),
        ("sooooo tiiiired", "so tired"),
        ("caf\u00e9 na\u00efve", "cafe naive"),
        ("\uff48\uff45\uff4c\uff4c\uff4f", "helo"),
        ("he\u200bl\u200dlo\u00ad", "helo"),
        ("\u0441\u0430\u0443", "cay"),
        ("k1ll 2024", "kil 2024"),
        ("d i e", "die"),
        ("k.i.l.l", "kil"),
        ("s*icide k**l *really* f*ck", "suicide kil realy fck"),
        ("suicde sucidal suiside suicidle", "suicide suicidal suicide suicidal"),
        ("one. two! three?", "one . two . thre ."),
        ("end...", "end ."),
    ],
)
def test_canonical_text(text: str, expected: str) -> None:
    """Case, apostrophes, contractions, repeats, accents, look-alikes and misspellings fold away."""
    assert canonical_text(text) == f" {expected} "


def test_squeeze_collapses_every_run() -> None:
    """Any repeated character collapses to one, so 'kill' and 'kiiilll' agree."""
    assert squeeze("kiiilll") == squeeze("kill") == "kil"


def test_empty_and_punctuation_only_text_has_no_tokens() -> None:
    """Nothing to screen gives no tokens at all."""
    assert canonical_tokens("") == []
    assert canonical_tokens("...!!!") == []


@pytest.mark.parametrize("phrase", ["(a|b", "a )", "a | | b", "?", "a !", "a #"])
def test_a_malformed_rule_is_reported_with_the_rule(phrase: str) -> None:
    """A broken rule fails when the lexicon loads, quoting the rule."""
    with pytest.raises(PatternError, match="Screening rule"):
        compile_phrase(phrase)


def test_a_rule_matches_only_whole_words() -> None:
    """'kill' in a rule never matches inside 'skill'."""
    regex = compile_phrase("kill myself")
    assert regex.search(canonical_text("I want to kill myself"))
    assert not regex.search(canonical_text("I skill myself"))


def test_a_gap_never_crosses_the_end_of_a_clause() -> None:
    """`~` skips words but not a full stop."""
    regex = compile_phrase("want ~ die")
    assert regex.search(canonical_text("want to really die"))
    assert not regex.search(canonical_text("want to. die"))
