"""Entrapment (feeling trapped with no way out) is a risk factor of its own: said without any
word of death it is a concern, which the therapist sees in the summary; said with the one exit
left unnamed ("no way out except one") it is suicidal thinking. Found missed in a newcomer's
demo trial ("I can't see a way out of this anymore" got no flag at all). Rules alone, so a
retrained model cannot hide a broken rule; each with an everyday twin sharing its words."""

from __future__ import annotations

import pytest

from bot.safety import screen_text

CONCERNS = [
    "I can't see a way out of this anymore",
    "I cant see a way out",
    "i don't see any way out",
    "honestly cant see any way out",
    "i just can't find a way out of this pain",
    "no escape from this anymore",
    "Ich sehe keinen Ausweg mehr",
    "es gibt keinen ausweg für mich",
]
SUICIDAL_THOUGHTS = [
    "there is no way out of this except one",
    "no other way out but dying",
    "theres no way out for me except the bridge",  # the exit named by its place or means
    "no way out of this but the pills",
]
EVERYDAY = [
    "the cat can't find a way out of the box",
    "we couldn't find a way out of the car park for ages lol",
    "no escape room this weekend, it was booked out",
    "the kids found a way out of the maze in ten minutes",
]


@pytest.mark.parametrize("text", CONCERNS)
def test_entrapment_is_a_concern(text: str) -> None:
    assert screen_text(text, learned=False).level == "concern"


@pytest.mark.parametrize("text", SUICIDAL_THOUGHTS)
def test_the_one_exit_left_unnamed_is_suicidal_thinking(text: str) -> None:
    result = screen_text(text, learned=False)
    assert result.level == "crisis"
    assert result.category == "suicidal_thoughts"


@pytest.mark.parametrize("text", EVERYDAY)
def test_a_way_out_of_a_place_is_nothing(text: str) -> None:
    assert screen_text(text).level == "none"
