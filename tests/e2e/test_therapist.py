"""Therapists in Telegram: timing, sessions, upcoming, summaries, alerts, and only their own clients."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.service.digests import plan_digests
from bot.storage.models import AuditLog, Client, DueWork, TherapySession
from bot.testing.harness import BotHarness

THERAPIST = 1
OTHER_THERAPIST = 2
CLIENT = 1001
pytestmark = pytest.mark.e2e


async def say(h: BotHarness, text: str, who: int = THERAPIST) -> str:
    user = h.therapists[who]
    await user.send(text)
    return (await user.next_reply()).text


async def tap(h: BotHarness, label: str, who: int = THERAPIST) -> str:
    user = h.therapists[who]
    await user.tap(label)
    return (await user.next_reply()).text


async def audited(h: BotHarness, action: str) -> list[tuple[str, int | None, str | None]]:
    """(actor, client id, target) of each audit entry with this action."""
    async with h.runtime.db.session() as s:
        rows = (await s.exec(select(AuditLog).where(AuditLog.action == action))).all()
    return [(r.actor, r.client_id, r.target) for r in rows]


async def client_id(h: BotHarness, telegram_id: int = CLIENT) -> int:
    async with h.runtime.db.session() as s:
        client = (await s.exec(select(Client).where(Client.telegram_id == telegram_id))).one()
    assert client.id is not None
    return client.id


async def followups(h: BotHarness) -> list[DueWork]:
    async with h.runtime.db.session() as s:
        query = select(DueWork).where(DueWork.kind == "followup", DueWork.status == "pending")
        return list((await s.exec(query.order_by(col(DueWork.due_at)))).all())


class TestTimingAndSessions:
    async def test_timing_and_session_by_buttons_then_the_client_gets_those_follow_ups(
        self, harness
    ):
        """Timing 1d·3d by a preset, a session by buttons; follow-ups come 1 and 3 days after it."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        shown = await say(harness, "/timing")
        assert "3h, 1d, 3d" in shown
        assert "1d, 3d" in await tap(harness, "1d · 3d")
        assert "Which client" in await say(harness, "/session")
        await tap(harness, "Sam")
        day = harness.clock.now().date() + timedelta(days=1)  # Tuesday 24 Nov
        await tap(harness, f"{day:%a %d %b}")
        await tap(harness, "15:00")
        confirmation = await tap(harness, "Just this once")
        assert "Tue 24 Nov 15:00" in confirmation
        due = [w.due_at for w in await followups(harness)]
        session_end = due[0] - timedelta(days=1)
        assert [d - session_end for d in due] == [timedelta(days=1), timedelta(days=3)]
        harness.clock.set(due[0] + timedelta(minutes=1))
        assert (await harness.tick()).sent == 1
        assert "checking in" in (await sam.next_reply()).text
        await sam.replies_until_idle(0.3)
        harness.clock.set(due[1] + timedelta(minutes=1))
        assert (await harness.tick()).sent == 1

    async def test_typed_weekly_session_and_upcoming(self, harness):
        """'/session Sam tue 15:00 weekly' registers a weekly series; /upcoming lists its follow-ups."""
        await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        reply = await say(harness, "/session Sam tue 15:00 weekly")
        assert "every week" in reply
        async with harness.runtime.db.session() as s:
            session = (await s.exec(select(TherapySession))).one()
        assert session.weekly
        assert session.source == "telegram"
        upcoming = await say(harness, "/upcoming")
        assert upcoming.count("Sam") >= 3
        sam = await client_id(harness)
        assert await audited(harness, "upcoming.read") == [(f"therapist:{THERAPIST}", sam, None)]

    async def test_reading_a_clients_measures_is_audited(self, harness):
        """/measures Sam shows Sam's schedule: a read, in the audit trail."""
        await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        assert "Sam" in await say(harness, "/measures Sam")
        sam = await client_id(harness)
        assert await audited(harness, "measures.read") == [(f"therapist:{THERAPIST}", sam, None)]

    async def test_bad_session_input_gets_a_clear_answer(self, harness):
        """A typo in the day or time is answered with the valid forms."""
        await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        assert "mon..sun" in await say(harness, "/session Sam funday 15:00")
        assert "HH:MM" in await say(harness, "/session Sam tue 25:99")


class TestPreSessionSummary:
    async def test_therapist_gets_the_summary_before_the_session_once(self, harness):
        """Two hours before a session the therapist receives the client's summary, once."""
        await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await say(harness, "/session Sam tue 15:00")
        async with harness.runtime.db.session() as s:
            session = (await s.exec(select(TherapySession))).one()
        harness.clock.set(session.starts_at - timedelta(minutes=90))
        assert await plan_digests(harness.runtime.db, harness.clock.now()) == 1
        assert await plan_digests(harness.runtime.db, harness.clock.now()) == 0
        assert (await harness.tick()).sent == 1
        digest = await harness.therapists[THERAPIST].next_reply()
        assert "Before your session with Sam" in digest.text
        sam = await client_id(harness)  # a read pushed to the therapist: audited
        assert await audited(harness, "digest.sent") == [("system", sam, f"therapist:{THERAPIST}")]

    async def test_the_lead_time_is_the_therapists(self, harness):
        """'/digest before 3h': the summary comes three hours before, not two."""
        await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        assert "3h before their session" in await say(harness, "/digest before 3h")
        assert "between 15m and 48h" in await say(harness, "/digest before 3 weeks")
        await say(harness, "/session Sam tue 15:00")
        async with harness.runtime.db.session() as s:
            session = (await s.exec(select(TherapySession))).one()
        harness.clock.set(session.starts_at - timedelta(hours=3, minutes=-1))
        assert await plan_digests(harness.runtime.db, harness.clock.now()) == 1
        async with harness.runtime.db.session() as s:
            (work,) = (await s.exec(select(DueWork).where(DueWork.kind == "digest"))).all()
        assert work.due_at == session.starts_at - timedelta(hours=2, minutes=59)


class TestSeeingClients:
    async def test_summary_shows_chart_and_notes(self, harness):
        """Before a session the therapist sees ratings as a chart and the client's notes."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "7")
        await harness.tap_when_shown(sam, "A note for next session")
        await sam.replies_until_idle(0.4)
        labels = sam.buttons()
        await sam.tap(labels[0])
        await sam.replies_until_idle(0.4)
        await sam.send("I find it hard to say this out loud")
        await sam.replies_until_idle(0.5)
        therapist = harness.therapists[THERAPIST]
        await therapist.send("/summary Sam")
        chart = await therapist.next_reply()
        assert chart.kind == "photo"
        assert (chart.content or b"").startswith(b"\x89PNG")
        summary = (await therapist.next_reply()).text
        assert "Mon 23 Nov: 7" in summary
        assert "I find it hard to say this out loud" in summary

    async def test_an_unknown_name_is_called_a_name(self, harness):
        """'/summary Bob' looked Bob up by name: saying 'no client with the id' was wrong."""
        await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        therapist = harness.therapists[THERAPIST]
        await therapist.send("/summary Bob")
        text = (await therapist.next_reply()).text
        assert "No client with the name or id 'Bob'" in text
        assert "Sam" in text  # the clients there are

    async def test_clients_cannot_use_therapist_commands(self, harness):
        """A client typing /clients gets no therapist data."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/clients")
        assert "Your clients" not in (await sam.next_reply()).text

    async def test_a_therapist_sees_only_their_own_clients(self, harness):
        """Another therapist cannot read Sam's summary or acknowledge Sam's alerts."""
        await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await harness.add_therapist(OTHER_THERAPIST, "Dr. Other")
        reply = await say(harness, "/summary Sam", who=OTHER_THERAPIST)
        assert "No client" in reply
        assert "No clients yet" in await say(harness, "/clients", who=OTHER_THERAPIST)

    async def test_alert_is_listed_until_acknowledged(self, harness):
        """/alerts lists open alerts; /ack closes one."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("I don't want to be alive anymore")
        await harness.therapists[THERAPIST].next_reply()
        listed = await say(harness, "/alerts")
        assert "Sam" in listed
        alert_id = listed.split("#", 1)[1].split()[0]
        sam_id = await client_id(harness)
        assert await audited(harness, "alerts.read") == [
            (f"therapist:{THERAPIST}", sam_id, f"triage_event:{alert_id}")
        ]
        assert "acknowledged" in await say(harness, f"/ack {alert_id}")
        assert "No open alerts" in await say(harness, "/alerts")
        assert len(await audited(harness, "alerts.read")) == 1  # nothing shown, nothing read
        assert "Sam" in await say(harness, "/clients")
        assert await audited(harness, "clients.read") == [(f"therapist:{THERAPIST}", sam_id, None)]


class TestPrivacy:
    async def test_client_exports_and_deletes_their_data(self, harness):
        """/mydata sends a file with what is stored; /delete removes it all after a confirmation."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "4")
        await sam.replies_until_idle(0.4)
        await sam.send("/mydata")
        export = await sam.next_reply()
        assert export.kind == "document"
        await sam.send("/delete")
        await harness.tap_when_shown(sam, "Yes, delete all")
        assert "deleted" in (await sam.next_reply()).text
        assert "No clients yet" in await say(harness, "/clients")
