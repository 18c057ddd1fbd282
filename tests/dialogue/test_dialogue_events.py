"""Events outside the happy path: stale taps, /stop, /help, stickers, crises, restarts, edits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from dialogue_helpers import T0, Conversation, context, load, write_flows

from bot.dialogue import contracts as c
from bot.dialogue.engine import advance


@pytest.fixture
def chat() -> Conversation:
    talk = Conversation(load("checkin"))
    talk.start("checkin")
    return talk


def to_wait(chat: Conversation) -> None:
    chat.tap("1")
    chat.tap("Done")
    chat.tap("Skip")
    chat.tap("🌬 Breathe")


class TestStaleTaps:
    def test_a_tap_from_an_older_question_is_never_applied(self, chat: Conversation) -> None:
        """After answering the scale, tapping its old '9' returns no effects and no change."""
        chat.tap("3")
        before = chat.state
        chat.now += timedelta(minutes=5)
        assert chat.send(c.Tap("1:9")) == []
        assert chat.state is before

    def test_a_re_ask_makes_the_previous_buttons_stale(self, chat: Conversation) -> None:
        """After '7x' re-asks with prompt 2, a tap on prompt 1 does nothing."""
        chat.type("7x")
        assert chat.send(c.Tap("1:5")) == []
        chat.send(c.Tap("2:5"))
        assert chat.state is not None
        assert chat.state.answers["distress"] == 5

    @pytest.mark.parametrize("data", ["", ":", "x:1", "1", "1:", "1:abc", "999999:1", "1:~done"])
    def test_malformed_or_unknown_tap_data_changes_nothing(
        self, chat: Conversation, data: str
    ) -> None:
        """Garbage callback data is ignored quietly."""
        before = chat.state
        assert chat.send(c.Tap(data)) == []
        assert chat.state == before

    def test_a_new_run_continues_the_prompt_counter(self, chat: Conversation) -> None:
        """Starting again while a question is open closes it; its buttons are stale in the new run."""
        effects = chat.start("checkin")
        assert effects[0] == c.CloseButtons(1)
        assert chat.state is not None
        assert chat.state.prompt == 2
        assert chat.send(c.Tap("1:4")) == []


class TestStopRepeatUnsupported:
    def test_stop_ends_with_a_kind_line(self, chat: Conversation) -> None:
        """/stop closes the open keyboard, says a kind line and ends 'stopped'."""
        effects = chat.send(c.Stop())
        assert effects == [
            c.CloseButtons(1),
            c.Say("Okay, we stop here. You can come back any time."),
            c.Ended("stopped"),
        ]
        assert chat.state is not None
        assert chat.state.status == "ended"

    def test_events_after_the_end_do_nothing(self, chat: Conversation) -> None:
        """Once ended, taps, text and stop return no effects."""
        chat.send(c.Stop())
        for event in (c.Text("hi"), c.Tap("1:3"), c.Stop(), c.Resume(), c.TimerFired("x")):
            assert chat.send(event) == []

    def test_repeat_shows_the_question_again_with_new_buttons(self, chat: Conversation) -> None:
        """/help then Repeat: the same question with prompt 2; prompt 1's buttons go."""
        effects = chat.send(c.Repeat())
        assert effects[0] == c.CloseButtons(1)
        say = effects[1]
        assert isinstance(say, c.Say)
        assert say.text.startswith("How strong is it right now")
        assert say.prompt == 2

    def test_repeat_keeps_multi_select_ticks(self, chat: Conversation) -> None:
        """A ticked 'Sad' stays ticked when the question is shown again."""
        chat.tap("3")
        chat.tap("Sad")
        chat.send(c.Repeat())
        assert chat.buttons[0].label == "✓ Sad"

    def test_a_sticker_gets_text_only_and_the_question_again(self, chat: Conversation) -> None:
        """Unsupported('sticker'): 'I can only read text here.' and the question again."""
        effects = chat.send(c.Unsupported("sticker"))
        say = effects[1]
        assert isinstance(say, c.Say)
        assert say.text.startswith("I can only read text here.\n\nHow strong")

    def test_repeat_during_a_wait_keeps_the_timer(self, chat: Conversation) -> None:
        """Repeat mid-wait re-sends the prompt with a new stop button; the timer stays valid."""
        to_wait(chat)
        assert chat.state is not None
        token = chat.state.timer
        chat.send(c.Repeat())
        assert chat.texts == ["Breathe in slowly..."]
        assert not chat.of(c.StartTimer)
        assert chat.state.timer == token


class TestInterruptResume:
    def test_a_crisis_interrupts_and_nothing_but_resume_continues(self, chat: Conversation) -> None:
        """Interrupted: taps and text do nothing; Resume shows the question again."""
        chat.send(c.Interrupt())
        assert chat.state is not None
        assert chat.state.status == "interrupted"
        assert chat.send(c.Tap("1:3")) == []
        assert chat.send(c.Text("5")) == []
        effects = chat.send(c.Resume())
        say = effects[0]
        assert isinstance(say, c.Say)
        assert say.text.startswith("How strong")
        assert chat.state.status == "active"

    def test_an_interrupted_wait_ignores_old_timers_and_resumes_its_prompt(
        self, chat: Conversation
    ) -> None:
        """Timers from before the crisis are stale; Resume re-sends the current prompt with a new timer."""
        to_wait(chat)
        chat.fire_timer()
        assert chat.state is not None
        old = chat.state.timer
        chat.send(c.Interrupt())
        assert chat.state.timer is None
        assert chat.send(c.TimerFired(old or "")) == []
        chat.send(c.Resume())
        (timer,) = chat.of(c.StartTimer)
        assert timer.token != old
        assert chat.texts == ["And out..."]
        assert chat.state.status == "waiting"
        chat.fire_timer()
        assert chat.state.answers["breathe"] == {"completed": True, "seconds": 40}

    def test_stop_works_while_interrupted(self, chat: Conversation) -> None:
        """The client can still /stop after a crisis message."""
        chat.send(c.Interrupt())
        assert chat.send(c.Stop())[-1] == c.Ended("stopped")


class TestRestarts:
    def run_through(self, restart_at: set[int]) -> list[list[c.Effect]]:
        """Play one scripted conversation, storing and reloading the state as JSON at some points."""
        library = load("checkin")
        now = T0
        state, effects = advance(library, None, c.Start("checkin", context()), now)
        log = [effects]
        script = ["1:9", "2:sad", "2:~done", "3:~skip", None, "4:breathe", "timer", "timer"]
        for index, step in enumerate(script):
            if index in restart_at:
                state = c.RunState.from_json(json.loads(json.dumps(state.to_json())))
            now += timedelta(seconds=20)
            if step is None:
                event: c.Event = c.TriageDone(True, False, ("persisting",))
            elif step == "timer":
                event = c.TimerFired(state.timer or "")
            else:
                event = c.Tap(step)
            state, effects = advance(library, state, event, now)
            log.append(effects)
        assert state.status == "ended"
        return log

    def test_a_run_resumes_exactly_after_a_restart_mid_flow_and_mid_wait(self) -> None:
        """Storing the state as JSON and loading it (mid-question, mid-triage, mid-wait) changes nothing."""
        assert self.run_through(set()) == self.run_through({1, 4, 6, 7})

    def test_state_json_round_trips(self, chat: Conversation) -> None:
        """to_json -> json text -> from_json gives an equal state, also with a call stack and a wait."""
        to_wait(chat)
        assert chat.state is not None
        state = replace(
            chat.state, stack=(c.Frame("a", "v1", "call", {"x": [1, 2]}),), resume_status="waiting"
        )
        assert c.RunState.from_json(json.loads(json.dumps(state.to_json()))) == state


class TestEditedFlows:
    FLOW = """title: Edit
steps:
  - id: first
    kind: scale
    text: "How strong?"
  - id: second
    kind: text
    text: "Why?"
  - id: bye
    kind: end
"""

    def test_a_run_whose_step_was_removed_ends_gracefully(self, tmp_path: Path) -> None:
        """The client was at 'second'; the new file has no 'second': a kind line and flow_changed."""
        talk = Conversation(write_flows(tmp_path, edit=self.FLOW))
        talk.start("edit")
        talk.tap("3")
        edited = self.FLOW.replace('  - id: second\n    kind: text\n    text: "Why?"\n', "")
        talk.library = write_flows(tmp_path, edit=edited)
        effects = talk.type("because")
        assert effects == [
            c.Say(
                "This check-in was updated in the meantime, so we stop here. You can start it again any time."
            ),
            c.Ended("flow_changed"),
        ]
        assert talk.state is not None
        assert talk.state.status == "ended"

    def test_a_run_whose_step_changed_kind_ends_gracefully(self, tmp_path: Path) -> None:
        """'first' became a say step: the stored question no longer exists as such."""
        talk = Conversation(write_flows(tmp_path, edit=self.FLOW))
        talk.start("edit")
        talk.library = write_flows(tmp_path, edit=self.FLOW.replace("kind: scale", "kind: say"))
        assert talk.send(c.Tap("1:3"))[-1] == c.Ended("flow_changed")

    def test_a_run_whose_flow_was_deleted_ends_gracefully(self, tmp_path: Path) -> None:
        """The flow file is gone: flow_changed, never an exception."""
        talk = Conversation(write_flows(tmp_path, edit=self.FLOW))
        talk.start("edit")
        (tmp_path / "edit.yaml").unlink()
        talk.library = write_flows(tmp_path, other=self.FLOW)
        assert talk.send(c.Text("3"))[-1] == c.Ended("flow_changed")

    def test_an_edited_text_is_used_when_the_step_still_exists(self, tmp_path: Path) -> None:
        """Only the wording changed: the run goes on with the new text and the new version."""
        talk = Conversation(write_flows(tmp_path, edit=self.FLOW))
        talk.start("edit")
        talk.library = write_flows(tmp_path, edit=self.FLOW.replace("Why?", "What happened?"))
        talk.tap("3")
        assert talk.texts == ["What happened?"]
        assert talk.state is not None
        assert talk.state.flow_version == talk.library.flows["edit"].version

    def test_starting_an_unknown_flow_ends_gracefully(self) -> None:
        """Start('nope') gives a kind line and flow_changed rather than an exception."""
        state, effects = advance(load("checkin"), None, c.Start("nope", context()), T0)
        assert state.status == "ended"
        assert effects[-1] == c.Ended("flow_changed")


class TestLanguagesAndRobustness:
    def test_the_clients_language_is_used_and_unknown_ones_fall_back(self) -> None:
        """de gives German; 'fr' (not written) gives the default, English."""
        library = load()
        german = Conversation(library)
        german.start("kinds", context(language="de"))
        assert german.texts[0] == "Welche Sprache?"
        french = Conversation(library)
        french.start("kinds", context(language="fr"))
        assert french.texts[0] == "Which language?"

    def test_engine_lines_follow_the_language(self) -> None:
        """A German client gets the engine's re-ask in German."""
        talk = Conversation(load())
        talk.start("kinds", context(language="de"))
        talk.type("Klingonisch")
        assert talk.texts[0].startswith("Bitte tippe einen der Knöpfe unten an.")

    @pytest.mark.parametrize(
        ("broken", "ends"),
        [
            ({"status": "waiting"}, True),
            ({"status": "awaiting_triage"}, True),
            ({"step": "nowhere"}, True),
            ({"context": {"client": "not a mapping"}}, False),
            ({"selection": ("ghost",), "prompt": 0}, False),
        ],
    )
    def test_a_corrupted_state_never_raises(
        self, chat: Conversation, broken: dict[str, object], ends: bool
    ) -> None:
        """Inconsistent stored states end the run as flow_changed (or carry on) and never raise."""
        assert chat.state is not None
        state = replace(chat.state, **broken)  # type: ignore[arg-type]
        for event in (c.Text("5"), c.Tap("0:5"), c.TimerFired("x"), c.Repeat(), c.Resume()):
            new_state, effects = advance(chat.library, state, event, T0)
            assert new_state.status in c.STATUSES
            assert c.Ended("error") not in effects
            if ends:
                assert effects[-1] == c.Ended("flow_changed")
                assert new_state.status == "ended"

    def test_events_without_a_run_do_nothing(self) -> None:
        """A tap with no stored run returns an ended placeholder state and no effects."""
        state, effects = advance(load("checkin"), None, c.Tap("1:1"), T0)
        assert (state.status, effects) == ("ended", [])
