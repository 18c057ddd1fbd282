"""One way to name people in Telegram: labels from /invite NAME, /rename, namesakes told apart,
a pick list for an ambiguous name, the real status in /clients, and /upcoming that shows only
what will be sent."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from bot.storage.models import Client, DueWork
from bot.testing.driver import SimulatedUser
from bot.testing.harness import BotHarness

THERAPIST = 1
pytestmark = pytest.mark.e2e


async def say(h: BotHarness, text: str) -> str:
    user = h.therapists[THERAPIST]
    await user.send(text)
    return (await user.next_text()).text


async def invited_as(h: BotHarness, label: str, user_id: int, first_name: str) -> SimulatedUser:
    """The therapist invites with /invite LABEL; the person opens the link and onboards."""
    reply = await say(h, f"/invite {label}")
    assert f"Send this link to {label}, your new client" in reply
    code = reply.split("?start=", 1)[1].split()[0]
    user = h.user(user_id, first_name)
    await user.send(f"/start {code}")
    await h.answer_onboarding(user, alerts=True, timezone="Europe/London")
    return user


async def test_a_label_from_invite_names_the_client_everywhere_and_is_encrypted(harness):
    """'/invite Sam K.' names the client in /clients, the summary and their export; the label is
    ciphertext in the database; /rename changes it."""
    sam = await invited_as(harness, "Sam K.", 1001, "Samantha")
    clients = await say(harness, "/clients")
    assert "Sam K. (Telegram name Samantha, id 1001): active, alerts on" in clients
    async with harness.runtime.db.engine.connect() as conn:
        ((stored,),) = (await conn.execute(sa.text("SELECT label FROM client"))).all()
        invite_labels = (await conn.execute(sa.text("SELECT label FROM invite"))).all()
    assert str(stored).startswith("v2.")  # sealed to the row
    assert "Sam" not in str(stored)
    assert invite_labels == [(None,)]  # moved onto the client when the invite was used
    assert (await say(harness, "/summary Sam K.")).startswith("Sam K.")
    assert "is now called Sam Kay" in await say(harness, "/rename Sam K. to Sam Kay")
    assert "Sam Kay" in await say(harness, "/clients")
    await sam.send("/mydata")
    export = await sam.next_reply()
    document = json.loads(export.content or b"{}")
    assert document["tables"]["client"][0]["label"] == "Sam Kay"


async def test_two_clients_called_sam_are_told_apart(harness):
    """Alerts and /clients add the Telegram id; '/summary Sam' offers a pick list; a label ends it."""
    await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
    other = await harness.onboarded_client(1002, "Sam", therapist=THERAPIST)
    therapist = harness.therapists[THERAPIST]
    therapist.read_all()
    await other.send("I don't want to be alive anymore")
    alert = await therapist.next_reply()
    assert "Crisis alert for Sam · id 1002" in alert.text
    await therapist.send("/summary Sam")
    pick = await therapist.next_reply()
    assert "Several clients are called Sam" in pick.text
    assert pick.buttons() == ["Sam · id 1001", "Sam · id 1002"]
    await therapist.tap("Sam · id 1002")
    summary = await therapist.next_text()
    assert summary.text.startswith("Sam · id 1002")
    assert "Crisis: suicidal thoughts" in summary.text
    reply = await say(harness, "/session Sam tue 15:00")
    assert "Use the Telegram id, for example: /session 1001 tue 15:00" in reply
    assert "is now called Sam R." in await say(harness, "/rename 1002 to Sam R.")
    only = await say(harness, "/summary Sam")  # the only Sam left: no pick list, no id
    assert only.startswith("Sam: Nothing logged in the last 14 days")
    assert "No client" in await say(harness, "/summary Samuel")


async def test_clients_shows_the_real_status_with_the_end_of_a_pause(harness):
    sam = await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
    await sam.send("/pause")
    await harness.tap_when_shown(sam, "1 day")
    await sam.replies_until_idle(0.2)
    assert "Sam (id 1001): paused until Tue 24 Nov 10:00, alerts on" in await say(
        harness, "/clients"
    )
    harness.clock.advance(timedelta(days=2))
    listed = await say(harness, "/clients")
    assert "Sam (id 1001): active (pause ended Tue 24 Nov 10:00), alerts on" in listed


async def test_upcoming_shows_only_what_will_be_sent_grouped_by_day(harness):
    """Alex is paused: nothing of theirs is listed. Sam's follow-ups are grouped by day, in the
    therapist's zone, named; /upcoming Sam today shows today's only."""
    await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
    alex = await harness.onboarded_client(1002, "Alex", therapist=THERAPIST)
    assert "Europe/Berlin" in await say(harness, "/timezone Europe/Berlin")
    await say(harness, "/session Sam mon 15:00")
    await say(harness, "/session Alex mon 16:00")
    await alex.send("/pause")
    await harness.tap_when_shown(alex, "1 week")
    await alex.replies_until_idle(0.2)
    week = await say(harness, "/upcoming")
    assert "Alex" not in week
    assert "<b>" not in week  # the emulator shows text as a person sees it
    assert "Mon 23 Nov\n• 19:50 Sam – check-in after the session" in week
    assert "Tue 24 Nov\n• 16:50 Sam – check-in after the session" in week
    assert "Times in Europe/Berlin." in week
    today = await say(harness, "/upcoming Sam today")
    assert "What Sam will get today" in today
    assert "Tue 24 Nov" not in today
    assert "Nothing will be sent to Alex" in await say(harness, "/upcoming Alex")
    async with harness.runtime.db.session() as s:
        alex_rows = (
            await s.exec(select(DueWork).join(Client).where(Client.telegram_id == 1002))
        ).all()
    assert any(w.status == "pending" for w in alex_rows)  # planned, but it would be skipped
