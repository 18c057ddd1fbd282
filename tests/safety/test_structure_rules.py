"""Rules by structure (`lexicon_structure.py`): each family catches its shape in words no corpus
message uses, and leaves alone the everyday messages that share its words. Rules alone
(`learned=False`), so a retrained model cannot hide a broken rule."""

from __future__ import annotations

import pytest

from bot.safety import screen_text
from bot.safety.lexicon_structure import RULES_STRUCTURE_DE, RULES_STRUCTURE_EN

CRISIS = [
    # a time when nobody is there, decided, and nothing after it
    ("everything is decided. saturday when the house is empty", "plan_or_preparation"),
    ("once my parents are asleep ill drive to the bridge", "plan_or_preparation"),
    ("heading up to the multistorey car park after my shift tonight", "plan_or_preparation"),
    ("es ist entschieden. freitag wenn die wohnung leer ist", "plan_or_preparation"),
    # an act in everyday verbs
    ("necked the whole lot with a bottle of whisky", "act_under_way"),
    ("went through both blister packs an hour ago", "act_under_way"),
    ("hab die ganze packung mit schnaps runtergeschluckt", "act_under_way"),
    # marks counted on the body
    ("made four new lines on my arm", "self_harm"),
    ("drei neue schnitte am oberschenkel", "self_harm"),
    # others relieved of me
    ("my family wont have to put up with me after friday", "plan_or_preparation"),
    ("bald muss sich keiner mehr um mich kummern", "plan_or_preparation"),
    ("für alle wäre es besser wenn ich nicht mehr da wäre", "suicidal_thoughts"),
    ("the world would be brighter without me in it", "suicidal_thoughts"),
    # a named person's violence forecast
    ("when my stepdad gets home i know he will hurt me", "danger_from_others"),
    ("she keeps texting that she will stab me", "danger_from_others"),
    ("wenn mein mann heimkommt bringt er mich um", "danger_from_others"),
]

BENIGN = [
    "saturday when the house is empty im throwing a party",
    "once my parents are asleep ill sneak some ice cream lol",
    "heading up to the car park roof after my shift with the boys for the sunset",
    "took my pills with a glass of wine at dinner, is that ok?",
    "went through both packs of biscuits lol",
    "made four new friends at the climbing wall",
    "my family wont have to put up with my snoring after friday",
    "when my dad gets home he will kill me for eating his cake lol",
    "gave my old laptop to my cousin, i wont need it",
    "sorted out who gets my room when i move out",
    "i dont see myself being here by christmas, moving to spain!",
    "samstag wenn alle weg sind mach ich party",
    "fahr morgen mit freunden zu den klippen, fotos machen",
    "ich hoffe ich wach morgen nicht auf mit kopfschmerzen",
    "das ist mein abschied aus dem team, danke euch",
]


def test_the_families_exist_in_both_languages() -> None:
    assert len(RULES_STRUCTURE_EN) >= 20
    assert len(RULES_STRUCTURE_DE) >= 15


@pytest.mark.parametrize(("text", "category"), CRISIS)
def test_the_shape_is_a_crisis_of_its_category(text: str, category: str) -> None:
    result = screen_text(text, learned=False)
    assert result.level == "crisis", result
    assert result.category == category


@pytest.mark.parametrize("text", BENIGN)
def test_the_same_words_in_everyday_shape_are_no_crisis(text: str) -> None:
    assert screen_text(text, learned=False).level != "crisis"
    assert screen_text(text).level != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "my sister took the whole lot with vodka last year, shes ok now",  # someone else, past
        "i would never take the whole lot with vodka",  # negation
        "the film was about a man who necked the whole lot with a bottle of whisky",  # report
    ],
)
def test_context_applies_to_the_structural_rules(text: str) -> None:
    assert screen_text(text, learned=False).level != "crisis"
