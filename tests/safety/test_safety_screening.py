"""Crisis screening: the phrase tables, negation, idioms, Unicode tricks and speed."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from safety_phrases import BENIGN, CONCERN, CRISIS
from work_counter import work_of

from bot.safety import CATEGORY_ORDER, ScreenResult, screen_text, screening
from bot.safety.lexicon import CONCERN_REASONS, CRISIS_REASONS, LEARNED_REASON, RULES


def test_the_tables_hold_at_least_120_phrases() -> None:
    """The issue asks for a table of at least 120 screening phrases."""
    assert len(CRISIS) + len(CONCERN) + len(BENIGN) >= 120


@pytest.mark.parametrize(("text", "reason"), CRISIS)
def test_every_crisis_phrase_is_caught(text: str, reason: str) -> None:
    """Each crisis phrase screens as crisis and names its category."""
    result = screen_text(text)
    assert result.level == "crisis"
    assert reason in result.reasons


@pytest.mark.parametrize(("text", "reason"), CONCERN)
def test_concern_phrases_are_concern_not_crisis(text: str, reason: str) -> None:
    """Despair short of a crisis, and denied risk, are a concern with the matching reason."""
    result = screen_text(text)
    assert result == ScreenResult("concern", result.reasons)
    assert reason in result.reasons


@pytest.mark.parametrize("text", BENIGN)
def test_idioms_and_ordinary_speech_are_none(text: str) -> None:
    """Idioms such as 'this homework is killing me' never raise an alarm."""
    assert screen_text(text) == ScreenResult("none", ())


class TestNegation:
    def test_a_denial_does_not_silence_despair_after_it(self) -> None:
        """'I'm not suicidal but ...' still reports what follows, plus the denial."""
        result = screen_text("I'm not suicidal but I don't see the point of living")
        assert result.level == "crisis"
        assert result.reasons == ("passive_death_wish", "denied_risk")

    def test_a_negation_in_an_earlier_clause_does_not_reach_later_ones(self) -> None:
        """'not' before a comma does not negate a death wish after it."""
        assert screen_text("I'm not okay, I want to kill myself").level == "crisis"

    def test_a_negation_separated_by_content_words_does_not_count(self) -> None:
        """'not ok I want to die' without punctuation is still a crisis."""
        assert screen_text("im not ok i want to die").level == "crisis"

    def test_the_same_phrase_later_is_caught_even_if_negated_earlier(self) -> None:
        """A first, negated mention does not hide a second, plain one."""
        text = "I never thought I would say it. I want to kill myself"
        assert screen_text(text).reasons == ("suicidal_ideation",)


class TestResultShape:
    def test_reasons_come_in_the_documented_order_without_repeats(self) -> None:
        """Crisis categories first, in the fixed order, each once."""
        text = "He hits me and I want to die. I want to die. I feel hopeless"
        assert screen_text(text).reasons == ("suicidal_ideation", "abuse", "hopelessness")

    def test_every_rule_uses_a_known_reason(self) -> None:
        """Rules only report the documented category names."""
        for rule in RULES:
            known = CRISIS_REASONS if rule.level == "crisis" else CONCERN_REASONS
            assert rule.reason in known, rule.phrase

    def test_the_result_is_immutable(self) -> None:
        """ScreenResult is a frozen value."""
        result = screen_text("fine")
        with pytest.raises(AttributeError):
            result.level = "crisis"  # type: ignore[misc]


class TestSpeed:
    def test_ten_thousand_characters_are_screened_whole(self) -> None:
        """A 10,000-character calm message gets a verdict (its time is in bench/screening.py)."""
        text = ("I am not really sure what to say today, " * 300)[:10_000]
        assert screen_text(text).level == "none"

    def test_a_crisis_at_the_very_end_of_a_long_text_is_found(self) -> None:
        """Length does not hide a crisis phrase at the end."""
        text = "blah " * 2_000 + "i want to die"
        assert len(text) >= 10_000
        assert screen_text(text).level == "crisis"

    @pytest.mark.parametrize(
        "unit",
        [
            "I am not sure I want to say it but, honestly, no. ",
            "i want to die. ",  # a rule matches in every sentence
            "my brother took all his pills years ago and ",  # context checks on every match
            "today was long, i went for a walk and felt tired of work. ",  # the learned layer
        ],
    )
    def test_work_grows_linearly_with_length(self, unit: str) -> None:
        """Eight times the text costs about eight times the work (quadratic would be 64x).

        Counted, not timed: function calls and regex positions tried (`work_counter.py`), so a
        loaded machine cannot make it fail and a quadratic loop cannot hide in a fast one."""
        short, long = (unit * 400)[:5_000], (unit * 3_200)[:40_000]
        small, large = work_of(lambda: screen_text(short)), work_of(lambda: screen_text(long))
        assert small.calls > 0
        assert small.positions > 0
        assert large.calls / small.calls < 10
        assert large.positions / small.positions < 10

    def test_the_work_counter_sees_a_quadratic_scan(self) -> None:
        """The counter itself: re-searching the rest of the text after every word, as a careless
        rule loop would, grows about as the square of the length and is caught by the bound."""

        def rescan(text: str) -> None:
            rule = screening._PREPARED[0].rule  # its regex is counted inside `work_of`
            for start in range(0, len(text), 5):
                rule.regex.search(text, start)

        base = "a b c d e " * 100
        small, large = work_of(lambda: rescan(base)), work_of(lambda: rescan(base * 8))
        assert large.positions / small.positions > 40

    @pytest.mark.parametrize("unit", ["not ", "a", "want to ", "!?", "kill ", "i i i "])
    def test_repetitive_inputs_do_not_backtrack(self, unit: str) -> None:
        """Pathological repetitions of rule fragments cost work linear in their length (counted,
        as above; the times are in bench/screening.py), so no rule backtracks catastrophically."""
        short, long = (unit * 2_000)[:2_000], (unit * 10_000)[:16_000]
        small, large = work_of(lambda: screen_text(short)), work_of(lambda: screen_text(long))
        assert screen_text(long).level in ("none", "concern", "crisis")
        assert large.calls / small.calls < 10
        # No rule may run on a text with none of its trigger words: then both counts are 0.
        assert (large.positions + 1) / (small.positions + 1) < 10


# Words of the rules, punctuation, emoji and look-alikes: texts made of them hit many rules and
# context checks at once, which plain random text rarely does.
_RULE_WORDS = sorted({w for rule in RULES for w in re.findall(r"[a-z]+", rule.phrase)})
_PIECES = [
    *_RULE_WORDS,
    ".",
    ",",
    "!",
    "?",
    "\U0001f48a",
    "\U0001f52a",
    "\u200b",
    "\u00e4",
    "'s",
    "2",
    "800mg",
]
_TEXTS = st.text(max_size=600) | st.lists(st.sampled_from(_PIECES), max_size=120).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_any_text_screens_without_error(text: str) -> None:
    """Any input yields a consistent verdict and never raises."""
    result = screen_text(text)
    assert result.level in ("none", "concern", "crisis")
    assert set(result.reasons) <= {*CRISIS_REASONS, LEARNED_REASON, *CONCERN_REASONS}
    assert (result.level == "none") == (result.reasons == ())
    assert (result.level == "crisis") == (result.category is not None) == (result.rule is not None)
    if result.category is not None:
        assert result.category in CATEGORY_ORDER
        assert result.response_kind is not None


@settings(max_examples=100, deadline=None)
@given(prefix=st.sampled_from(["", "ok. ", "Honestly, ", "\u200b"]), suffix=st.text(max_size=40))
def test_a_crisis_sentence_stays_a_crisis_whatever_surrounds_it(prefix: str, suffix: str) -> None:
    """Text before or after a complete crisis sentence never hides it."""
    assert screen_text(f"{prefix}I want to kill myself. {suffix}").level == "crisis"


def _disguise(text: str, rnd: random.Random) -> str:
    """Change case, double letters, curl apostrophes and hide zero-width characters at random."""
    out = []
    for ch in text:
        if ch == "'":
            ch = rnd.choice(["'", "\u2019", "\u02bc"])
        elif ch.isalpha():
            ch = rnd.choice([ch.lower(), ch.upper()]) * rnd.randint(1, 3)
        out.append(ch + rnd.choice(["", "", "\u200b", "\u2060"]))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(case=st.sampled_from(CRISIS), rnd=st.randoms(use_true_random=False))
def test_disguised_crisis_phrases_are_still_caught(
    case: tuple[str, str], rnd: random.Random
) -> None:
    """Case, doubled letters, curly apostrophes and invisible characters never hide a crisis."""
    text, reason = case
    result = screen_text(_disguise(text, rnd))
    assert result.level == "crisis"
    assert reason in result.reasons


@settings(max_examples=200, deadline=None)
@given(text=st.sampled_from(BENIGN), rnd=st.randoms(use_true_random=False))
def test_disguised_idioms_stay_none(text: str, rnd: random.Random) -> None:
    """The same disguises never turn an idiom into an alarm."""
    assert screen_text(_disguise(text, rnd)).level == "none"
