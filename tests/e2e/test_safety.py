"""Crisis first, in any flow; triage advice; therapist alerts without flooding."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.service.texts import RESUME_LABEL as RESUME_LABELS
from bot.storage.models import TriageEvent
from bot.testing.harness import BotHarness

RESUME_LABEL = RESUME_LABELS["en"]

THERAPIST = 1
CLIENT = 1001
pytestmark = pytest.mark.e2e
CRISIS_TEXT = "honestly I want to kill myself"


async def settle(user) -> None:  # type: ignore[no-untyped-def]
    await user.replies_until_idle(0.4)


def therapist_messages(h: BotHarness) -> list[str]:
    """What the therapist received, after the greeting their own /start got."""
    return [m.text for m in h.emulator.sent_messages(THERAPIST)[1:]]


async def open_flow_at_question(h: BotHarness, sam, flow: str) -> str:  # type: ignore[no-untyped-def]
    """Walk into `flow` up to a question; return the question text."""
    await sam.send(flow)
    if flow == "/log":
        await h.tap_when_shown(sam, "Sad")
        await sam.tap("Done")
    elif flow == "/sit":
        await h.tap_when_shown(sam, "2 minutes")
    await settle(sam)
    return sam.last_reply.text


class TestCrisisInterrupt:
    @pytest.mark.parametrize("flow", ["/checkin", "/log", "/sit", "/selfcare"])
    async def test_crisis_text_mid_question_shows_resources_at_once(self, harness, flow):
        """Mid-question in any flow, crisis words get the resources first; the flow can resume."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        question = await open_flow_at_question(harness, sam, flow)
        await sam.send(CRISIS_TEXT)
        first = await sam.next_reply()
        assert "Samaritans" in first.text
        assert "116 123" in first.text
        assert "Dr. Ruiz" in first.text  # how to reach the therapist
        assert RESUME_LABEL in first.buttons()
        await harness.therapists[THERAPIST].next_reply()
        alerts = therapist_messages(harness)
        assert len(alerts) == 1
        assert "Crisis alert" in alerts[0]
        assert CRISIS_TEXT not in alerts[0]  # reasons only, never the client's words
        await sam.tap(RESUME_LABEL)
        await settle(sam)
        assert question.endswith(sam.last_reply.text)  # the same question again

    async def test_repeated_crisis_messages_make_one_alert_with_a_count(self, harness):
        """The therapist is not flooded: one alert per window, later ones are counted."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        for _ in range(3):
            await sam.send(CRISIS_TEXT)
            await settle(sam)
        await harness.therapists[THERAPIST].replies_until_idle(0.3)
        assert len(therapist_messages(harness)) == 1
        async with harness.runtime.db.session() as s:
            events = (await s.exec(select(TriageEvent))).all()
        assert len(events) == 3
        assert max(e.alert_count for e in events) == 3

    async def test_no_alert_without_consent_but_resources_still_shown(self, harness):
        """A client who declined alerts still gets help; the therapist is not told."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST, alerts=False)
        await sam.send(CRISIS_TEXT)
        assert "Samaritans" in (await sam.next_reply()).text
        assert therapist_messages(harness) == []

    async def test_idioms_are_not_crises(self, harness):
        """'This homework is killing me' is answered as ordinary text."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("this homework is killing me")
        reply = await sam.next_reply()
        assert "Samaritans" not in reply.text
        assert therapist_messages(harness) == []

    async def test_concern_outside_a_flow_offers_a_check_in_and_help(self, harness):
        """'I feel hopeless' is not a crisis, but gets a warm answer with a check-in and help."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("I feel hopeless")
        reply = await sam.next_reply()
        assert "heavy" in reply.text
        await sam.tap("Who can I talk to?")
        assert "116 123" in (await sam.next_reply()).text
        assert therapist_messages(harness) == []

    async def test_sos_shows_resources_any_time(self, harness):
        """/sos: the crisis lines at once."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/sos")
        assert "116 123" in (await sam.next_reply()).text

    async def test_us_client_gets_988(self, harness):
        """Resources follow the client's region (from their time zone)."""
        sam = await harness.onboarded_client(
            CLIENT, "Sam", therapist=THERAPIST, timezone="America/New_York"
        )
        await sam.send("/sos")
        assert "988" in (await sam.next_reply()).text


class TestTriageAdvice:
    async def test_unable_to_function_advises_contact_now_and_alerts(self, harness):
        """'No, I can't do my usual things' leads to 'contact your therapist now' and an alert."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "8")
        await harness.tap_when_shown(sam, "📝 Log how I feel")
        await harness.tap_when_shown(sam, "Numb")
        await sam.tap("Done")
        await harness.tap_when_shown(sam, "8")
        await harness.tap_when_shown(sam, "All the time")
        await harness.tap_when_shown(sam, "Getting up")
        await sam.tap("Done")
        await harness.tap_when_shown(sam, "No")
        await harness.tap_when_shown(sam, "Skip")
        await harness.tap_when_shown(sam, "No, thanks")
        await harness.tap_when_shown(sam, "No, that's all")
        replies = [m.text for m in await sam.replies_until_idle(0.6)]
        advice = "\n".join(replies)
        await harness.therapists[THERAPIST].next_reply()
        assert "now" in advice.lower()
        assert "+44 20 7946 0000" in advice  # the therapist's configured contact
        alerts = therapist_messages(harness)
        assert len(alerts) == 1
        assert "unable to function" in alerts[0]
        assert "Acknowledge" in str(harness.emulator.sent_messages(THERAPIST)[-1].reply_markup)


class TestInGerman:
    async def test_a_german_client_gets_help_in_german(self, harness):
        """The client's language reaches the bot's own texts and the crisis message."""
        from bot.storage.models import Client

        sam = await harness.onboarded_client(
            CLIENT, "Sam", therapist=THERAPIST, timezone="Europe/Berlin"
        )
        async with harness.runtime.db.session() as s:
            client = (await s.exec(select(Client))).one()
            client.language = "de"
            s.add(client)
        await sam.send("/pause")
        pause = await sam.next_reply()
        assert "pausieren" in pause.text
        assert "1 Woche" in pause.buttons()
        await sam.send("ich will nicht mehr leben")
        crisis = await sam.next_reply()
        assert "TelefonSeelsorge" in crisis.text
        assert "0800 111 0 222" in crisis.text
        assert "Notruf" in crisis.text


class TestWhenThingsBreak:
    async def test_crisis_words_get_help_even_if_handling_fails(self, harness, monkeypatch):
        """If the database fails mid-update, crisis words still get the crisis lines, then an apology."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)

        async def broken_route(*args, **kwargs):  # a fault injected at the service's edge
            raise RuntimeError("database unavailable")

        monkeypatch.setattr(harness.runtime.service, "_route", broken_route)
        await sam.send("I want to kill myself")
        replies = await sam.replies_until_idle(0.6)
        assert "116 123" in replies[0].text
        assert "Sorry, something went wrong" in replies[0].text  # one bubble: help first
        assert replies[0].text.index("116 123") < replies[0].text.index("Sorry")

    async def test_an_ordinary_message_gets_an_apology_not_silence(self, harness, monkeypatch):
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)

        async def broken_route(*args, **kwargs):
            raise RuntimeError("database unavailable")

        monkeypatch.setattr(harness.runtime.service, "_route", broken_route)
        await sam.send("hello")
        reply = await sam.next_reply()
        assert "Sorry, something went wrong" in reply.text
        assert "116 123" not in reply.text

    async def test_crisis_words_get_help_at_once_while_the_database_is_briefly_away(
        self, harness, monkeypatch
    ):
        """The database is busy for two tries: the crisis lines go out at once, not after the
        retries; then the update is handled in full (stored, therapist told), with no apology."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        service = harness.runtime.service
        real_route = service._route
        failures = 2

        async def busy_then_fine(*args, **kwargs):
            nonlocal failures
            if failures:
                failures -= 1
                raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
            return await real_route(*args, **kwargs)

        monkeypatch.setattr(service, "_route", busy_then_fine)
        await sam.send("I want to kill myself")
        first = await sam.next_reply(timeout=0.2)  # before the first retry's pause is over
        assert "116 123" in first.text
        replies = await sam.replies_until_idle(1.0)
        assert not any("Sorry, something went wrong" in r.text for r in [first, *replies])
        async with harness.runtime.db.session() as s:
            assert (await s.exec(select(TriageEvent))).all()
