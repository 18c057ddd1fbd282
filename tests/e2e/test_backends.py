"""The whole bot on each database: SQLite always, PostgreSQL when CHECKIN_TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.storage.models import Client, LogEntry
from bot.testing.harness import BotHarness

pytestmark = pytest.mark.e2e


async def test_onboarding_and_a_check_in_on_each_database(db, tmp_path):
    """Invite, consent, a check-in with a crisis line and a resume, stored on that database."""
    await db.dispose()  # the harness opens its own engine on the same (emptied) database
    async with BotHarness(tmp_path, database_url=db.url) as h:
        await h.add_therapist(1, "Dr. Ruiz")
        sam = await h.onboarded_client(1001, "Sam", therapist=1)
        await sam.send("/checkin")
        await h.tap_when_shown(sam, "7")
        await h.settled()  # the answer to the tap is delivered (not just: nothing came for a while)
        await sam.replies_until_idle(0.1)
        await sam.send("I want to end my life")
        assert "Samaritans" in (await sam.next_reply()).text
        await h.therapists[1].next_reply()
        async with h.runtime.db.session() as s:
            assert [e.distress for e in (await s.exec(select(LogEntry))).all()] == [7]


async def test_nul_and_lone_surrogates_are_dropped_where_updates_come_in(db, tmp_path):
    """A first name and a note with NUL and a lone surrogate (which PostgreSQL refuses) still make
    a client who gets through onboarding, and the note is stored without those characters."""
    await db.dispose()
    async with BotHarness(tmp_path, database_url=db.url) as h:
        await h.add_therapist(1, "Dr. Ruiz")
        sam = await h.onboarded_client(1001, "Sa\x00m\ud83d", therapist=1)
        await sam.send("/note")
        await h.tap_when_shown(sam, "Write a note")
        await h.settled()
        await sam.replies_until_idle(0.1)
        await sam.send("Hard\x00 day\udc00 today 🙂")
        await sam.replies_until_idle(0.5)
        async with h.runtime.db.session() as s:
            client = (await s.exec(select(Client))).one()
            notes = [e.note for e in (await s.exec(select(LogEntry))).all() if e.note]
        assert client.first_name == "Sam"
        assert client.consent_checkins  # onboarding went all the way through
        assert notes == ["Hard day today 🙂"]
