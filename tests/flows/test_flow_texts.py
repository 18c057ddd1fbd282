"""Content rules for every shipped flow text, in every language.

Safe messaging (no means of self-harm, crisis texts carry the resources), phone-sized messages,
thumb-sized buttons, and the informed-consent facts onboarding and /about must state.
"""

from __future__ import annotations

import re

import pytest
from flow_yaml import (
    SHIPPED_FLOW_IDS,
    FlowText,
    all_texts,
    flow_files,
    flow_texts,
    is_message,
    load_raw,
)

from bot.safety import BANNED_METHOD_WORDS, find_banned_words

MAX_MESSAGE_CHARS = 1000
MAX_LABEL_CHARS = 24
# Standard measures keep their published answer wording ("An mehr als der Hälfte der Tage"): a
# shortened answer is no longer the validated measure. Those labels may take one full row.
MEASURE_FLOWS = ("phq9", "gad7")
MAX_PUBLISHED_LABEL_CHARS = 32
TEXTS = all_texts()


def banned_words_in(text: str) -> list[str]:
    """The banned method words in `text`, as whole words (plural and -ed/-ing forms included)."""
    found = []
    for word in BANNED_METHOD_WORDS:
        pattern = rf"\b{re.escape(word.lower())}(?:s|es|ed|ing)?\b"
        if re.search(pattern, text.lower()):
            found.append(word)
    return found


def _id(text: FlowText) -> str:
    return f"{text.flow_id}.{text.step_id}.{text.key}.{text.language}"


class TestShippedFiles:
    def test_every_flow_ships_in_a_file_named_after_its_id(self) -> None:
        """flows/<id>.yaml holds the flow `<id>`, and all nine flows are there."""
        ids = {}
        for path in flow_files():
            ids[path.stem] = load_raw(path)["id"]
        assert ids == {flow_id: flow_id for flow_id in SHIPPED_FLOW_IDS}

    @pytest.mark.parametrize("flow_id", SHIPPED_FLOW_IDS)
    def test_each_flow_describes_its_purpose_in_one_line(self, flow_id: str) -> None:
        """The description is one short line, so a therapist can choose flows from a list."""
        description = next(
            t.text for t in all_texts() if t.flow_id == flow_id and t.key == "description"
        )
        assert "\n" not in description
        assert 10 < len(description) <= 120


class TestSafeMessaging:
    def test_the_banned_word_check_finds_a_banned_word(self) -> None:
        """The check below is not vacuous: it spots a listed word inside a sentence."""
        word = sorted(BANNED_METHOD_WORDS)[0]
        assert banned_words_in(f"Some words, then {word.upper()}, then more.") == [word]

    @pytest.mark.parametrize("text", TEXTS, ids=_id)
    def test_no_text_names_a_means_of_self_harm(self, text: FlowText) -> None:
        """No flow text, in any language, contains a banned method word."""
        assert banned_words_in(text.text) == [], text.where
        assert find_banned_words(text.text) == (), text.where

    def test_crisis_steps_exist(self) -> None:
        """At least one step is about a crisis, so the next check covers something."""
        assert any("crisis" in t.step_id and is_message(t) for t in TEXTS)

    @pytest.mark.parametrize(
        "text", [t for t in TEXTS if "crisis" in t.step_id and is_message(t)], ids=_id
    )
    def test_every_crisis_message_carries_the_resources(self, text: FlowText) -> None:
        """A message in a step whose id mentions a crisis always shows the crisis resources."""
        assert "{crisis.resources}" in text.text, text.where

    @pytest.mark.parametrize("text", TEXTS, ids=_id)
    def test_the_bot_never_claims_to_be_a_therapist(self, text: FlowText) -> None:
        """No text says 'I am a/your therapist' (saying it is NOT a therapist is fine)."""
        claim = re.search(r"\bI(?:'m| am) (?:a|your) (?:therapist|counsellor)", text.text)
        assert claim is None, text.where


class TestPhoneScreen:
    @pytest.mark.parametrize("text", [t for t in TEXTS if is_message(t)], ids=_id)
    def test_messages_stay_under_a_thousand_characters(self, text: FlowText) -> None:
        """Each message fits a phone screen: under 1,000 characters before placeholders."""
        assert len(text.text) < MAX_MESSAGE_CHARS, text.where

    @pytest.mark.parametrize("text", [t for t in TEXTS if "label" in t.key], ids=_id)
    def test_button_labels_are_thumb_sized(self, text: FlowText) -> None:
        """Button labels are at most 24 characters (a measure's published answers: 32)."""
        published = text.flow_id in MEASURE_FLOWS and text.step_id.startswith(text.flow_id)
        longest = MAX_PUBLISHED_LABEL_CHARS if published else MAX_LABEL_CHARS
        if text.flow_id == "phq9" and text.step_id == "difficulty":
            longest = MAX_PUBLISHED_LABEL_CHARS  # the PHQ-9's published functional question
        assert 0 < len(text.text) <= longest, text.where


def _joined(flow_id: str) -> str:
    path = next(p for p in flow_files() if p.stem == flow_id)
    return "\n".join(t.text for t in flow_texts(load_raw(path)))


class TestInformedConsent:
    @pytest.mark.parametrize("flow_id", ["onboarding", "about"])
    @pytest.mark.parametrize(
        "fact",
        [
            "not a therapist",
            "not for emergencies",
            "not end-to-end encrypted",
            "/sos",
            "{therapist.name} sees them",
            "/pause",
            "/stop",
            "/mydata",
            "/delete",
        ],
    )
    def test_onboarding_and_about_state_the_facts_of_consent(self, flow_id: str, fact: str) -> None:
        """What the bot is not, who sees the data, encryption, crisis help and the controls."""
        plain = re.sub(r"</?[biu]>", "", _joined(flow_id))
        assert fact in plain

    def test_onboarding_prepares_for_feeling_worse_after_sessions(self) -> None:
        """Clients learn before therapy starts that feeling worse for a while can happen."""
        assert "feel worse for a while after a session" in _joined("onboarding")


def test_onboarding_shows_the_clients_own_crisis_lines_before_consent() -> None:
    """Onboarding calls the country flow before the consent question; it shows the lines of the
    country just chosen (the host's show_crisis_lines), and /about lists them too."""
    onboarding = load_raw(next(p for p in flow_files() if p.stem == "onboarding"))
    ids = [step["id"] for step in onboarding["steps"]]
    call = next(step for step in onboarding["steps"] if step.get("flow") == "country")
    assert ids.index(call["id"]) < ids.index("consent_checkins")
    country = load_raw(next(p for p in flow_files() if p.stem == "country"))
    assert any(step.get("name") == "show_crisis_lines" for step in country["steps"])
    assert "{crisis.resources}" in _joined("about")
