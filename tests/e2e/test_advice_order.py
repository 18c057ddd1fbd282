"""End to end on the emulator: what the client is advised agrees with itself within a flow, and
is never later than what the therapist's alert says they were advised."""

from __future__ import annotations

import pytest

from bot.testing.driver import SimulatedUser
from bot.testing.harness import BotHarness
from bot.testing.records import SentMessage

THERAPIST = 1
CLIENT = 1001
MILDER = "If it stays like this or gets harder"
CONTACT_NOW = "now, not later"
SOON = "It would be good to contact Dr. Ruiz soon"
pytestmark = pytest.mark.e2e


def alerts(h: BotHarness) -> list[SentMessage]:
    return [m for m in h.emulator.sent_messages(THERAPIST) if "alert #" in m.text]


def first_with(sam: SimulatedUser, words: str) -> SentMessage | None:
    return next((m for m in sam.messages if words in m.text), None)


async def log_partly(h: BotHarness, sam: SimulatedUser, rating: str) -> None:
    """The log's questions: no feelings, `rating`, all the time, nothing harder, "Partly", no note."""
    await h.tap_when_shown(sam, "Done")
    await h.tap_when_shown(sam, rating)
    await h.tap_when_shown(sam, "All the time")
    await h.tap_when_shown(sam, "Done")
    await h.tap_when_shown(sam, "Partly")
    await h.tap_when_shown(sam, "Skip")
    await h.outbox_drained()
    await sam.replies_until_idle(0.4)


def assert_told_before_the_alert(
    h: BotHarness, sam: SimulatedUser, level: str = "now", advice: str = CONTACT_NOW
) -> None:
    (alert,) = alerts(h)
    assert f"They were advised to contact you {level}" in alert.text
    told = first_with(sam, advice)
    assert told is not None, sam.transcript
    # The client's advice was sent before the therapist's alert saying they had it.
    assert told.seq < alert.seq
    assert first_with(sam, MILDER) is None, sam.transcript


class TestPartlyWithRaisedDistress:
    async def test_in_the_checkin_the_client_hears_contact_now_before_the_therapist(self, harness):
        """Sam's demo: 7, then "Partly" in the log the check-in offers: triage advises contact
        now. The client hears it in that step (not the milder "if it stays like this" line), and
        the end of the check-in says the same."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "7")
        await harness.tap_when_shown(sam, "📝 Log how I feel")
        await log_partly(harness, sam, "7")
        assert_told_before_the_alert(harness, sam)
        await harness.tap_when_shown(sam, "No, thanks")
        await harness.tap_when_shown(sam, "No, that's all")
        await sam.replies_until_idle(0.4)
        assert CONTACT_NOW in "\n".join(sam.transcript[-3:])  # the end says the same
        assert first_with(sam, MILDER) is None
        assert len(alerts(harness)) == 1

    async def test_in_a_log_on_its_own_the_client_is_advised_too(self, harness):
        """/log with no check-in around it (before the fix, never told to contact at all): the
        client is told what the therapist is told they were told."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/log")
        await log_partly(harness, sam, "7")
        assert_told_before_the_alert(harness, sam)

    async def test_partly_with_low_distress_keeps_the_milder_line(self, harness):
        """Below the threshold triage advises nothing: the milder line is the right one."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/log")
        await log_partly(harness, sam, "3")
        assert first_with(sam, MILDER) is not None
        assert first_with(sam, CONTACT_NOW) is None
        assert alerts(harness) == []


class TestAdviceFromARatingMidFlow:
    async def test_a_nine_in_the_checkin_is_told_at_once_not_only_at_the_end(self, harness):
        """A 9 is "contact soon" the moment it is saved, and in working hours the alert goes out
        then: the client hears it in that step, before the menu (the check-in's own triage
        says it again at its end)."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "9")
        await harness.outbox_drained()
        step = await sam.replies_until_idle(0.4)
        assert_told_before_the_alert(harness, sam, "soon", SOON)
        assert SOON in step[-1].text  # one message: the advice, then the menu under it
        assert step[-1].text.index(SOON) < step[-1].text.index("What would you like to do now?")
        assert "Nothing now" in sam.buttons()  # the check-in goes on to what could help
        await sam.tap("Nothing now")
        await sam.replies_until_idle(0.4)
        assert SOON in "\n".join(sam.transcript[-3:])
        assert len(alerts(harness)) == 1
