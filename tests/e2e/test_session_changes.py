"""/sessions in Telegram: a therapist moves or cancels one occurrence or a whole weekly series, and a
double booking asks first; the check-ins and /upcoming follow, every change is audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from bot.service.digests import plan_digests
from bot.storage.models import AuditLog, DueWork, TherapySession
from bot.testing.harness import BotHarness

THERAPIST = 1
OTHER_THERAPIST = 2
SAM = 1001
ALEX = 1002
pytestmark = pytest.mark.e2e
SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


async def say(h: BotHarness, text: str, who: int = THERAPIST) -> str:
    user = h.therapists[who]
    await user.send(text)
    return (await user.next_reply()).text


async def tap(h: BotHarness, label: str, who: int = THERAPIST) -> str:
    user = h.therapists[who]
    await user.tap(label)
    return (await user.next_reply()).text


async def only_session(h: BotHarness) -> TherapySession:
    async with h.runtime.db.session() as s:
        return (await s.exec(select(TherapySession))).one()


async def planned_occurrences(h: BotHarness) -> set[str]:
    """The session occurrences (UTC ISO) that pending check-ins are planned after."""
    async with h.runtime.db.session() as s:
        rows = await s.exec(
            select(DueWork).where(DueWork.kind == "followup", DueWork.status == "pending")
        )
        return {str(w.payload["occurrence"]) for w in rows.all()}


async def actions(h: BotHarness) -> list[tuple[str, str]]:
    async with h.runtime.db.session() as s:
        rows = await s.exec(select(AuditLog).where(col(AuditLog.action).startswith("session.")))
        return [(r.actor, r.action) for r in rows.all()]


class TestMoveAndCancel:
    async def test_moving_one_occurrence_moves_its_check_ins_and_upcoming(self, harness):
        """Tue 1 Dec of a weekly series moves to Thu 3 Dec: its check-ins follow, the rest stay."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(harness, "/timezone Europe/Berlin")
        booked = await say(harness, "/session Sam tue 15:00 weekly")  # read in Sam's zone
        assert "every week from Tue 24 Nov 16:00 Europe/Berlin, 15:00 Europe/London" in booked
        harness.clock.set(SATURDAY)
        before = await say(harness, "/upcoming Sam")
        assert "Tue 1 Dec" in before
        assert "2026-12-01T15:00:00Z" in await planned_occurrences(harness)

        listing = await say(harness, "/sessions Sam")
        assert "Every Tue 16:00 (50 min)" in listing
        assert "Tue 1 Dec 16:00" in listing
        assert "Times in Europe/Berlin" in listing
        asked = await tap(harness, "Move Tue 1 Dec 16:00")
        assert "Send the new day and time" in asked
        assert "Europe/Berlin" in asked
        again = await say(harness, "someday 17:30")
        assert "not a day" in again
        assert "Send a day and a time" in again
        moved = await say(harness, "2026-12-03 17:30")
        assert "Thu 3 Dec 17:30 Europe/Berlin" in moved

        planned = await planned_occurrences(harness)
        assert "2026-12-01T15:00:00Z" not in planned
        assert "2026-12-03T16:30:00Z" in planned  # 17:30 Berlin
        assert "2026-12-08T15:00:00Z" in planned  # the series goes on
        after = await say(harness, "/upcoming Sam")
        assert "Tue 1 Dec" not in after
        assert "Thu 3 Dec" in after
        listing = await say(harness, "/sessions Sam")
        assert "Thu 3 Dec 17:30 (moved from Tue 1 Dec 16:00)" in listing
        assert ("therapist:1", "session.move_occurrence") in await actions(harness)
        # The text after the move is not taken for another move: the question is closed.
        assert "Therapist commands" in await say(harness, "thu 10:00")

    async def test_the_twelve_hour_clock_is_understood(self, harness):
        """'/session Sam tue 3 pm weekly' and a move to 'thu 9am' (only HH:MM was taken before,
        found in a newcomer's trial)."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        booked = await say(harness, "/session Sam tue 3 pm weekly")
        assert "every week from Tue 24 Nov 15:00" in booked
        harness.clock.set(SATURDAY)
        await say(harness, "/sessions Sam")
        await tap(harness, "Move Tue 1 Dec 15:00")
        moved = await say(harness, "thu 9am")
        assert "Thu 3 Dec 09:00" in moved
        assert "2026-12-03T09:00:00Z" in await planned_occurrences(harness)

    async def test_the_moved_session_gets_its_check_in_at_the_new_time(self, harness):
        """Nothing comes after the old time; the first check-in comes 3h after the new end."""
        sam = await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00 weekly")
        harness.clock.set(SATURDAY)
        await say(harness, "/sessions Sam")
        await tap(harness, "Move Tue 1 Dec 15:00")
        await say(harness, "wed 11:00")
        harness.clock.set(datetime(2026, 12, 1, 19, 0, tzinfo=UTC))  # 3h after the old end
        assert (await harness.tick()).sent == 0
        harness.clock.set(datetime(2026, 12, 2, 14, 51, tzinfo=UTC))  # 3h after 11:50
        assert (await harness.tick()).sent == 1
        assert "checking in" in (await sam.next_reply()).text

    async def test_a_summary_planned_before_a_cancelled_session_is_not_sent(self, harness):
        """The pre-session summary already planned for Tue 24 Nov is skipped once it is cancelled;
        the summary of the moved Tue 1 Dec comes before its new time."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00 weekly")
        harness.clock.set(datetime(2026, 11, 24, 13, 30, tzinfo=UTC))
        assert await plan_digests(harness.runtime.db, harness.clock.now()) == 1
        await say(harness, "/sessions Sam")
        await tap(harness, "Cancel Tue 24 Nov")
        await tap(harness, "Yes, cancel it")
        assert (await harness.tick()).sent == 0
        async with harness.runtime.db.session() as s:
            digest = (await s.exec(select(DueWork).where(DueWork.kind == "digest"))).one()
        assert (digest.status, digest.outcome) == ("skipped", "session_changed")

        await say(harness, "/sessions Sam")
        await tap(harness, "Move Tue 1 Dec 15:00")
        await say(harness, "2026-12-02 09:00")
        harness.clock.set(datetime(2026, 12, 2, 7, 30, tzinfo=UTC))
        assert await plan_digests(harness.runtime.db, harness.clock.now()) == 1
        assert (await harness.tick()).sent == 1
        summary = await harness.therapists[THERAPIST].next_reply()
        assert "Before your session with Sam" in summary.text

    async def test_cancel_one_occurrence_then_the_series(self, harness):
        """One cancelled week drops its check-ins; cancelling the series drops the rest and
        keeps the weeks already held for the summary."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00 weekly")
        harness.clock.set(SATURDAY)
        await say(harness, "/sessions Sam")
        asked = await tap(harness, "Cancel Tue 1 Dec")
        assert "Cancel Sam's session on Tue 1 Dec 15:00" in asked
        assert "only this one" in asked
        assert "Kept as it was" in await tap(harness, "No, keep it")
        assert "2026-12-01T15:00:00Z" in await planned_occurrences(harness)

        await say(harness, "/sessions Sam")
        await tap(harness, "Cancel Tue 1 Dec")
        done = await tap(harness, "Yes, cancel it")
        assert "Cancelled: Sam's session on Tue 1 Dec 15:00" in done
        planned = await planned_occurrences(harness)
        assert "2026-12-01T15:00:00Z" not in planned
        assert "2026-12-08T15:00:00Z" in planned
        assert "Tue 1 Dec" not in await say(harness, "/upcoming Sam")
        assert "Tue 1 Dec 15:00: cancelled" in await say(harness, "/sessions Sam")

        asked = await tap(harness, "Cancel the series")
        assert "weekly series" in asked
        assert "Cancelled: Sam's weekly series" in await tap(harness, "Yes, cancel the series")
        assert await planned_occurrences(harness) == set()
        assert "Nothing will be sent" in await say(harness, "/upcoming Sam")
        assert "No coming sessions" in await say(harness, "/sessions Sam")
        session = await only_session(harness)
        assert session.cancelled_at is None  # Tue 24 Nov was held: it stays in the history
        assert session.until == SATURDAY
        assert [a for _, a in await actions(harness)] == [
            "session.add",
            "session.cancel_occurrence",
            "session.cancel",
        ]

    async def test_a_stale_button_gets_a_short_answer(self, harness):
        """Tapping "Yes, cancel it" again after the session is gone answers kindly."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00 weekly")
        await say(harness, "/sessions Sam")
        await tap(harness, "Cancel Tue 24 Nov")
        user = harness.therapists[THERAPIST]
        question = user.last_reply
        assert question is not None
        button = question.button("Yes, cancel it")
        assert button is not None
        await tap(harness, "Yes, cancel it")
        await user.tap_data(str(button["callback_data"]), question.message_id)
        assert "already cancelled or moved" in (await user.next_reply()).text
        await say(harness, "/sessions Sam")
        await tap(harness, "Cancel the series")
        question = user.last_reply
        assert question is not None
        button = question.button("Yes, cancel the series")
        assert button is not None
        await tap(harness, "Yes, cancel the series")
        await user.tap_data(str(button["callback_data"]), question.message_id)
        assert "already moved or cancelled" in (await user.next_reply()).text
        await user.tap_data("sx:co:99999:2026", question.message_id)
        assert "not among your clients" in (await user.next_reply()).text

    async def test_another_therapists_client_cannot_be_touched(self, harness):
        """Dr. Other neither lists Sam's sessions nor cancels one with a forged button."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await harness.add_therapist(OTHER_THERAPIST, "Dr. Other")
        await say(harness, "/session Sam tue 15:00 weekly")
        session = await only_session(harness)
        assert "No client" in await say(harness, "/sessions Sam", who=OTHER_THERAPIST)
        other = harness.therapists[OTHER_THERAPIST]
        message = other.last_reply
        assert message is not None
        await other.tap_data(f"sx:cy:{session.id}:202611241500", message.message_id)
        assert "not among your clients" in (await other.next_reply()).text
        await other.tap_data(f"sx:cz:{session.id}", message.message_id)
        assert "not among your clients" in (await other.next_reply()).text
        assert (await only_session(harness)).cancelled_at is None
        assert "2026-11-24T15:00:00Z" in await planned_occurrences(harness)

    async def test_an_ambiguous_name_gets_a_list_to_pick_from(self, harness):
        """Two clients called Sam: a button each, and the tap lists that one's sessions."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await harness.onboarded_client(ALEX, "Sam", therapist=THERAPIST)
        await say(harness, f"/session {SAM} tue 15:00 weekly")
        assert "Several clients are called Sam" in await say(harness, "/sessions Sam")
        listing = await tap(harness, f"Sam · id {SAM}")
        assert "Every Tue 15:00" in listing

    async def test_without_a_name_both_commands_ask_which_client(self, harness):
        """/sessions and /session with no name say how to invite while there is no client, then
        offer a button per client (two Sams told apart); a tap goes on with that client."""
        for command in ("/sessions", "/session"):
            assert "No clients yet. /invite" in await say(harness, command)
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await harness.onboarded_client(ALEX, "Sam", therapist=THERAPIST)
        await say(harness, f"/session {ALEX} tue 15:00 weekly")
        assert "Whose sessions?" in await say(harness, "/sessions")
        assert "Every Tue 15:00" in await tap(harness, f"Sam · id {ALEX}")
        assert "Which client is the session with?" in await say(harness, "/session")
        assert "Which day is the session with Sam" in await tap(harness, f"Sam · id {SAM}")


class TestDoubleBooking:
    async def test_an_overlap_asks_first_no_keeps_yes_books(self, harness):
        """A session meeting another client's weekly series in its third week asks first."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await harness.onboarded_client(ALEX, "Alex", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00 weekly")
        asked = await say(harness, "/session Alex 2026-12-08 15:30")  # Sam's third week
        assert "This overlaps Sam's session at Tue 8 Dec 15:00–15:50, weekly" in asked
        assert "Book anyway?" in asked
        assert "Kept as it was" in await tap(harness, "No")
        async with harness.runtime.db.session() as s:
            assert len((await s.exec(select(TherapySession))).all()) == 1

        await say(harness, "/session Alex 2026-12-08 15:30")
        booked = await tap(harness, "Yes, book anyway")
        assert "Session with Alex: Tue 8 Dec 15:30" in booked
        async with harness.runtime.db.session() as s:
            assert len((await s.exec(select(TherapySession))).all()) == 2
        # Not overlapping (right after Sam's session ends): booked without a question.
        assert "Session with Alex" in await say(harness, "/session Alex wed 15:50")

    async def test_moving_onto_another_session_asks_first(self, harness):
        """Moving Alex's session onto Sam's asks; "Yes, move anyway" moves it."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await harness.onboarded_client(ALEX, "Alex", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00 weekly")
        await say(harness, "/session Alex wed 10:00")
        await say(harness, "/sessions Alex")
        await tap(harness, "Move Wed 25 Nov 10:00")
        asked = await say(harness, "2026-12-01 15:10")
        assert "This overlaps Sam's session at Tue 1 Dec 15:00–15:50" in asked
        assert "Move anyway?" in asked
        moved = await tap(harness, "Yes, move anyway")
        assert "now on Tue 1 Dec 15:10" in moved

    async def test_the_same_clients_weekly_series_meets_itself_only_once_moved(self, harness):
        """Moving one week of a series onto the next week's session of the same client asks."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00 weekly")
        await say(harness, "/sessions Sam")
        await tap(harness, "Move Tue 24 Nov 15:00")
        assert "Moved" in await say(harness, "16:00")  # same day, an hour later: its own slot
        await say(harness, "/sessions Sam")
        await tap(harness, "Move Tue 1 Dec 15:00")
        asked = await say(harness, "2026-12-08 15:20")
        assert "Sam's other session at Tue 8 Dec 15:00–15:50" in asked

    async def test_moving_the_series_starts_it_on_the_new_day(self, harness):
        """The series moves from now on; weeks already held stay where they were."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00 weekly")
        harness.clock.set(SATURDAY)
        await say(harness, "/sessions Sam")
        asked = await tap(harness, "Move the series")
        assert "wed 16:00" in asked
        moved = await say(harness, "wed 16:00")
        assert "every Wed 16:00" in moved
        assert "the first on Wed 2 Dec 16:00" in moved
        planned = await planned_occurrences(harness)
        assert "2026-12-01T15:00:00Z" not in planned
        assert "2026-12-02T16:00:00Z" in planned
        async with harness.runtime.db.session() as s:
            rows = (await s.exec(select(TherapySession).order_by(col(TherapySession.id)))).all()
        assert [r.until for r in rows] == [SATURDAY, None]
        assert rows[0].starts_at == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
        assert ("therapist:1", "session.move_series") in await actions(harness)

    async def test_booking_anyway_twice_books_once(self, harness):
        """A second tap on "Yes, book anyway" says it is already booked."""
        await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00")
        await say(harness, "/session Sam tue 15:30")
        user = harness.therapists[THERAPIST]
        question = user.last_reply
        assert question is not None
        button = question.button("Yes, book anyway")
        assert button is not None
        await tap(harness, "Yes, book anyway")
        await user.tap_data(str(button["callback_data"]), question.message_id)
        assert "Already booked" in (await user.next_reply()).text
        async with harness.runtime.db.session() as s:
            assert len((await s.exec(select(TherapySession))).all()) == 2
