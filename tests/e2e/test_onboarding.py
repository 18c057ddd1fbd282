"""Onboarding by invite, end to end through Telegram (emulated)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.storage.models import Client, Invite
from bot.testing.harness import BotHarness

THERAPIST = 1
CLIENT = 1001
FLOWS = Path(__file__).resolve().parents[2] / "flows"

pytestmark = pytest.mark.e2e


class TestInvites:
    async def test_invite_link_joins_the_client_and_starts_consent(self, harness: BotHarness):
        """A client who opens the invite becomes that therapist's client and is asked for consent."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        text = "\n".join(sam.transcript)
        assert "not a therapist" in text
        assert "not end-to-end encrypted" in text
        assert "Samaritans" in text  # crisis lines shown up front
        async with harness.runtime.db.session() as s:
            client = (await s.exec(select(Client))).one()
        assert client.first_name == "Sam"
        assert client.consent_checkins
        assert client.consent_alerts
        assert client.timezone == "Europe/London"

    async def test_a_code_works_only_once(self, harness: BotHarness):
        """The second person to use the same link is told to ask for a new one."""
        code = await harness.invite_code(THERAPIST)
        first, second = harness.user(2001, "Ann"), harness.user(2002, "Bo")
        await first.send(f"/start {code}")
        await first.next_reply()
        await second.send(f"/start {code}")
        reply = await second.next_reply()
        assert "already used" in reply.text
        async with harness.runtime.db.session() as s:
            assert len((await s.exec(select(Client))).all()) == 1
            assert (await s.exec(select(Invite))).one().used_at is not None

    async def test_expired_code_is_refused(self, harness: BotHarness):
        """Codes expire (14 days by default)."""
        from datetime import timedelta

        code = await harness.invite_code(THERAPIST)
        harness.clock.advance(timedelta(days=15))
        late = harness.user(2003, "Cy")
        await late.send(f"/start {code}")
        assert "expired" in (await late.next_reply()).text

    async def test_stranger_without_code_gets_an_explanation_only(self, harness: BotHarness):
        """Someone without an invite learns what the bot is and nothing is stored about them."""
        stranger = harness.user(3001, "Dee")
        await stranger.send("hello?")
        reply = await stranger.next_reply()
        assert "invite link" in reply.text
        async with harness.runtime.db.session() as s:
            assert (await s.exec(select(Client))).all() == []

    async def test_a_stranger_in_danger_gets_the_crisis_lines_not_the_invite_text(
        self, harness: BotHarness
    ):
        """Screening runs for people we do not know too (never invited, or erased): 'i took all
        my pills' from a stranger gets emergency help (112 and a directory), not the greeting."""
        stranger = harness.user(3002, "Eli")
        await stranger.send("i took all my pills")
        text = "\n".join(m.text for m in await stranger.replies_until_idle(0.6))
        assert "112" in text
        assert "findahelpline.com" in text
        assert "invite link" not in text
        async with harness.runtime.db.session() as s:
            assert (await s.exec(select(Client))).all() == []

    async def test_sos_from_a_stranger_gives_the_lines(self, harness: BotHarness):
        """/sos works for anyone, for example someone who used /delete and is struggling."""
        stranger = harness.user(3003, "Flo")
        await stranger.send("/sos")
        text = "\n".join(m.text for m in await stranger.replies_until_idle(0.6))
        assert "112" in text
        assert "invite link" not in text

    async def test_declining_consent_sets_nothing_up(self, harness: BotHarness):
        """Check-ins need consent: 'No, thanks' ends kindly and the client gets no check-ins."""
        code = await harness.invite_code(THERAPIST)
        sam = harness.user(CLIENT, "Sam")
        await sam.send(f"/start {code}")
        await harness.answer_country(sam, "United Kingdom")
        await harness.tap_when_shown(sam, "No, thanks")
        reply = await sam.next_reply()
        assert "/start" in reply.text
        await sam.send("/checkin")
        assert "finish setting up" in (await sam.next_reply()).text


class TestInviteRace:
    async def test_four_people_sending_one_code_at_once_make_exactly_one_client(self, db, tmp_path):
        """Ten times over, four people send `/start CODE` with the same code at the same moment:
        one becomes the client and starts onboarding, the other three hear it was already used."""
        await db.dispose()  # the harness opens its own engine on the same (emptied) database
        async with BotHarness(tmp_path, database_url=db.url) as h:
            await h.add_therapist(THERAPIST, "Dr. Ruiz")
            for round_ in range(10):
                code = await h.invite_code(THERAPIST)
                people = [h.user(5000 + 10 * round_ + i, f"P{round_}{i}") for i in range(4)]
                await asyncio.gather(*(p.send(f"/start {code}") for p in people))
                replies = [(await p.next_reply()).text for p in people]
                refused = [r for r in replies if "already used" in r]
                assert len(refused) == 3, replies
                async with h.runtime.db.session() as s:
                    joined = (
                        await s.exec(
                            select(Client).where(
                                col(Client.telegram_id).in_(p.user_id for p in people)
                            )
                        )
                    ).all()
                    invite = (await s.exec(select(Invite).order_by(col(Invite.id).desc()))).first()
                assert len(joined) == 1
                assert invite is not None
                assert invite.used_by_client_id == joined[0].id


class TestLanguages:
    async def test_a_client_picks_german_by_its_name(self, tmp_path):
        """With en and de configured, onboarding offers 'English'/'Deutsch' and continues in German."""
        from bot.config import Config

        config = Config(flows_dir=FLOWS)
        config = config.model_copy(
            update={"clinic": config.clinic.model_copy(update={"languages": ["en", "de"]})}
        )
        async with BotHarness(tmp_path, config=config) as h:
            await h.add_therapist(THERAPIST, "Dr. Ruiz")
            code = await h.invite_code(THERAPIST)
            sam = h.user(CLIENT, "Sam")
            await sam.send(f"/start {code}")
            await h.tap_when_shown(sam, "Deutsch")
            welcome = await sam.next_reply()
            assert welcome.text.startswith("Hallo Sam")
            async with h.runtime.db.session() as s:
                assert (await s.exec(select(Client))).one().language == "de"


class TestWhereTheClientIs:
    async def test_a_shared_location_sets_the_zone_which_is_told_back_with_the_local_time(
        self, harness: BotHarness
    ):
        """At 'Another place', a location (Manchester) gives Europe/London, confirmed in words
        with the time there; the coordinates are stored nowhere."""
        code = await harness.invite_code(THERAPIST)
        sam = harness.user(CLIENT, "Sam")
        await sam.send(f"/start {code}")
        await harness.answer_country(sam, "United Kingdom")
        await harness.tap_when_shown(sam, "Yes, that's OK")
        await harness.tap_when_shown(sam, "Yes, let them know")
        await harness.tap_when_shown(sam, "Another place")
        assert "share your location" in (await sam.next_reply()).text
        await sam.send_location(53.4808, -2.2426)
        replies = (await sam.next_reply()).text  # the first lookup loads the map (a second)
        replies += "\n".join(r.text for r in await sam.replies_until_idle(0.5))
        local = harness.clock.now().astimezone(ZoneInfo("Europe/London"))
        assert f"Your time zone is Europe/London: it is {local:%H:%M} there now." in replies
        assert "All set, Sam" in replies
        async with harness.runtime.db.session() as s:
            client = (await s.exec(select(Client))).one()
        assert client.timezone == "Europe/London"
        assert "53.48" not in str(client.model_dump())

    async def test_timezone_changes_it_later_from_a_typed_city_in_another_spelling(
        self, harness: BotHarness
    ):
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/timezone")
        await harness.tap_when_shown(sam, "Another place")
        await sam.next_reply()
        await sam.send("München")
        reply = await sam.next_reply()
        assert "Your time zone is Europe/Berlin" in reply.text
        async with harness.runtime.db.session() as s:
            assert (await s.exec(select(Client))).one().timezone == "Europe/Berlin"

    async def test_a_location_anywhere_else_gets_the_kind_reply_and_the_question_again(
        self, harness: BotHarness
    ):
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/log")
        await sam.replies_until_idle(0.4)
        await sam.send_location(53.4808, -2.2426)
        assert "only read text" in (await sam.next_reply()).text
