"""Telegram allows a bot about 30 messages a second: the calls a step makes, not the CPU, cap how
many people checkin can serve. The after-session check-in must cost at most 1.2 rate-limited
calls (messages and edits) per step on average; tap acknowledgements are not rate-limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.storage.models import DueWork
from bot.testing.harness import BotHarness

THERAPIST = 1
CLIENT = 1001
RATE_LIMITED = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument")
pytestmark = pytest.mark.e2e

# The after-session check-in with a full log: taps, a multi-select, typed words.
ACTIONS = (
    ("tap", "6"),
    ("tap", "📝 Log how I feel"),
    ("tap", "Sad"),
    ("tap", "Something else"),
    ("tap", "Done"),
    ("text", "jittery"),
    ("tap", "7"),
    ("tap", "It comes and goes"),
    ("tap", "Sleep"),
    ("tap", "Done"),
    ("tap", "Partly"),
    ("text", "Hard to focus at work today."),
    ("tap", "No, thanks"),
    ("tap", "No, that's all"),
)


async def test_the_after_session_check_in_costs_at_most_1_2_calls_a_step(harness: BotHarness):
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await sam.send("/aftersession")
    await harness.settled()
    async with harness.runtime.db.session() as s:
        due = (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
    harness.clock.set(min(w.due_at for w in due) + timedelta(seconds=1))
    before = dict(harness.emulator.calls)
    await harness.tick()  # step 1: the check-in starts (question and snooze offer, one message)
    await harness.settled()
    for kind, value in ACTIONS:
        if kind == "tap":
            await harness.tap_when_shown(sam, value)
        else:
            await sam.send(value)
        await harness.settled()
    calls = {m: n - before.get(m, 0) for m, n in harness.emulator.calls.items()}
    steps = 1 + len(ACTIONS)
    limited = sum(calls.get(m, 0) for m in RATE_LIMITED)
    assert limited / steps <= 1.2, calls
    taps = sum(1 for kind, _ in ACTIONS if kind == "tap")
    assert calls.get("answerCallbackQuery", 0) == taps  # every tap's spinner stopped, once


async def test_starting_a_check_in_again_midway_costs_one_call(harness: BotHarness):
    """/checkin while one is open replaces it: the new question is the one call. The old
    questions keep their keyboards (a tap on them is stale and gets a short note), instead of
    one edit per question of the replaced run."""
    sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await sam.send("/checkin")
    await harness.settled()
    await sam.send("5")
    await harness.settled()
    before = dict(harness.emulator.calls)
    await sam.send("/checkin")
    await harness.settled()
    calls = {m: n - before.get(m, 0) for m, n in harness.emulator.calls.items()}
    assert sum(calls.get(m, 0) for m in RATE_LIMITED) == 1, calls
    new_question = sam.messages[-1]
    old = [m for m in sam.messages[:-1] if m.buttons()][-1]  # the replaced run's question
    tap = await sam.tap(old.buttons()[0], old)
    await harness.settled()
    assert tap.answered
    assert tap.answer_text == "That question is already answered."
    assert sam.messages[-1].message_id == new_question.message_id  # nothing else was said
    assert new_question.buttons()  # and the open question is still open
