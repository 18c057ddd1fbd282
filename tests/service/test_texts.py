"""The bot's own texts exist in every language it speaks, and follow safe messaging."""

from __future__ import annotations

import pytest

from bot.safety import BANNED_METHOD_WORDS, CrisisResource, crisis_message
from bot.safety.crisis import LANGUAGES as CRISIS_LANGUAGES
from bot.service import texts

TEXTS = {
    name: value for name, value in vars(texts).items() if name.isupper() and isinstance(value, dict)
}
LABELS = {
    f"{name}[{i}]": label
    for name, value in vars(texts).items()
    if name.isupper() and isinstance(value, tuple) and name != "LANGUAGES"
    for i, (label, _data) in enumerate(value)
}


@pytest.mark.parametrize("name", sorted({**TEXTS, **LABELS}))
def test_every_text_has_every_language(name):
    """A German client never meets an English line of the bot's own."""
    text = {**TEXTS, **LABELS}[name]
    assert set(text) == set(texts.LANGUAGES), f"{name} lacks {set(texts.LANGUAGES) - set(text)}"
    assert all(value.strip() for value in text.values())


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_no_text_names_a_method(name):
    for value in TEXTS[name].values():
        lowered = value.lower()
        assert not [w for w in BANNED_METHOD_WORDS if f" {w} " in f" {lowered} "]


def test_translation_falls_back_to_english():
    assert texts.tr(texts.KEPT, "fr") == texts.KEPT["en"]


@pytest.mark.parametrize("language", CRISIS_LANGUAGES)
def test_crisis_message_in_each_language_carries_the_lines_and_hope(language):
    """Same structure in every language: the lines, the therapist, not a therapist, hope."""
    lines = [
        CrisisResource(name="Telefonseelsorge", phone="0800 111 0 111", url="https://x.example"),
        CrisisResource(name="Line B", text="85258"),
    ]
    message = crisis_message(
        lines, "Dr. Ruiz at +49 30 000", "Sam", emergency_number="112", language=language
    )
    assert "0800 111 0 111" in message
    assert "85258" in message
    assert "112" in message
    assert "Dr. Ruiz" in message
    assert len(message) < 1000
    assert not [w for w in BANNED_METHOD_WORDS if f" {w} " in f" {message.lower()} "]
