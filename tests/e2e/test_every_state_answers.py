"""End to end on the emulator: whatever state the chat is in, a client's message gets exactly one
reply. A chat never goes silent: not after a crisis reply, not at a question waiting for a button,
not after a flow ended, not during onboarding."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.safety import screen_text
from bot.service.texts import RESUME_LABEL as RESUME_LABELS
from bot.testing.driver import SimulatedUser
from bot.testing.harness import BotHarness

RESUME_LABEL = RESUME_LABELS["en"]
THERAPIST = 1
CLIENT = 1001
DANGER = "i want to die"
pytestmark = pytest.mark.e2e


async def nothing_open(h: BotHarness) -> SimulatedUser:
    return await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)


async def after_a_flow_ended(h: BotHarness) -> SimulatedUser:
    sam = await nothing_open(h)
    await sam.send("/checkin")
    await h.wait_for_button(sam, "10")
    await sam.send("/stop")
    await sam.replies_until_idle(0.4)
    return sam


async def at_a_button_question(h: BotHarness) -> SimulatedUser:
    sam = await nothing_open(h)
    await sam.send("/checkin")
    await h.wait_for_button(sam, "10")
    return sam


async def after_a_crisis_reply_in_a_flow(h: BotHarness) -> SimulatedUser:
    """The check-in waits (interrupted) under the crisis lines and their way back."""
    sam = await at_a_button_question(h)
    await sam.send(DANGER)
    await h.wait_for_button(sam, RESUME_LABEL)
    await sam.replies_until_idle(0.4)
    return sam


async def after_a_crisis_reply_outside_a_flow(h: BotHarness) -> SimulatedUser:
    sam = await nothing_open(h)
    await sam.send(DANGER)
    await sam.replies_until_idle(0.4)
    return sam


async def in_an_exercise_waiting(h: BotHarness) -> SimulatedUser:
    """/sit with its paced prompts running (the run waits for a timer or the stop button)."""
    sam = await nothing_open(h)
    await sam.send("/sit")
    for label in ("2 minutes", "Sad", "Chest", "3"):
        await h.tap_when_shown(sam, label)
    await h.wait_for_button(sam, "I need to stop")
    await sam.replies_until_idle(0.4)
    return sam


async def during_onboarding(h: BotHarness) -> SimulatedUser:
    """At the first onboarding question (the country, a button question)."""
    sam = h.user(CLIENT, "Sam")
    await sam.send(f"/start {await h.invite_code(THERAPIST)}")
    await h.wait_for_button(sam, "Another country")
    await sam.replies_until_idle(0.4)
    return sam


async def at_the_consent_question(h: BotHarness) -> SimulatedUser:
    sam = h.user(CLIENT, "Sam")
    await sam.send(f"/start {await h.invite_code(THERAPIST)}")
    await h.answer_country(sam, "United Kingdom")
    await h.wait_for_button(sam, "Yes, that's OK")
    await sam.replies_until_idle(0.4)
    return sam


STATES: dict[str, Callable[[BotHarness], Awaitable[SimulatedUser]]] = {
    "nothing open": nothing_open,
    "after a flow ended": after_a_flow_ended,
    "at a button question": at_a_button_question,
    "after a crisis reply in a flow": after_a_crisis_reply_in_a_flow,
    "after a crisis reply outside a flow": after_a_crisis_reply_outside_a_flow,
    "in an exercise, waiting": in_an_exercise_waiting,
    "during onboarding": during_onboarding,
    "at the consent question": at_the_consent_question,
}


async def plain_text(sam: SimulatedUser) -> None:
    await sam.send("I had a long day at work")


async def emoji_only(sam: SimulatedUser) -> None:
    await sam.send("🙂")


async def sticker(sam: SimulatedUser) -> None:
    await sam.send_sticker("😅")


async def voice_note(sam: SimulatedUser) -> None:
    await sam.send_voice()


MESSAGES: dict[str, Callable[[SimulatedUser], Awaitable[None]]] = {
    "plain text": plain_text,
    "emoji only": emoji_only,
    "sticker": sticker,
    "voice note": voice_note,
}


@pytest.mark.parametrize("message", sorted(MESSAGES))
@pytest.mark.parametrize("state", list(STATES))
async def test_every_message_in_every_state_gets_exactly_one_reply(harness, state, message):
    sam = await STATES[state](harness)
    await MESSAGES[message](sam)
    replies = await sam.replies_until_idle(0.4)
    assert len(replies) == 1, (state, message, sam.transcript[-6:])
    assert replies[0].text.strip()


class TestAfterACrisisReply:
    async def test_ordinary_words_get_a_kind_note_and_the_way_back(self, harness):
        """Sam's demo: after the crisis lines, an everyday message (an idiom, a long day) is
        answered, with the way back to the check-in under it; the check-in still waits there."""
        assert screen_text("this essay deadline is killing me lol").level != "crisis"
        sam = await after_a_crisis_reply_in_a_flow(harness)
        for words in ("this essay deadline is killing me lol", "I had a long day at work"):
            await sam.send(words)
            reply = await sam.next_reply()
            assert RESUME_LABEL in reply.buttons()
            assert "/sos" in reply.text
        await sam.tap(RESUME_LABEL)
        await harness.wait_for_button(sam, "10")
        await sam.tap("3")
        await sam.replies_until_idle(0.4)
        assert "10" not in sam.buttons()  # the answer was taken: the check-in went on

    async def test_heavy_words_are_acknowledged_once_with_the_way_back(self, harness):
        """A concern (not a crisis) while the check-in waits: the acknowledgement, in one
        message, with the button back under it."""
        assert screen_text("I feel so hopeless").level == "concern"
        sam = await after_a_crisis_reply_in_a_flow(harness)
        await sam.send("I feel so hopeless")
        (reply,) = await sam.replies_until_idle(0.4)
        assert "/sos" in reply.text
        assert RESUME_LABEL in reply.buttons()

    async def test_a_new_danger_signal_gets_the_crisis_lines_again(self, harness):
        sam = await after_a_crisis_reply_in_a_flow(harness)
        first_lines = sam.messages[-1].text
        await sam.send("I took all my pills")
        reply = await sam.next_reply()
        assert reply.text.startswith("Please call 999 now.")
        assert RESUME_LABEL in reply.buttons()
        assert reply.text != first_lines

    async def test_with_no_flow_open_ordinary_words_get_the_usual_answer(self, harness):
        sam = await after_a_crisis_reply_outside_a_flow(harness)
        await sam.send("I had a long day at work")
        reply = await sam.next_reply()
        assert "/checkin" in reply.text
