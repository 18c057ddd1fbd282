"""Typo tolerance: near misses of key words are read as the key word, real words never are."""

from __future__ import annotations

import re
import unicodedata

import pytest
from spellchecker import SpellChecker

from bot.safety import screen_text
from bot.safety.typos import KEY_WORDS, REAL_WORDS, TYPO_MAP, near_misses

COMMON = 100  # a word seen at least this often in pyspellchecker's frequencies is a real word


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.casefold())
    return re.sub(r"(.)\1+", r"\1", "".join(c for c in word if not unicodedata.combining(c)))


@pytest.fixture(scope="module")
def common_words() -> set[str]:
    words: set[str] = set()
    for language in ("en", "de"):
        frequencies = SpellChecker(language=language).word_frequency.dictionary
        words |= {_fold(w) for w, n in frequencies.items() if n >= COMMON}
    return words


def test_no_common_word_is_corrected_into_a_key_word(common_words: set[str]) -> None:
    """Every near miss that is a common English or German word is excluded (REAL_WORDS)."""
    keys = {_fold(w) for w in KEY_WORDS}
    wrongly = sorted(m for m in TYPO_MAP if m in common_words and m not in keys)
    assert wrongly == [], f"add to REAL_WORDS in bot/safety/typos.py: {' '.join(wrongly)}"


def test_the_exclusions_are_real_words(common_words: set[str]) -> None:
    """REAL_WORDS holds no made-up entries (each is common, or at least a near miss)."""
    all_misses = set().union(*(near_misses(k) for k in KEY_WORDS))
    assert sorted(w for w in REAL_WORDS if w not in all_misses) == []


@pytest.mark.parametrize(
    "text",
    [
        "i wnat to die",
        "i want to kill mysefl",
        "i took all my tablest",
        "i want to overdsoe",
        "i'm gonna jmup off the bridge",
        "tonihgt i end it",
        "ich will sterbne",
        "ich habe alle tablettten genommen",
    ],
)
def test_one_slip_in_a_key_word_is_read(text: str) -> None:
    """A swapped, missing or extra letter in a key word does not hide it."""
    assert screen_text(text).level == "crisis"


def test_two_slips_are_not_read() -> None:
    """The documented limit of the rules: one slip per key word ("plils" is two away from
    "pills"). The learned layer beside them reads this one (tests/safety/test_learned.py)."""
    assert screen_text("i tkoe all my plils", learned=False).level == "none"


@pytest.mark.parametrize(
    "text", ["i was talking to my friend", "du wirst das schaffen", "the plane was late"]
)
def test_real_words_keep_their_meaning(text: str) -> None:
    """'talking' is not 'stalking', 'wirst' is not 'wrist', 'plane' is not 'planned'."""
    assert screen_text(text).level == "none"
