"""Walking onboarding, /about, it_will_pass, next_session_note and thinking_of_stopping."""

from __future__ import annotations

import re

import pytest
from chat_driver import RESOURCES, Chat
from flow_yaml import all_texts

from bot.dialogue.timezones import find_zone


class TestOnboarding:
    def _consent_and_zone(self, chat: Chat, alerts: str, country: str = "United Kingdom") -> None:
        chat.tap(country)
        chat.tap("Yes, that's OK")
        chat.tap(alerts)

    def test_consent_then_a_zone_button_sets_everything_and_ends(self) -> None:
        """Yes to check-ins, no to alerts, the UK, 'London': four settings stored, a warm end."""
        chat = Chat("onboarding")
        self._consent_and_zone(chat, "No, just tell me")
        chat.tap("London")
        assert chat.updates() == {
            "consent_checkins": True,
            "consent_alerts": False,
            "country": "GB",
            "timezone": "Europe/London",
        }
        assert chat.ended() == "completed"
        assert "All set, Sam &lt;&amp;&gt;." in chat.texts()[-1]

    def test_informed_consent_comes_before_the_first_question(self) -> None:
        """The country first, then its crisis lines; not a therapist, not for emergencies, not
        end-to-end encrypted: all before the consent question."""
        chat = Chat("onboarding")
        assert chat.buttons() == ["United Kingdom", "France", "Another country"]
        chat.tap("United Kingdom")
        before = chat.transcript()
        assert chat.buttons() == ["Yes, that's OK", "No, thanks"]
        assert chat.actions() == [("show_crisis_lines", {})]
        assert "not a therapist" in before
        assert "<b>not end-to-end encrypted</b>" in before
        assert "feel worse for a while after a session" in before
        for command in ("/pause", "/stop", "/mydata", "/delete"):
            assert command in before

    def test_declining_check_ins_ends_kindly_and_stores_nothing(self) -> None:
        """'No, thanks' ends at once, says /start works any time, and sets no consent."""
        chat = Chat("onboarding")
        chat.tap("France")
        chat.tap("No, thanks")
        assert chat.ended() == "completed"
        assert "/start again" in chat.texts()[-1]
        assert chat.updates() == {"country": "FR"}  # for the crisis lines only

    def test_alert_consent_is_separate_and_optional(self) -> None:
        """Saying yes to alerts stores consent_alerts = True next to consent_checkins."""
        chat = Chat("onboarding")
        self._consent_and_zone(chat, "Yes, let them know")
        chat.tap("Sydney")
        assert chat.updates()["consent_alerts"] is True

    @pytest.mark.parametrize(
        ("typed", "zone"), [("Madrid", "Europe/Madrid"), ("toronto", "America/Toronto")]
    )
    def test_another_place_takes_a_typed_city(self, typed: str, zone: str) -> None:
        """'Another place' asks for a city and stores the zone it names."""
        chat = Chat("onboarding")
        self._consent_and_zone(chat, "No, just tell me")
        chat.tap("Another place")
        chat.type(typed)
        assert chat.updates()["timezone"] == zone

    def test_an_unknown_place_is_asked_again(self) -> None:
        """A place the engine cannot find re-asks instead of storing a wrong zone."""
        chat = Chat("onboarding")
        self._consent_and_zone(chat, "No, just tell me")
        chat.tap("Another place")
        chat.type("Nowhereville")
        assert "timezone" not in chat.updates()
        assert chat.state.status == "active"

    def test_the_country_is_asked_not_taken_from_the_time_zone(self) -> None:
        """France, then 'Berlin / Paris': the country stays France (a zone is not a country)."""
        chat = Chat("onboarding")
        self._consent_and_zone(chat, "No, just tell me", country="France")
        chat.tap("Berlin / Paris")
        assert chat.updates()["country"] == "FR"
        assert chat.updates()["timezone"] == "Europe/Berlin"

    @pytest.mark.parametrize(
        ("typed", "code"), [("Kenya", "KE"), ("canada", "CA"), ("Österreich", "AT"), ("UK", "GB")]
    )
    def test_another_country_is_typed_in_english_or_german(self, typed: str, code: str) -> None:
        """'Another country' takes a typed name (English or German) and stores its ISO code."""
        chat = Chat("onboarding")
        chat.tap("Another country")
        chat.type(typed)
        assert chat.updates()["country"] == code
        assert chat.buttons() == ["Yes, that's OK", "No, thanks"]

    def test_an_unknown_country_is_asked_again(self) -> None:
        """A name that is no country re-asks and stores nothing."""
        chat = Chat("onboarding")
        chat.tap("Another country")
        chat.type("Nowhereville")
        assert "country" not in chat.updates()
        assert "could not find that country" in chat.transcript()

    def test_no_language_question_with_one_language(self) -> None:
        """With one configured language, onboarding starts with the welcome."""
        chat = Chat("onboarding")
        assert chat.texts()[0].startswith("Hi Sam")

    def test_the_language_comes_first_when_several_are_configured(self) -> None:
        """Two languages: the language comes first, is stored, and the rest is in it."""
        clinic = {
            "name": "Riverside",
            "languages": ["en", "de"],
            "language_count": 2,
            "countries": [{"value": "DE", "label": {"en": "Germany", "de": "Deutschland"}}],
        }
        chat = Chat("onboarding", clinic=clinic)
        assert chat.buttons() == ["en", "de"]
        chat.tap("de")
        assert chat.updates() == {"language": "de"}
        assert "Hallo Sam &lt;&amp;&gt;, willkommen." in chat.transcript()
        assert chat.buttons() == ["Deutschland"]  # the country's name in the chosen language
        chat.tap("Deutschland")
        assert chat.buttons() == ["Ja, das ist okay", "Nein, danke"]


def test_about_repeats_the_summary_with_commands_and_resources() -> None:
    """/about: what the bot is not, encryption, the commands, and the crisis resources."""
    chat = Chat("about")
    text = chat.transcript()
    assert chat.ended() == "completed"
    assert "<b>not a therapist</b>" in text
    assert "<b>not end-to-end encrypted</b>" in text
    assert RESOURCES in text
    for command in ("/checkin", "/log", "/selfcare", "/sit", "/note", "/pause", "/sos"):
        assert command in text


class TestItWillPass:
    def test_without_a_saved_note_it_offers_to_write_one(self) -> None:
        """No note yet: the reminder, then the offer; the new note is recorded as future_me."""
        chat = Chat("it_will_pass")
        assert "it eases within a day or two" in chat.transcript()
        assert "It will pass" not in chat.transcript()  # conditional, never a promise
        assert "the work is happening" not in chat.transcript()  # worsening is not progress
        assert "worse after <i>every</i> session" in chat.transcript()
        assert "You wrote this" not in chat.transcript()
        chat.tap("Write a note")
        chat.type("I've been here before & it passed.")
        assert chat.records("future_me") == [{"note": "I've been here before & it passed."}]
        assert chat.ended() == "completed"

    def test_a_saved_note_is_shown_escaped(self) -> None:
        """The client's own sentence comes back to them, HTML-escaped."""
        chat = Chat("it_will_pass", memory={"future_me": "This <passes>", "notes_count": 0})
        assert "You wrote this for yourself:\n<i>This &lt;passes&gt;</i>" in chat.transcript()
        chat.tap("Not now")
        assert chat.records() == []


class TestNextSessionNote:
    def test_a_note_is_recorded_for_the_next_session(self) -> None:
        """'Write a note': the text is recorded as a session_note the therapist will see."""
        chat = Chat("next_session_note")
        assert "hard to say out loud" in chat.transcript()
        chat.tap("Write a note")
        chat.type("I find it hard to say this out loud: I want to talk about my dad.")
        chat.tap("That's all")
        notes = chat.records("session_note")
        assert notes == [
            {"note": "I find it hard to say this out loud: I want to talk about my dad."}
        ]
        assert "Dr Lee will read it just before your next session" in chat.transcript()
        assert "If something can't wait until then, contact Dr Lee directly" in chat.transcript()

    def test_seeing_notes_asks_the_host_to_show_them(self) -> None:
        """'See my notes' with notes saved: the show_notes action (the host adds delete buttons)."""
        chat = Chat("next_session_note", memory={"future_me": "", "notes_count": 2})
        chat.tap("See my notes")
        assert chat.actions() == [("show_notes", {})]
        assert "delete any note" in chat.texts()[-1]
        assert chat.ended() == "completed"

    def test_a_note_written_just_now_can_be_seen(self) -> None:
        """A note saved in this run counts, even though notes_count was 0 at the start."""
        chat = Chat("next_session_note")
        chat.tap("Write a note")
        chat.type("Something about work.")
        chat.tap("See my notes")
        assert chat.actions() == [("show_notes", {})]

    def test_without_notes_it_offers_to_write_one(self) -> None:
        """No notes yet: no empty list, an offer to write the first one instead."""
        chat = Chat("next_session_note")
        chat.tap("See my notes")
        assert chat.actions() == []
        assert "no notes for your next session yet" in chat.last_question().text
        chat.tap("Write a note")
        chat.type("First note.")
        assert chat.records("session_note") == [{"note": "First note."}]


class TestThinkingOfStopping:
    def test_the_therapist_is_told_only_after_a_yes(self) -> None:
        """Yes: notify_therapist with the topic, and nothing is recorded."""
        chat = Chat("thinking_of_stopping")
        assert "your choice" in chat.transcript()
        assert "one or two more sessions" in chat.transcript()
        chat.tap("Yes, let them know")
        assert chat.actions() == [("notify_therapist", {"topic": "thinking_of_stopping"})]

    def test_no_means_nobody_is_told(self) -> None:
        """No: no action at all, and a kind word."""
        chat = Chat("thinking_of_stopping")
        chat.tap("No, not now")
        assert chat.actions() == []
        assert "I won't tell anyone" in chat.transcript()
        assert chat.ended() == "completed"

    def test_writing_a_note_instead_runs_the_note_flow(self) -> None:
        """'I'll write a note' calls next_session_note and comes back to say goodbye."""
        chat = Chat("thinking_of_stopping")
        chat.tap("I'll write a note")
        chat.tap("Write a note")
        chat.type("I am thinking about stopping.")
        chat.tap("That's all")
        assert chat.records("session_note") == [{"note": "I am thinking about stopping."}]
        assert chat.actions() == []
        assert "you're in charge" in chat.texts()[-1]


def test_the_example_cities_in_the_zone_question_are_understood() -> None:
    """Every city the 'Another place' question names as an example (any language) resolves."""
    prompts = [t for t in all_texts() if t.flow_id == "timezone" and t.step_id == "timezone_typed"]
    assert {t.language for t in prompts} == {"en", "de"}
    for prompt in prompts:
        cities = re.findall(r"<i>([^<]+)</i>", prompt.text)
        assert len(cities) == 2, prompt.where
        for city in cities:
            assert find_zone(city) is not None, f"{city!r} in {prompt.where}"
