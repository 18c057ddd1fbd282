"""The response fits what was said: one text per kind and language, each safe to send."""

from __future__ import annotations

import re

import pytest

from bot.safety import find_banned_words
from bot.safety.crisis import RESPONSE_KINDS, CrisisLines, CrisisResource, crisis_response
from bot.safety.disclosure import CONCERN_IN_FLOW, disclosure_in_flow

GB = CrisisLines(
    emergency="999",
    resources=(
        CrisisResource("Samaritans", phone="116 123", url="https://www.samaritans.org"),
        CrisisResource("Shout", text="85258", keyword="SHOUT"),
        CrisisResource("NHS 111", phone="111"),
    ),
    violence=(CrisisResource("National Domestic Abuse Helpline", phone="0808 2000 247"),),
)
DE = CrisisLines(
    emergency="112",
    police="110",
    resources=(CrisisResource("TelefonSeelsorge", phone="0800 111 0 111 / 0800 111 0 222"),),
    violence=(CrisisResource("Hilfetelefon Gewalt gegen Frauen", phone="116 016"),),
)
FALLBACK = CrisisLines("112", country_known=False, directory_url="https://findahelpline.com")
CONTACT = "Dr Lee at 020 7946 0000 (Mon-Fri 9-17)"

# (kind, language) -> words that must be in the text: what makes it fit what was said.
FITS = {
    ("suicidal", "en"): ["not have to face it alone", "reach out to someone now", "can change"],
    ("suicidal", "de"): ["nicht allein durch", "wende dich jetzt an jemanden", "verändern"],
    ("self_harm", "en"): ["hurt yourself", "medical help", "do pass"],
    ("self_harm", "de"): ["verletzt", "ärztliche Hilfe", "geht vorbei"],
    ("emergency", "en"): ["This is an emergency", "stay with them until help arrives"],
    ("emergency", "de"): ["Das ist ein Notfall", "bis Hilfe kommt"],
    ("danger", "en"): ["not your fault", "safer place", "violence and abuse", "delete this chat"],
    ("danger", "de"): ["nicht deine Schuld", "sichereren Ort", "bei Gewalt", "Chat löschen"],
    ("harm_to_others", "en"): ["distance between you and them", "talk it through"],
    ("harm_to_others", "de"): ["auf Abstand", "darüber sprechen"],
}
SUICIDE_FRAMING = re.compile(r"suicid|end(ing)? your life|these thoughts|Suizid|Gedanken", re.I)


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(("kind", "language"), sorted(FITS))
class TestEachKindAndLanguage:
    def test_says_what_fits_the_kind(self, kind, language) -> None:
        """Each kind has its own words, in each language."""
        text = crisis_response(kind, GB, therapist_contact=CONTACT, language=language)
        for words in FITS[(kind, language)]:
            assert words in text

    def test_is_safe_to_send(self, kind, language) -> None:
        """No method word; never claims to be a therapist; short; the emergency number is there."""
        for lines in (GB, DE, FALLBACK):
            text = crisis_response(kind, lines, first_name="<Sam>", language=language)
            assert find_banned_words(text) == ()
            assert "I am your therapist" not in text
            assert "not a therapist" in text or "keine Therapeutin" in text
            assert len(_visible(text)) < 1200
            assert f"call {lines.emergency}" in text or f"anrufen: {lines.emergency}" in text
            assert "<Sam>" not in text

    def test_opened_by_the_client_does_not_thank_for_telling(self, kind, language) -> None:
        """/sos is asked for, not told: no "thank you for telling me" anywhere."""
        text = crisis_response(kind, GB, language=language, opened_by_client=True)
        assert "thank you for telling me" not in text.lower()
        assert "dass du es mir sagst" not in text

    def test_the_therapist_contact_is_given(self, kind, language) -> None:
        """The therapist's contact follows the lines."""
        assert CONTACT in crisis_response(kind, GB, therapist_contact=CONTACT, language=language)


class TestWhatEachKindPutsFirst:
    def test_an_act_under_way_says_call_emergency_services_first(self) -> None:
        """The very first words are "call the emergency number now"."""
        assert crisis_response("emergency", GB).startswith("<b>Please call 999 now.</b>")
        assert crisis_response("emergency", DE, language="de").startswith(
            "<b>Bitte ruf jetzt 112 an.</b>"
        )

    def test_danger_from_another_person_gets_police_and_violence_lines_not_suicide_words(self):
        """Police number, the domestic-violence line, and no suicide framing."""
        text = crisis_response("danger", DE, language="de")
        assert "<b>110</b>" in text
        assert "116 016" in text
        assert "TelefonSeelsorge" not in text
        assert not SUICIDE_FRAMING.search(_visible(text))
        english = crisis_response("danger", GB)
        assert "0808 2000 247" in english
        assert "Samaritans" not in english
        assert not SUICIDE_FRAMING.search(_visible(english))

    def test_danger_where_no_violence_line_exists_falls_back_to_crisis_lines(self) -> None:
        """No violence line in the table: someone to talk to is still listed."""
        lines = CrisisLines("000", resources=(CrisisResource("Lifeline", phone="13 11 14"),))
        assert "13 11 14" in crisis_response("danger", lines)

    def test_suicidal_thoughts_lists_the_crisis_lines(self) -> None:
        """Samaritans, "text SHOUT to 85258" and NHS 111 for a client in the UK."""
        text = crisis_response("suicidal", GB)
        assert "call 116 123" in text
        assert "text SHOUT to 85258" in text
        assert "call 111" in text

    def test_sos_lists_violence_lines_too(self) -> None:
        """/sos does not say what is wrong: it lists crisis and domestic-violence lines."""
        text = crisis_response("suicidal", GB, opened_by_client=True)
        assert "116 123" in text
        assert "0808 2000 247" in text

    def test_the_fallback_gives_112_and_a_directory_and_no_national_line(self) -> None:
        """Without an entry for the country: 112, the directory, and how to set the country."""
        text = crisis_response("suicidal", FALLBACK)
        assert "<b>112</b>" in text
        assert "https://findahelpline.com" in text
        assert "/country" in text
        for foreign in ("999", "116 123", "988", "3114"):
            assert foreign not in text


class TestDisclosureInFlow:
    @pytest.mark.parametrize(
        ("text", "handling", "kind"),
        [
            ("I want to die", "crisis", "suicidal"),
            ("he hits me and I'm scared", "crisis", "danger"),
            ("I feel hopeless", "concern_then_ask_again", "suicidal"),
            ("just tired", "answer", "suicidal"),
        ],
    )
    def test_what_a_typed_text_does(self, text, handling, kind) -> None:
        """Crisis interrupts with its kind; a concern is acknowledged; anything else answers."""
        disclosure = disclosure_in_flow(text, free_text_question=False)
        assert disclosure.handling == handling
        assert disclosure.kind == kind

    def test_a_concern_at_a_free_text_question_is_kept_as_the_answer(self) -> None:
        """At a note the words are the answer (acknowledged too), not asked again."""
        disclosure = disclosure_in_flow("I feel hopeless", free_text_question=True)
        assert disclosure.handling == "concern_then_answer"
        assert disclosure.reason == "hopelessness"

    @pytest.mark.parametrize("language", sorted(CONCERN_IN_FLOW))
    def test_the_concern_sentence_offers_sos(self, language) -> None:
        """One sentence or two: acknowledgement and /sos, no method word."""
        assert "/sos" in CONCERN_IN_FLOW[language]
        assert find_banned_words(CONCERN_IN_FLOW[language]) == ()


def test_every_kind_has_every_language() -> None:
    """A table test above exists for each kind in each language."""
    assert {kind for kind, _ in FITS} == set(RESPONSE_KINDS)
    assert {language for _, language in FITS} == {"en", "de"}
