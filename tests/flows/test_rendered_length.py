"""Rendered messages stay phone-sized with real placeholders filled in (three crisis lines)."""

from __future__ import annotations

import pytest
from chat_driver import Chat

from bot.safety import CrisisResource, resources_text

THREE_LINES = resources_text(
    [
        CrisisResource("988 Suicide & Crisis Lifeline", phone="988", url="https://988lifeline.org"),
        CrisisResource("Crisis Text Line", text="741741", url="https://www.crisistextline.org"),
        CrisisResource("Emergency services", phone="911"),
    ]
)
LONG_CONTACT = (
    "Dr Alexandra Lee-Fernández, +1 555 0100 or alex.lee@riverside.example (Mon-Fri 9-17)"
)


def _chat(flow_id: str, language: str) -> Chat:
    return Chat(
        flow_id,
        client={"first_name": "Maximilian-Alexander", "language": language},
        therapist={"name": "Dr Alexandra Lee-Fernández", "contact": LONG_CONTACT},
        crisis={"resources": THREE_LINES},
        memory={"future_me": "x" * 500, "notes_count": 1},
    )


TAPS = {
    "onboarding": {
        "en": ["United Kingdom", "Yes, that's OK", "Yes, let them know", "London"],
        "de": ["Vereinigtes Königreich", "Ja, das ist okay", "Ja, gib Bescheid", "London"],
    },
    "about": {"en": [], "de": []},
    "it_will_pass": {"en": ["Not now"], "de": ["Jetzt nicht"]},
}


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("flow_id", sorted(TAPS))
def test_messages_fit_a_phone_with_long_names_and_three_crisis_lines(
    flow_id: str, language: str
) -> None:
    """Every message of the walk, placeholders filled, stays under 1,000 characters."""
    chat = _chat(flow_id, language)
    chat.tap_all(*TAPS[flow_id][language])
    assert chat.ended() == "completed"
    for text in chat.texts():
        assert len(text) < 1000, text


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_crisis_advice_fits_a_phone(language: str) -> None:
    """The after-session crisis message with three lines and a long contact is phone-sized."""
    chat = _chat("after_session", language)
    chat.tap("9")
    labels = {"en": "Nothing now", "de": "Gerade nichts"}
    chat.tap(labels[language])
    chat.triage(True, True, "crisis")
    last = chat.texts()[-1]
    assert THREE_LINES in last
    assert len(last) < 1000
