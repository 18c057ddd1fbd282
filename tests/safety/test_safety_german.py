"""German screening: a first set of phrases, with everyday German that must stay calm."""

from __future__ import annotations

import pytest

from bot.safety import screen_text

CRISIS = [
    "ich will nicht mehr leben",
    "Ich möchte sterben",
    "ich bringe mich um",
    "Ich habe Suizidgedanken",
    "ich denke an Selbstmord",
    "ich will mir was antun",
    "Ich möchte mir das Leben nehmen",
    "ich will einfach nicht mehr aufwachen",
    "besser tot als so weiter",
    "ohne mich wären alle besser dran",
    "ich will ihn umbringen",
    "ICH KANN NICHT MEHR LEBEN",
]
CALM = [
    "ich hab dich zum Sterben gern",
    "Das Leben ist schön",
    "Ich bin todmüde",
    "Mein Handy ist tot",
    "Die Hausaufgaben bringen mich um den Schlaf",
    "ich möchte heute früher schlafen",
]


@pytest.mark.parametrize("text", CRISIS)
def test_german_crisis_phrases_are_caught(text):
    assert screen_text(text).level == "crisis"


@pytest.mark.parametrize("text", CALM)
def test_everyday_german_is_not_a_crisis(text):
    assert screen_text(text).level == "none"


def test_german_hopelessness_is_a_concern():
    assert screen_text("es hat alles keinen Sinn mehr").level == "concern"
