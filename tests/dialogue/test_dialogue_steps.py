"""Each step kind, as a client meets it: what the bot says, which buttons, what is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogue_helpers import Conversation, context, load, write_flows

from bot.dialogue import contracts as c


@pytest.fixture
def chat() -> Conversation:
    talk = Conversation(load("checkin"))
    talk.start("checkin", context(first_name="<Sam & Co>"))
    return talk


class TestSay:
    def test_placeholders_are_escaped_and_author_html_is_kept(self, chat: Conversation) -> None:
        """The first name `<Sam & Co>` is escaped; the author's <b> stays."""
        first = chat.effects[0]
        assert first == c.Say("Hi &lt;Sam &amp; Co&gt;. <b>No rush.</b>")

    def test_say_steps_run_straight_on_to_the_next_question(self, chat: Conversation) -> None:
        """A say step needs no input: the scale question follows in the same turn."""
        assert chat.state is not None
        assert (chat.state.step, chat.state.status) == ("strength", "active")


class TestScale:
    def test_buttons_carry_the_prompt_number_and_labels_explain_the_ends(
        self, chat: Conversation
    ) -> None:
        """0..10 as buttons `1:0`..`1:10`, with 'calm' and 'worst' under the question."""
        say = chat.of(c.Say)[1]
        assert say.prompt == 1
        assert [b.data for row in say.buttons for b in row] == [f"1:{n}" for n in range(11)]
        assert "0 = calm · 10 = worst" in say.text

    def test_a_tap_saves_the_number_and_closes_the_keyboard(self, chat: Conversation) -> None:
        """Tapping 7 saves distress=7, marks '7' as chosen and asks the next question."""
        effects = chat.tap("7")
        assert effects[0] == c.CloseButtons(1, "7")
        assert chat.state is not None
        assert chat.state.answers["distress"] == 7
        assert chat.state.step == "feelings"

    def test_a_typed_number_counts_like_a_tap(self, chat: Conversation) -> None:
        """Typing ' 4 ' answers the scale."""
        chat.type(" 4 ")
        assert chat.state is not None
        assert chat.state.answers["distress"] == 4

    @pytest.mark.parametrize("typed", ["7\x1c", "\x1f7", "\u20037\n", "٧"])
    def test_unusual_whitespace_and_other_digits_still_count(
        self, chat: Conversation, typed: str
    ) -> None:
        """Control whitespace around the number (which int() rejects) and Arabic-Indic 7 answer 7."""
        chat.type(typed)
        assert chat.state is not None
        assert chat.state.answers["distress"] == 7

    @pytest.mark.parametrize("typed", ["7x", "11", "-1", "seven", ""])
    def test_anything_else_re_asks_kindly_and_saves_nothing(
        self, chat: Conversation, typed: str
    ) -> None:
        """'7x' (or out of range) gets a kind re-ask with fresh buttons and nothing saved."""
        effects = chat.type(typed)
        assert effects[0] == c.CloseButtons(1)
        say = effects[1]
        assert isinstance(say, c.Say)
        assert say.text.startswith("Please tap a number, or type one from 0 to 10.")
        assert say.prompt == 2
        assert chat.state is not None
        assert "distress" not in chat.state.answers


class TestMulti:
    def test_taps_toggle_ticks_and_done_saves_in_option_order(self, chat: Conversation) -> None:
        """Tap Numb, Sad, Sad, Sad: the keyboard shows ticks; done saves [sad, numb]."""
        chat.tap("7")
        chat.tap("Numb")
        effects = chat.tap("Sad")
        update = effects[0]
        assert isinstance(update, c.UpdateButtons)
        labels = [b.label for row in update.buttons for b in row]
        assert labels == ["✓ Sad", "Anxious", "✓ Numb", "Done"]
        chat.tap("Sad")
        chat.tap("Sad")
        effects = chat.tap("Done")
        assert effects[0] == c.CloseButtons(2, "Sad, Numb")
        assert chat.state is not None
        assert chat.state.answers["feelings"] == ["sad", "numb"]

    def test_typed_labels_toggle_and_typed_done_finishes(self, chat: Conversation) -> None:
        """Typing 'anxious' then 'DONE' works like tapping."""
        chat.tap("7")
        chat.type("anxious")
        chat.type("DONE")
        assert chat.state is not None
        assert chat.state.answers["feelings"] == ["anxious"]

    def test_min_selected_asks_for_more_before_done(self, tmp_path: Path) -> None:
        """With min_selected 1, done without a tick re-asks and keeps the question open."""
        library = write_flows(
            tmp_path,
            pick="""title: Pick
steps:
  - id: words
    kind: multi
    text: "Which?"
    min_selected: 1
    options: [{value: a, label: "A"}, {value: b, label: "B"}]
  - id: bye
    kind: end
""",
        )
        talk = Conversation(library)
        talk.start("pick")
        talk.tap("Done")
        assert "Please choose at least 1" in talk.texts[0]
        talk.tap("B")
        talk.tap("Done")
        assert talk.of(c.Ended) == [c.Ended("completed")]
        assert talk.state is not None
        assert talk.state.answers["words"] == ["b"]


class TestText:
    def test_typed_text_is_saved_trimmed_and_the_skip_button_closes(
        self, chat: Conversation
    ) -> None:
        """'  heavy day  ' is saved as 'heavy day'."""
        chat.tap("7")
        chat.tap("Done")
        effects = chat.type("  heavy day  ")
        assert effects[0] == c.CloseButtons(3, None)
        assert chat.state is not None
        assert chat.state.answers["note"] == "heavy day"

    def test_skip_saves_nothing_and_moves_on(self, chat: Conversation) -> None:
        """Tapping Skip on an optional text stores None and goes on."""
        chat.tap("2")
        chat.tap("Done")
        chat.tap("Skip")
        assert chat.state is not None
        assert chat.state.answers["note"] is None
        assert chat.of(c.Record)[0].fields["note"] is None

    def test_too_long_and_empty_text_re_ask(self, chat: Conversation) -> None:
        """Over max_length (200) or blank: a kind re-ask, the question stays."""
        chat.tap("2")
        chat.tap("Done")
        chat.type("x" * 201)
        assert "under 200 characters" in chat.texts[0]
        chat.type("   ")
        assert "Please type a few words (or tap “Skip”)." in chat.texts[0]
        assert chat.state is not None
        assert chat.state.step == "note"

    def test_timezone_and_number_formats(self) -> None:
        """'berlin' becomes Europe/Berlin, 'Nowhereville' re-asks; '2,5' becomes 2.5, 'lots' re-asks."""
        talk = Conversation(load())
        talk.start("kinds")
        talk.tap("en")
        talk.type("Nowhereville")
        assert talk.texts[0].startswith("I could not find that place.")
        talk.type("berlin")
        assert talk.state is not None
        assert talk.state.answers["tz"] == "Europe/Berlin"
        assert talk.of(c.UpdateClient)[0].fields == {"timezone": "Europe/Berlin"}
        talk.type("lots")
        assert talk.texts[0].startswith("Please type a number")
        talk.type("2,5")
        assert talk.state.answers["minutes"] == 2.5


class TestChoice:
    def test_option_next_and_typed_labels_ignore_case_and_emoji(self, chat: Conversation) -> None:
        """Typing 'breathe' picks '🌬 Breathe' and follows its next to the wait."""
        chat.tap("9")
        chat.tap("Done")
        chat.tap("Skip")
        chat.send(c.TriageDone(False, False, ()))
        chat.type("breathe")
        assert chat.state is not None
        assert chat.state.step == "breathe"
        assert chat.effects[0] == c.CloseButtons(4, "🌬 Breathe")

    def test_text_that_is_no_label_re_asks(self, chat: Conversation) -> None:
        """Typing 'maybe' at a choice re-asks with the buttons again."""
        chat.tap("1")
        chat.tap("Done")
        chat.tap("Skip")
        effects = chat.type("maybe")
        say = effects[-1]
        assert isinstance(say, c.Say)
        assert say.text.startswith("Please tap one of the buttons below.")
        assert [b.label for row in say.buttons for b in row] == ["🌬 Breathe", "Nothing now"]

    def test_dynamic_options_come_from_the_context(self) -> None:
        """options_from clinic.languages shows one button per language, data by index."""
        talk = Conversation(load())
        talk.start("kinds", context(clinic={"name": "P", "languages": ["en", "de"]}))
        say = talk.of(c.Say)[0]
        assert [(b.label, b.data) for row in say.buttons for b in row] == [
            ("en", "1:0"),
            ("de", "1:1"),
        ]

    def test_dynamic_options_that_are_missing_are_skipped(self) -> None:
        """No clinic.languages: the choice is skipped and its answer is None."""
        talk = Conversation(load())
        talk.start("kinds", context(clinic={"name": "P"}))
        assert talk.state is not None
        assert talk.state.step == "tz"
        assert talk.state.answers["language"] is None


class TestRecordSetActionBranchTriage:
    def test_record_resolves_answers_and_conditions(self, chat: Conversation) -> None:
        """The record step writes distress, feelings and note from the answers."""
        chat.tap("8")
        chat.tap("Anxious")
        chat.tap("Done")
        chat.type("tired")
        (record,) = chat.of(c.Record)
        assert record == c.Record("log", {"distress": 8, "feelings": ["anxious"], "note": "tired"})

    def test_branch_at_least_sends_high_distress_to_triage(self, chat: Conversation) -> None:
        """distress 8 (>= 7) runs triage; the run waits for its answer."""
        chat.tap("8")
        chat.tap("Done")
        chat.tap("Skip")
        assert chat.of(c.RunTriage) == [c.RunTriage()]
        assert chat.state is not None
        assert chat.state.status == "awaiting_triage"

    def test_branch_else_skips_triage_for_low_distress(self, chat: Conversation) -> None:
        """distress 3 goes straight to the choice."""
        chat.tap("3")
        chat.tap("Done")
        chat.tap("Skip")
        assert not chat.of(c.RunTriage)
        assert chat.state is not None
        assert chat.state.step == "choose"

    @pytest.mark.parametrize(
        ("contact", "crisis", "says_contact"),
        [(True, False, True), (False, False, False), (True, True, True)],
    )
    def test_triage_result_routes_and_is_saved(
        self, chat: Conversation, contact: bool, crisis: bool, says_contact: bool
    ) -> None:
        """contact -> the advice step; no contact -> next; the result is in answers.triage."""
        chat.tap("9")
        chat.tap("Done")
        chat.tap("Skip")
        chat.send(c.TriageDone(contact, crisis, ("persisting",)))
        assert any("Please contact Dr. Lee: +49 30 1234." in t for t in chat.texts) is says_contact
        assert chat.state is not None
        assert chat.state.answers["triage"] == {
            "contact": contact,
            "crisis": crisis,
            "reasons": ["persisting"],
            "urgent": False,
        }

    def test_text_while_triage_runs_gets_a_short_reply(self, chat: Conversation) -> None:
        """Typing during triage: 'One moment, please.' and still awaiting."""
        chat.tap("9")
        chat.tap("Done")
        chat.tap("Skip")
        chat.type("hello?")
        assert chat.texts == ["One moment, please."]

    def test_set_and_action_effects_and_language_switch(self) -> None:
        """Choosing 'de' sets the language: UpdateClient, and the next question is German."""
        talk = Conversation(load())
        talk.start("kinds")
        talk.tap("de")
        assert talk.of(c.UpdateClient)[0].fields == {"language": "de", "consent_checkins": True}
        assert talk.texts[-1] == "In welcher Stadt bist du?"


class TestWait:
    def start_wait(self, chat: Conversation) -> None:
        chat.tap("1")
        chat.tap("Done")
        chat.tap("Skip")
        chat.tap("🌬 Breathe")

    def test_each_prompt_comes_with_a_stop_button_and_a_timer(self, chat: Conversation) -> None:
        """The first prompt is sent and a 20 s timer is asked for."""
        self.start_wait(chat)
        say = chat.of(c.Say)[0]
        assert say.text == "Breathe in slowly..."
        assert [b.label for row in say.buttons for b in row] == ["I'm done"]
        (timer,) = chat.of(c.StartTimer)
        assert timer.seconds == 20
        assert chat.state is not None
        assert (chat.state.status, chat.state.timer) == ("waiting", timer.token)

    def test_timers_advance_the_prompts_and_completion_is_saved(self, chat: Conversation) -> None:
        """Two timers later the wait is complete: {completed: True, seconds: 40}."""
        self.start_wait(chat)
        chat.fire_timer()
        assert chat.texts == ["And out..."]
        chat.fire_timer()
        assert chat.state is not None
        assert chat.state.answers["breathe"] == {"completed": True, "seconds": 40}
        assert chat.of(c.Ended) == [c.Ended("completed")]

    def test_a_stale_timer_changes_nothing(self, chat: Conversation) -> None:
        """A TimerFired with another token is ignored."""
        self.start_wait(chat)
        before = chat.state
        assert chat.send(c.TimerFired("something-else")) == []
        assert chat.state == before

    def test_stopping_early_saves_how_long_the_client_stayed(self, chat: Conversation) -> None:
        """Stop after 20 s: completed False, seconds 20, and the flow goes on."""
        self.start_wait(chat)
        chat.fire_timer()
        chat.tap("I'm done")
        assert chat.state is not None
        assert chat.state.answers["breathe"] == {"completed": False, "seconds": 20}

    def test_text_during_a_wait_gets_a_kind_reply_and_the_wait_goes_on(
        self, chat: Conversation
    ) -> None:
        """Typing mid-exercise: a short reply, no new timer, still waiting."""
        self.start_wait(chat)
        chat.type("this is hard")
        assert chat.texts == [
            "I'm here. The exercise goes on; tap “I'm done” whenever you want to stop."
        ]
        assert not chat.of(c.StartTimer)
        assert chat.state is not None
        assert chat.state.status == "waiting"

    def test_minutes_from_an_answer_are_spread_over_the_prompts(self) -> None:
        """3 minutes over 2 prompts: a timer every 90 s."""
        talk = Conversation(load())
        talk.start("kinds")
        talk.tap("en")
        talk.type("Berlin")
        talk.type("3")
        assert talk.of(c.StartTimer)[0].seconds == 90


class TestCallGotoEnd:
    def test_a_called_flow_runs_and_returns_with_the_callers_answers(self) -> None:
        """The helper flow asks its question, then the caller continues with its own answers."""
        talk = Conversation(load())
        talk.start("kinds")
        talk.tap("en")
        talk.type("Berlin")
        talk.type("1")
        talk.fire_timer()
        talk.fire_timer()
        assert talk.state is not None
        assert talk.state.flow_id == "helper"
        assert [f.flow_id for f in talk.state.stack] == ["kinds"]
        assert talk.of(c.Record)[0] == c.Record("sit_with_it", {"minutes": 1, "completed": True})
        assert talk.of(c.Action)[0] == c.Action(
            "notify_therapist", {"topic": "sit_with_it", "minutes": 1}
        )
        talk.tap("The same")
        assert talk.texts[0] == "You chose: The same."
        assert talk.state.flow_id == "kinds"
        assert talk.texts[1] == "Once more, Sam? You said 1 minutes."

    def test_goto_jumps_back_and_end_renders_trusted_crisis_html(self) -> None:
        """'Yes' jumps back to the minutes question; 'No' ends with crisis resources unescaped."""
        talk = Conversation(load())
        talk.start("kinds")
        talk.tap("en")
        talk.type("Berlin")
        talk.type("1")
        talk.fire_timer()
        talk.fire_timer()
        talk.tap("Better")
        talk.tap("Yes")
        assert talk.state is not None
        assert talk.state.step == "minutes"
        talk.type("1")
        talk.tap("Stop")
        talk.tap("Better")
        talk.tap("No")
        assert talk.texts == ["Bye Sam. <b>Call 112</b>"]
        assert talk.of(c.Ended) == [c.Ended("completed")]
        assert talk.state.status == "ended"
