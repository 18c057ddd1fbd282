"""Walking the after-session check-in and the coping flows it offers, with the pure engine."""

from __future__ import annotations

import pytest
from chat_driver import RESOURCES, Chat

from bot.dialogue import contracts as c

SCALE = [str(n) for n in range(11)]


def _walk_log(chat: Chat) -> None:
    """Sad + 'Something else' (typed), 6, comes and goes, sleep + work, usual things: no, a note."""
    chat.tap_all("Sad", "Something else", "Done")
    chat.type("restless")
    chat.tap("6")
    chat.tap("It comes and goes")
    chat.tap_all("Sleep", "Work", "Done")
    assert chat.last_question().text == "Can you do your usual things today?"
    chat.tap("No")
    chat.type("Hard to get going today.")
    chat.triage(True, False, "unable_to_function")  # what the rules say for a "No"


class TestAfterSession:
    def test_the_distress_is_recorded_before_anything_else_is_asked(self) -> None:
        """The 0-10 answer is a log entry at once, so it counts even if the client leaves."""
        chat = Chat("after_session")
        assert chat.buttons() == SCALE
        chat.tap("8")
        assert chat.records("log") == [{"distress": 8}]
        assert "That sounds really hard" in chat.transcript()
        assert "Nothing now" in chat.buttons()

    def test_nothing_now_goes_to_triage_and_a_warm_goodbye(self) -> None:
        """No contact advised: a goodbye that says /checkin is there, and the run completes."""
        chat = Chat("after_session")
        chat.tap("3")
        chat.tap("Nothing now")
        assert chat.state.status == "awaiting_triage"
        chat.triage(False)
        assert "Thank you for checking in, Sam &lt;&amp;&gt;." in chat.texts()[-1]
        assert chat.ended() == "completed"

    @pytest.mark.parametrize("distress", ["9", "10"])
    def test_a_check_in_ending_at_9_or_10_names_the_therapist_and_sos(self, distress) -> None:
        """No contact advised at 9-10: not "I'm here", but the therapist's contact and /sos."""
        chat = Chat("after_session")
        chat.tap(distress)
        chat.tap("Nothing now")
        chat.triage(False)
        last = chat.texts()[-1]
        assert "If it gets harder" not in last
        assert f"{distress} out of 10" in last
        assert "+1 555 0100 (Mon-Fri 9-17)" in last
        assert "/sos" in last
        assert chat.ended() == "completed"

    def test_contact_soon_at_9_closes_with_sos_too(self) -> None:
        """Advised to contact soon (not now) at 9/10: the close says where to turn meanwhile."""
        chat = Chat("after_session")
        chat.tap("9")
        chat.tap("Nothing now")
        chat.triage(True, False, "severity", urgent=False)
        assert "soon</b>" in chat.transcript()
        assert "/sos" in chat.texts()[-1]

    def test_unable_to_function_says_contact_now_and_what_will_happen(self) -> None:
        """unable_to_function: why, 'now, not later', the contact, and the therapist's likely steps."""
        chat = Chat("after_session")
        chat.tap("9")
        chat.tap("Nothing now")
        chat.triage(True, False, "unable_to_function")
        text = chat.transcript()
        assert "can't fully manage your usual things" in text
        assert "<b>Please contact Dr Lee now, not later.</b>\n+1 555 0100 (Mon-Fri 9-17)" in text
        assert "how you're managing day to day" in text
        assert "extra session this week" in text
        assert "soon</b>" not in text

    @pytest.mark.parametrize(
        ("reason", "why"),
        [
            ("persisting", "stayed high on most of the last few days"),
            ("rising", "grown a little more every day"),
            ("rapid_rise", "risen quickly"),
            ("severity", "was very strong"),
            ("coping_not_working", "tried ways to cope"),
        ],
    )
    def test_other_reasons_say_why_and_contact_soon(self, reason: str, why: str) -> None:
        """Each non-urgent reason: its own line, 'soon', and how to reach the therapist."""
        chat = Chat("after_session")
        chat.tap("7")
        chat.tap("Nothing now")
        chat.triage(True, False, reason)
        text = chat.transcript()
        assert why in text
        assert "It would be good to contact Dr Lee soon" in text
        assert "+1 555 0100" in text
        assert "now, not later" not in text
        other_lines = {
            "stayed high",
            "every day",
            "risen quickly",
            "was very strong",
            "ways to cope",
        }
        assert [line for line in other_lines if line in text and line not in why] == []

    def test_a_falling_trend_is_never_called_high(self) -> None:
        """Only the reasons that fired are said: severity alone never says 'stayed high'."""
        chat = Chat("after_session")
        chat.tap("9")
        chat.tap("Nothing now")
        chat.triage(True, False, "severity")
        text = chat.transcript()
        assert "stayed high" not in text
        assert "every day" not in text

    def test_urgent_severity_says_now(self) -> None:
        """A 10 after failed self-care is urgent: 'now, not later' without unable_to_function."""
        chat = Chat("after_session")
        chat.tap("10")
        chat.tap("Nothing now")
        chat.triage(True, False, "severity", "coping_not_working", urgent=True)
        assert "now, not later" in chat.transcript()

    def test_every_reason_is_named_when_several_hold(self) -> None:
        """All three reasons at once: each is said, and the advice is 'now'."""
        chat = Chat("after_session")
        chat.tap("9")
        chat.tap("Nothing now")
        chat.triage(True, False, "persisting", "coping_not_working", "unable_to_function")
        text = chat.transcript()
        for why in ("stayed high", "tried ways to cope", "can't fully manage your usual things"):
            assert why in text
        assert "now, not later" in text

    def test_a_crisis_shows_the_resources_and_the_therapist(self) -> None:
        """Triage crisis: the crisis resources and the therapist's contact, then the end."""
        chat = Chat("after_session")
        chat.tap("10")
        chat.tap("Nothing now")
        chat.triage(True, True, "crisis")
        last = chat.texts()[-1]
        assert RESOURCES in last
        assert "+1 555 0100" in last
        assert chat.ended() == "completed"

    def test_logging_from_the_check_in_comes_back_to_the_menu_then_triage(self) -> None:
        """'Log how I feel' runs the log flow, then offers more, then asks for triage."""
        chat = Chat("after_session")
        chat.tap("6")
        chat.tap("📝 Log how I feel")
        _walk_log(chat)
        chat.tap("No, thanks")
        assert chat.last_question().text == "Would you like to do something else?"
        chat.tap("No, that's all")
        assert chat.state.status == "awaiting_triage"
        assert len(chat.records("log")) == 2

    @pytest.mark.parametrize(
        ("label", "first_question"),
        [
            ("Sit with the feeling", "How long would you like to try?"),
            ("Something calming", "Before we start"),
            ("It often eases", "write a note to future you"),
            ("A note for next session", "bring up in your next session"),
        ],
    )
    def test_each_menu_choice_starts_its_flow(self, label: str, first_question: str) -> None:
        """Every option of the menu leads into the flow it names."""
        chat = Chat("after_session")
        chat.tap("5")
        chat.tap(label)
        assert first_question in chat.last_question().text
        assert chat.state.stack[0].flow_id == "after_session"


class TestLog:
    def test_a_full_log_records_every_field(self) -> None:
        """Feelings (with the typed one), intensity, onset, what is harder, unable, the note."""
        chat = Chat("log")
        _walk_log(chat)
        assert chat.records("log") == [
            {
                "distress": 6,
                "feelings": ["sad", "other"],
                "feelings_other": "restless",
                "onset": "comes_and_goes",
                "harder": ["work", "sleep"],  # in the order of the buttons
                "unable_to_function": True,
                "partly_unable": False,
                "note": "Hard to get going today.",
            }
        ]

    def test_unable_to_function_is_told_to_contact_the_therapist_now(self) -> None:
        """'No' to 'can you do your usual things?' says: contact the therapist now."""
        chat = Chat("log")
        _walk_log(chat)
        assert "contact Dr Lee <b>now</b>, not later" in chat.transcript()

    def test_a_quick_log_needs_no_words(self) -> None:
        """No feeling words, no note: a number and three taps are enough."""
        chat = Chat("log")
        chat.tap("Done")
        chat.tap("4")
        chat.tap("Since the session")
        chat.tap("Done")
        chat.tap("Yes")
        chat.tap("Skip")
        (entry,) = chat.records("log")
        assert entry["distress"] == 4
        assert entry["feelings"] == []
        assert entry["unable_to_function"] is False
        assert entry["partly_unable"] is False
        assert entry["note"] is None
        assert "contact Dr Lee" not in chat.transcript()

    def test_a_check_in_later_is_scheduled_on_request(self) -> None:
        """'Yes, please' asks the host to check in again in 3 hours."""
        chat = Chat("log")
        _walk_log(chat)
        chat.tap("Yes, please")
        assert chat.actions() == [("schedule_checkin", {"in_hours": 3})]
        assert chat.ended() == "completed"

    def test_no_check_in_later_means_no_action(self) -> None:
        chat = Chat("log")
        _walk_log(chat)
        chat.tap("No, thanks")
        assert chat.actions() == []
        assert chat.ended() == "completed"


class TestSelfCare:
    @pytest.mark.parametrize(
        ("label", "technique", "prompts"),
        [
            ("A calm place", "safe_place", 8),
            ("5-4-3-2-1 senses", "senses", 6),
            ("Relax my muscles", "muscles", 8),
            ("Slow breathing", "breathing", 8),
        ],
    )
    def test_each_exercise_is_paced_and_rated(
        self, label: str, technique: str, prompts: int
    ) -> None:
        """Before, the paced prompts one timer at a time, after, 'A bit' counts as helped."""
        chat = Chat("self_care")
        chat.tap("7")
        chat.tap(label)
        assert chat.state.status == "waiting"
        assert chat.fire_timers() == prompts
        chat.tap("4")
        chat.tap("A bit")
        assert chat.records("self_care") == [
            {"technique": technique, "distress_before": 7, "distress_after": 4, "helped": True}
        ]
        assert "Small shifts count" in chat.transcript()
        assert "glad it helped" not in chat.transcript()  # 'A bit' is not answered as 'Yes'

    def test_muscle_relaxation_goes_group_by_group(self) -> None:
        """Each prompt names one muscle group and paces tense, hold, let go."""
        chat = Chat("self_care")
        chat.tap("6")
        chat.tap("Relax my muscles")
        chat.fire_timers()
        groups = [t for t in chat.texts() if "Hold... 1, 2, 3, 4, 5" in t]
        assert len(groups) == 7
        timers = [e.seconds for e in chat.effects if isinstance(e, c.StartTimer)]
        assert set(timers) == {20}

    def test_stopping_early_and_no_help_is_recorded_as_not_helped(self) -> None:
        """'I'm done' mid-exercise, then 'No': helped is False and the words are kind."""
        chat = Chat("self_care")
        chat.tap("8")
        chat.tap("Slow breathing")
        chat.tap("I'm done")
        chat.tap("8")
        chat.tap("No")
        assert chat.records("self_care")[0]["helped"] is False
        assert "not your fault" in chat.transcript()

    def test_trying_another_rates_again_and_records_twice(self) -> None:
        """'Try another' starts over with a new rating; each exercise is its own entry."""
        chat = Chat("self_care")
        chat.tap("8")
        chat.tap("Slow breathing")
        chat.tap("I'm done")
        chat.tap_all("8", "No", "Try another", "7", "5-4-3-2-1 senses")
        chat.fire_timers()
        chat.tap_all("5", "Yes", "I'm done for now")
        techniques = [r["technique"] for r in chat.records("self_care")]
        assert techniques == ["breathing", "senses"]
        assert chat.ended() == "completed"

    def test_an_activity_is_suggested_and_checked_on_later(self) -> None:
        """An activity: a suggestion, a check-back in an hour, and a self_care entry."""
        chat = Chat("self_care")
        chat.tap("6")
        chat.tap("Do something kind")
        chat.tap("A short walk")
        assert "walk" in chat.texts()[-2]
        chat.tap("Yes, please")
        assert chat.actions() == [("schedule_checkin", {"in_hours": 1})]
        assert chat.records("self_care") == [{"technique": "walk", "distress_before": 6}]
        assert chat.ended() == "completed"


class TestSitWithIt:
    def _start(self, chat: Chat, minutes: str = "5 minutes") -> None:
        chat.tap(minutes)
        chat.tap("Something else")
        chat.type("restless")
        chat.tap("Chest")
        chat.tap("7")

    @pytest.mark.parametrize(
        ("label", "minutes"), [("2 minutes", 2), ("5 minutes", 5), ("10 minutes", 10)]
    )
    def test_the_prompts_spread_over_the_chosen_minutes(self, label: str, minutes: int) -> None:
        """The wait's timers add up to exactly the minutes chosen."""
        chat = Chat("sit_with_it")
        self._start(chat, label)
        chat.fire_timers()
        timers = [e.seconds for e in chat.effects if isinstance(e, c.StartTimer)]
        assert sum(timers) == pytest.approx(minutes * 60)

    def test_the_whole_sit_records_feeling_body_and_ratings(self) -> None:
        """Feeling (typed), where in the body, minutes, ratings before and after."""
        chat = Chat("sit_with_it")
        self._start(chat)
        chat.fire_timers()
        chat.tap("5")
        (entry,) = chat.records("sit_with_it")
        assert entry["feeling"] == "restless"
        assert entry["body_place"] == "chest"
        assert entry["minutes"] == 5
        assert entry["distress_before"] == 7
        assert entry["distress_after"] == 5
        assert "courage" in chat.texts()[-1]

    def test_stopping_early_is_fine_and_still_counts(self) -> None:
        """'I need to stop' ends the wait; the rating after and a kind word follow."""
        chat = Chat("sit_with_it")
        self._start(chat)
        chat.tap("I need to stop")
        assert chat.last_question().text.startswith("How strong is the feeling now")
        chat.tap("6")
        assert "it still counts" in chat.texts()[-1]
        assert chat.ended() == "completed"

    def test_how_long_the_client_stayed_reaches_the_record(self) -> None:
        """Stopping after 2 of 8 prompts (37.5 s each): seconds = 75 and completed = False."""
        chat = Chat("sit_with_it")
        self._start(chat)
        chat.fire_timers(limit=2)
        chat.tap("I need to stop")
        chat.tap("6")
        (entry,) = chat.records("sit_with_it")
        assert entry["seconds"] == 75
        assert entry["completed"] is False


class TestInGerman:
    def test_a_german_client_walks_the_check_in_in_german(self) -> None:
        """client.language = de: German questions, German buttons, the same recorded values."""
        client = {"first_name": "Sam", "language": "de", "timezone": "Europe/Berlin"}
        chat = Chat("after_session", client=client)
        assert chat.texts()[0].startswith("Hallo Sam.")
        chat.tap("7")
        chat.tap("📝 Gefühle notieren")
        chat.tap_all("Traurig", "Fertig", "7", "Seit der Sitzung", "Schlafen", "Fertig")
        chat.tap_all("Teilweise", "Überspringen")
        chat.triage(True, False, "persisting", urgent=False)  # the log's own triage step
        assert "wäre es gut, dich bald bei Dr Lee zu melden" in chat.texts()[-2]
        chat.tap_all("Nein, danke", "Nein, das war's")
        chat.triage(True, False, "persisting")
        assert chat.records("log")[1]["feelings"] == ["sad"]
        assert chat.records("log")[1]["onset"] == "since_session"
        assert "Es wäre gut, dich bald bei Dr Lee zu melden" in chat.transcript()


class TestClinicalReview:
    """The texts revised after the clinical review: conditional, matched to the answer."""

    def test_above_8_sit_with_it_offers_grounding_or_a_shorter_time(self) -> None:
        """At 9/10 staying alone with the feeling is not the aim: ground first, then 1 minute."""
        chat = Chat("sit_with_it")
        chat.tap("10 minutes")
        chat.tap("Sad")
        chat.tap("Chest")
        chat.tap("9")
        question = chat.last_question()
        assert "not the aim" in question.text
        assert [b.label for row in question.buttons for b in row] == [
            "Ground myself first",
            "A shorter time",
            "Something calming",
            "Keep my time",
        ]
        chat.tap("Ground myself first")
        assert "5 things you can see" in chat.transcript()
        chat.tap("1 minute")
        chat.fire_timers()
        chat.tap("6")
        (entry,) = chat.records("sit_with_it")
        assert entry["minutes"] == 1
        assert entry["distress_before"] == 9

    def test_up_to_8_sit_with_it_goes_straight_on(self) -> None:
        chat = Chat("sit_with_it")
        chat.tap("2 minutes")
        chat.tap("Sad")
        chat.tap("Chest")
        chat.tap("8")
        assert "not the aim" not in chat.transcript()
        assert chat.state.status == "waiting"

    def test_stopping_at_a_very_strong_feeling_points_to_help(self) -> None:
        chat = Chat("sit_with_it")
        chat.tap("5 minutes")
        chat.tap("Sad")
        chat.tap("Chest")
        chat.tap("10")
        chat.tap("A shorter time")
        chat.tap("Stop for now")
        assert "/sos" in chat.texts()[-1]
        assert chat.records("sit_with_it") == []
        assert chat.ended() == "completed"

    def test_the_imagery_offers_a_neutral_place(self) -> None:
        chat = Chat("self_care")
        chat.tap("5")
        chat.tap("A calm place")
        assert "If no place feels safe to you, that's OK: a neutral place" in chat.transcript()

    def test_partly_is_recorded_as_such_and_answered_as_such(self) -> None:
        """Below the distress threshold triage advises nothing: the milder line fits."""
        chat = Chat("log")
        chat.tap("Done")
        chat.tap("5")
        chat.tap("Since the session")
        chat.tap("Done")
        chat.tap("Partly")
        chat.tap("Skip")
        chat.triage(False)
        (entry,) = chat.records("log")
        assert (entry["unable_to_function"], entry["partly_unable"]) == (False, True)
        assert "Managing only part of your day is worth noticing" in chat.transcript()
        assert "<b>now</b>" not in chat.transcript()

    def test_partly_with_contact_now_advised_hears_it_and_not_the_milder_line(self) -> None:
        """When triage (run as the answers are saved) advises contact now, the log says so at
        once, as the therapist's alert will, and never "if it stays like this" first."""
        chat = Chat("log")
        chat.tap_all("Done", "7", "Since the session", "Done", "Partly", "Skip")
        assert chat.state.status == "awaiting_triage"
        chat.triage(True, False, "unable_to_function")
        assert "<b>Please contact Dr Lee now, not later:</b>" in chat.transcript()
        assert "If it stays like this" not in chat.transcript()
        assert chat.last_question().text.startswith("Would you like me to check in")

    def test_yes_to_self_care_is_answered_gladly(self) -> None:
        chat = Chat("self_care")
        chat.tap("7")
        chat.tap("Slow breathing")
        chat.fire_timers()
        chat.tap("3")
        chat.tap("Yes")
        assert "glad it helped" in chat.transcript()
