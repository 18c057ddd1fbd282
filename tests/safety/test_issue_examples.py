"""Every example in issue 10's "Why" screens as it should, with its category."""

from __future__ import annotations

import pytest

from bot.safety import screen_text

# Each of these screened `none` before issue 10; each is a crisis of the given category.
MISSED = [
    ("I took all my pills", "act_under_way"),
    ("I'm going to hang myself", "plan_or_preparation"),
    ("I cut again last night", "self_harm"),
    ("I bought a rope today", "plan_or_preparation"),
    ("I wrote letters to my kids and put them in the drawer", "plan_or_preparation"),
    ("thank you for everything. goodbye", "plan_or_preparation"),
    ("I'm standing on the bridge right now", "act_under_way"),
    ("he's hitting me again and I'm scared", "danger_from_others"),
    ("i wnat to die", "suicidal_thoughts"),
    ("I can't go on living like this", "suicidal_thoughts"),
    ("Ich habe mich wieder geritzt", "self_harm"),
    ("Er schlägt mich", "danger_from_others"),
]
# Each of these screened `crisis` before issue 10; none of them is one.
FALSE_ALARMS = [
    "my boss is going to kill me, I'm late again",
    "I went to a suicide prevention training at work today",
    "My brother attempted suicide last year and he's doing much better now",
]


@pytest.mark.parametrize(("text", "category"), MISSED)
def test_the_missed_examples_are_crises_of_their_category(text: str, category: str) -> None:
    """A plan, a method, an act, a goodbye or danger from someone else is a crisis."""
    result = screen_text(text)
    assert result.level == "crisis"
    assert result.category == category
    assert result.rule is not None


@pytest.mark.parametrize("text", FALSE_ALARMS)
def test_the_false_alarms_are_calm(text: str) -> None:
    """An idiom, a training, someone else's recovered past: nothing to alarm about."""
    assert screen_text(text).level == "none"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I'm not suicidal", "denied_risk"),
        ("ich bin nicht suizidal", "denied_risk"),
        ("I used to cut, 2 years clean now", "past_risk"),
        ("my friend told me she wants to die", "third_party_risk"),
    ],
)
def test_context_lowers_to_a_concern(text: str, reason: str) -> None:
    """Negation, the past and other people lower a crisis phrase to a concern."""
    result = screen_text(text)
    assert result.level == "concern"
    assert reason in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "I watched a documentary about suicide and now I want to die",
        "my brother attempted suicide last year and I think about killing myself too",
    ],
)
def test_context_never_hides_first_person_risk_beside_it(text: str) -> None:
    """A report or someone else's story in one clause does not hide the writer's own risk."""
    assert screen_text(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "I watched a documentary about suicide, it made me think about my own pills",
        "my brother attempted suicide last year, i have pills too",
    ],
)
def test_lowered_context_stays_a_concern_when_the_writer_speaks_of_risk(text: str) -> None:
    """Context lowers to a concern, never to nothing, when first-person risk words are there."""
    assert screen_text(text).level == "concern"
