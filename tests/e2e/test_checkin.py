"""A client's check-ins end to end: taps and text in, messages and stored log entries out."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.config import Config, FollowUpConfig
from bot.storage.models import Client, DueWork, FlowRun, LogEntry, ProcessedUpdate
from bot.testing.harness import BotHarness

THERAPIST = 1
CLIENT = 1001
FLOWS = Path(__file__).resolve().parents[2] / "flows"
pytestmark = pytest.mark.e2e


async def settle(user) -> None:  # type: ignore[no-untyped-def]
    await user.replies_until_idle(0.4)


async def entries(h: BotHarness, kind: str | None = None) -> list[LogEntry]:
    async with h.runtime.db.session() as s:
        query = select(LogEntry)
        if kind:
            query = query.where(LogEntry.kind == kind)
        return list((await s.exec(query)).all())


class TestWholeCheckIn:
    async def test_check_in_with_a_log_records_every_answer(self, harness: BotHarness):
        """Scale, multi-select, free text and choices reach the database as one log entry."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "6")
        await harness.tap_when_shown(sam, "📝 Log how I feel")
        await harness.tap_when_shown(sam, "Sad")
        await sam.tap("Something else")
        await sam.tap("Done")
        await settle(sam)
        await sam.send("jittery")  # the 'something else' words, typed
        await harness.tap_when_shown(sam, "7")
        await harness.tap_when_shown(sam, "It comes and goes")
        await harness.tap_when_shown(sam, "Sleep")
        await sam.tap("Done")
        await harness.tap_when_shown(sam, "Partly")
        await settle(sam)
        await sam.send("Hard to focus at work today.")
        await harness.tap_when_shown(sam, "No, thanks")
        await harness.tap_when_shown(sam, "No, that's all")
        await settle(sam)
        logs = await entries(harness, "log")
        full = next(e for e in logs if e.feelings)
        assert full.feelings == ["sad", "other"]
        assert full.feelings_other == "jittery"
        assert full.distress == 7
        assert full.harder == ["sleep"]
        assert full.note == "Hard to focus at work today."
        assert (full.unable_to_function, full.partly_unable) == (False, True)  # Partly as such
        assert [e.distress for e in logs if not e.feelings] == [6]  # the check-in's own rating
        assert "Take care" in sam.transcript[-1] or "take care" in sam.transcript[-1].lower()

    async def test_typed_number_on_a_scale_counts_and_nonsense_is_asked_again(self, harness):
        """'7x' on a 0-10 scale re-asks kindly; '7' answers."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await settle(sam)
        await sam.send("7x")
        reask = await sam.next_reply()
        assert "10" in reask.text
        await sam.send("7")
        await settle(sam)
        assert [e.distress for e in await entries(harness, "log")] == [7]

    async def test_a_stale_button_is_never_applied(self, harness):
        """Tapping a button of an already answered question changes nothing."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "3")
        await settle(sam)
        scale = next(m for m in reversed(sam.messages) if "how strong" in m.text.lower())
        # The keyboard as it was sent (it stays on screen: the next question came at once).
        markup = scale.edits[0].reply_markup if scale.edits else scale.reply_markup
        data = markup["inline_keyboard"][1][0]["callback_data"]  # type: ignore[index]
        query = await sam.tap_data(data, scale.message_id)
        assert await sam.answer_to(query) == "That question is already answered."
        await settle(sam)
        assert [e.distress for e in await entries(harness, "log")] == [3]

    async def test_sticker_and_voice_get_a_kind_answer(self, harness):
        """Non-text messages get 'I can only read text here', in and out of flows."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send_sticker()
        assert "only read text" in (await sam.next_reply()).text
        await sam.send("/checkin")
        await settle(sam)
        await sam.send_voice()
        replies = await sam.replies_until_idle(0.5)
        assert any("only read text" in r.text for r in replies)
        assert any("0 to 10" in r.text for r in replies)  # and the question again

    async def test_html_in_a_name_is_escaped_everywhere(self, harness):
        """A client called <Sam & Co> gets every message (nothing breaks Telegram's HTML)."""
        sam = await harness.onboarded_client(CLIENT, "<Sam & Co>", therapist=THERAPIST)
        await sam.send("/checkin")
        first = await sam.next_reply()
        assert "<Sam & Co>" in first.text
        assert "&lt;Sam &amp; Co&gt;" in first.raw_text

    async def test_ten_thousand_characters_and_odd_unicode_are_fine(self, harness):
        """Very long text and odd unicode get an answer, never a crash."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/note")
        await settle(sam)
        await sam.send(("z\u200b\u0301🙂" * 2500)[:10000])
        replies = await sam.replies_until_idle(0.6)
        assert replies  # the bot answered

    async def test_a_long_pasted_note_is_kept_whole(self, harness):
        """A note pasted from elsewhere (3,000 characters, one Telegram message) is saved as it
        is: refusing it would make a client on a bad day type it again (a newcomer's trial)."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/note")
        await harness.tap_when_shown(sam, "Write a note")
        await settle(sam)
        pasted = " ".join(["I keep thinking about what my sister said at dinner."] * 58)[:3000]
        await sam.send(pasted)
        replies = " ".join(r.text for r in await sam.replies_until_idle(0.6))
        assert "Saved." in replies
        assert [e.note for e in await entries(harness, "session_note")] == [pasted]


class TestDeliveredOnce:
    async def test_a_redelivered_update_is_handled_once(self, harness):
        """Telegram may deliver an update twice; the second copy changes nothing."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "5")
        await settle(sam)
        async with harness.runtime.db.session() as s:
            last = max((await s.exec(select(ProcessedUpdate.update_id))).all())
        await harness.emulator.redeliver(last)
        await settle(sam)
        assert [e.distress for e in await entries(harness, "log")] == [5]


class TestRestart:
    async def test_killed_mid_flow_resumes_where_the_client_was(self, harness):
        """The process stops between two questions; after a restart the next tap continues."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "8")
        await harness.tap_when_shown(sam, "📝 Log how I feel")
        await settle(sam)
        await harness.stop_bot()
        await harness.start_bot()
        await sam.tap("Anxious")
        await sam.tap("Done")
        await harness.tap_when_shown(sam, "9")
        await settle(sam)
        assert [e.distress for e in await entries(harness, "log")] == [8]
        async with harness.runtime.db.session() as s:
            run = (await s.exec(select(FlowRun).where(FlowRun.status != "ended"))).one()
        assert run.state["stack"]  # still inside the log flow called from the check-in

    async def test_a_pending_wait_completes_after_a_restart(self, harness):
        """A paced exercise's next prompt is a database row: it still comes after a restart."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/selfcare")
        await harness.tap_when_shown(sam, "6")
        await harness.tap_when_shown(sam, "Slow breathing")
        await settle(sam)
        await harness.stop_bot()
        await harness.start_bot()
        before = len(sam.messages)
        harness.clock.advance(timedelta(minutes=1))
        report = await harness.tick()
        await settle(sam)
        assert report.sent >= 1
        assert len(sam.messages) > before


class TestFollowUps:
    async def test_after_session_pings_arrive_at_the_planned_times(self, harness):
        """/aftersession plans 3h, 1d and 3d follow-ups; each arrives once when due."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/aftersession")
        await harness.tap_when_shown(sam, "2")
        await harness.tap_when_shown(sam, "Nothing now")
        await settle(sam)
        async with harness.runtime.db.session() as s:
            due = sorted(
                w.due_at
                for w in (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
            )
        assert len(due) == 3
        harness.clock.set(due[0] + timedelta(seconds=1))
        assert (await harness.tick()).sent == 1
        ping = await sam.next_reply()
        assert "checking in" in ping.text
        assert (await harness.tick()).sent == 0  # nothing is sent twice

    async def test_overdue_follow_ups_after_downtime_make_one_check_in(self, tmp_path):
        """The bot was down through both follow-ups (3 h and 6 h): back up, Sam gets one check-in,
        and no second one when the busy window has passed; the older one is recorded 'merged'."""
        config = Config(
            flows_dir=FLOWS,
            followups=FollowUpConfig(offsets=[timedelta(hours=3), timedelta(hours=6)]),
        )
        async with BotHarness(tmp_path, config=config) as h:
            await h.add_therapist(THERAPIST, "Dr. Ruiz")
            sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
            await sam.send("/aftersession")
            await h.tap_when_shown(sam, "2")
            await h.tap_when_shown(sam, "Nothing now")
            await settle(sam)
            async with h.runtime.db.session() as s:
                followups = (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
            last = max(w.due_at for w in followups)
            h.clock.set(last + timedelta(minutes=30))  # down until half an hour after the second
            before = len(sam.transcript)
            assert (await h.tick()).sent == 1
            await settle(sam)
            h.clock.advance(timedelta(minutes=25))  # past the 20-minute busy window
            await h.tick()
            await settle(sam)
            after_downtime = sam.transcript[before:]
            assert sum("I'm checking in" in text for text in after_downtime) == 1
            async with h.runtime.db.session() as s:
                outcomes = sorted(
                    (w.due_at, w.outcome)
                    for w in (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
                )
            assert [outcome for _, outcome in outcomes] == ["merged", "sent"]

    async def test_a_follow_up_can_be_snoozed_until_tomorrow(self, harness):
        """'Tomorrow' puts the check-in off to 09:00 the next day (client's time), then it comes."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/aftersession")
        await settle(sam)
        await sam.send("/stop")
        await settle(sam)
        async with harness.runtime.db.session() as s:
            first = min(
                w.due_at
                for w in (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
            )
        harness.clock.set(first + timedelta(seconds=1))
        await harness.tick()
        await settle(sam)
        await sam.tap("Tomorrow")
        assert "check in again" in (await sam.next_reply()).text
        async with harness.runtime.db.session() as s:
            snoozed = (await s.exec(select(DueWork).where(DueWork.key.startswith("snooze:")))).one()  # type: ignore[attr-defined]
        local = snoozed.due_at.astimezone(ZoneInfo("Europe/London"))
        assert (local.hour, local.minute) == (9, 0)
        assert local.date() > first.astimezone(ZoneInfo("Europe/London")).date()
        harness.clock.set(snoozed.due_at + timedelta(seconds=1))
        await harness.tick()
        assert "checking in" in (await sam.next_reply()).text

    async def test_saying_i_want_to_stop_therapy_is_met_with_respect(self, harness):
        """Outside a flow, 'I want to stop therapy' opens the thinking-of-stopping flow."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("I think I want to stop therapy")
        replies = " ".join(r.text for r in await sam.replies_until_idle(0.5))
        assert "your choice" in replies.lower() or "your decision" in replies.lower()

    async def test_blocked_client_stops_getting_pings(self, harness):
        """A 403 marks the client unreachable; later follow-ups are skipped with that reason."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/aftersession")
        await settle(sam)
        await sam.send("/stop")
        await settle(sam)
        harness.emulator.block(CLIENT)
        async with harness.runtime.db.session() as s:
            due = sorted(
                w.due_at
                for w in (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
            )
        harness.clock.set(due[0] + timedelta(seconds=1))
        await harness.tick()
        async with harness.runtime.db.session() as s:
            client = (await s.exec(select(Client))).one()
        assert client.status == "unreachable"
        harness.clock.set(due[1] + timedelta(seconds=1))
        report = await harness.tick()
        assert report.reasons.get("unreachable") == 1

    async def test_a_dropped_connection_loses_nothing(self, harness):
        """The connection drops twice while sending; the question still arrives, once."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        harness.emulator.drop_connection_next("sendMessage", times=2)
        await sam.send("/checkin")
        first = await sam.next_reply(timeout=15)
        assert "0 to 10" in first.text
        assert await sam.replies_until_idle(0.5) == []

    async def test_a_storm_of_429s_loses_and_duplicates_nothing(self, harness):
        """Telegram says 'retry after' many times; every message still arrives exactly once."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        harness.emulator.fail_next("sendMessage", status=429, retry_after=1, times=3)
        await sam.send("/checkin")
        texts = [(await sam.next_reply(timeout=15)).text]
        while "0 to 10" not in texts[-1]:
            texts.append((await sam.next_reply(timeout=15)).text)
        texts += [r.text for r in await sam.replies_until_idle(0.5)]
        assert len(texts) == len(set(texts)) == 1  # greeting and question (one bubble), once
        assert texts[0].startswith("Hi Sam")
        assert harness.emulator.too_many_requests >= 3


class TestEveryFlowByItsCommand:
    async def test_about_repeats_the_summary(self, harness):
        """/about: what the bot is and is not, what is stored, and help now."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/about")
        text = " ".join(r.text for r in await sam.replies_until_idle(0.5))
        assert "not a therapist" in text
        assert "end-to-end" in text
        assert "116 123" in text

    async def test_a_note_to_future_me_comes_back_next_time(self, harness):
        """/pass: the client saves a sentence in their own words; the next /pass shows it."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/pass")
        await harness.tap_when_shown(sam, "Write a note")
        await settle(sam)
        await sam.send("Last time it eased after two days.")
        await settle(sam)
        assert [e.note for e in await entries(harness, "future_me")] == [
            "Last time it eased after two days."
        ]
        await sam.send("/pass")
        text = " ".join(r.text for r in await sam.replies_until_idle(0.5))
        assert "Last time it eased after two days." in text
