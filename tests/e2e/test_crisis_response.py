"""End to end on the emulator: the response fits what was said, the lines fit where the client is,
and a disclosure inside a flow gets its answer before the flow goes on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import Config
from bot.config.models import AlertsConfig
from bot.safety import screen_text
from bot.service.alerts import CATEGORY_WORDS
from bot.service.texts import RESUME_LABEL as RESUME_LABELS
from bot.storage.models import Client, LogEntry, TriageEvent
from bot.testing.harness import BotHarness

RESUME_LABEL = RESUME_LABELS["en"]
THERAPIST = 1
CLIENT = 1001
FLOWS = Path(__file__).resolve().parents[2] / "flows"
pytestmark = pytest.mark.e2e

# One message per category, the way clients write, with words only that category's text has.
CATEGORIES = {
    "act_under_way": ("I took all my pills", "This is an emergency"),
    "plan_or_preparation": (
        "I've picked a date and wrote letters to my kids",
        "not have to face it alone",
    ),
    "suicidal_thoughts": ("i want to die", "not have to face it alone"),
    "self_harm": ("I want to hurt myself", "Wanting to hurt yourself"),
    "danger_from_others": ("he hits me and I'm scared", "it is not your fault"),
    "harm_to_others": ("I want to hurt someone", "distance between you and them"),
}


@pytest.fixture
async def alerting_harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """A clinic that also alerts on harm to others (alerts.harm_to_others, off by default)."""
    config = Config(flows_dir=FLOWS, alerts=AlertsConfig(harm_to_others=True))
    async with BotHarness(tmp_path, config=config) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        yield h


async def settle(user) -> None:  # type: ignore[no-untyped-def]
    await user.replies_until_idle(0.4)


async def at_the_distress_question(h: BotHarness, sam) -> str:  # type: ignore[no-untyped-def]
    await sam.send("/checkin")
    await h.wait_for_button(sam, "10")
    return sam.last_reply.text


def therapist_messages(h: BotHarness) -> list[str]:
    return [m.text for m in h.emulator.sent_messages(THERAPIST)[1:]]


class TestEachCategoryInsideAFlow:
    @pytest.mark.parametrize("category", sorted(CATEGORIES))
    async def test_gets_its_own_response_resumes_and_alerts_with_the_category(
        self, alerting_harness, category
    ):
        """Typed at the 0-10 question: the category's own text, the way back to the question,
        and an alert that names the category (the client consented)."""
        harness = alerting_harness
        message, fits = CATEGORIES[category]
        if screen_text(message).category != category:
            pytest.skip(f"the screener does not yet put {message!r} in {category}")
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        question = await at_the_distress_question(harness, sam)
        await sam.send(message)
        response = await sam.next_reply()
        assert fits in response.text
        assert RESUME_LABEL in response.buttons()
        await harness.therapists[THERAPIST].next_reply()
        alerts = therapist_messages(harness)
        assert len(alerts) == 1
        assert "Crisis alert" in alerts[0]
        assert f"crisis: {CATEGORY_WORDS[category]}" in alerts[0]
        assert message not in alerts[0]
        async with harness.runtime.db.session() as s:
            event = (await s.exec(select(TriageEvent))).one()
        assert event.category == category
        await sam.tap(RESUME_LABEL)
        await settle(sam)
        # The kind sentence and the question again share one message (one call a step).
        reasked = sam.last_reply.text.split("\n\n", 1)[-1]
        assert question.endswith(reasked)
        await sam.tap("3")  # the flow goes on from the same question
        await settle(sam)
        async with harness.runtime.db.session() as s:
            entries = (await s.exec(select(LogEntry).where(LogEntry.kind == "log"))).all()
        assert [e.distress for e in entries] == [3]

    async def test_an_act_under_way_says_call_emergency_services_first(self, harness):
        """The first words of the reply are "call 999 now" for a client in the UK."""
        if screen_text("I took all my pills").category != "act_under_way":
            pytest.skip("the screener does not yet recognise an act under way")
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("I took all my pills")
        assert (await sam.next_reply()).text.startswith("Please call 999 now.")


# Round 9 of issue 10: everyday words in a dangerous shape (bot/safety/lexicon_structure.py).
EVERYDAY_SHAPES = {
    "necked the whole lot with a bottle of whisky": ("act_under_way", "This is an emergency"),
    "everything is decided. saturday when the house is empty": (
        "plan_or_preparation",
        "not have to face it alone",
    ),
    "made four new lines on my arm": ("self_harm", "Wanting to hurt yourself"),
    "when my stepdad gets home i know he will hurt me": (
        "danger_from_others",
        "it is not your fault",
    ),
}


class TestEverydayWordingInsideAFlow:
    @pytest.mark.parametrize("message", sorted(EVERYDAY_SHAPES))
    async def test_gets_the_response_of_its_category_and_the_alert(self, harness, message):
        """A plan told as logistics, an act as a chore, marks on the body, a forecast of violence,
        typed at the 0-10 question: the category's own text, and the therapist's alert names it."""
        category, fits = EVERYDAY_SHAPES[message]
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await at_the_distress_question(harness, sam)
        await sam.send(message)
        response = await sam.next_reply()
        assert fits in response.text
        assert RESUME_LABEL in response.buttons()
        await harness.therapists[THERAPIST].next_reply()
        alerts = therapist_messages(harness)
        assert len(alerts) == 1
        assert f"crisis: {CATEGORY_WORDS[category]}" in alerts[0]
        assert message not in alerts[0]


# Round 10 of issue 10 (bot/safety/lexicon_shapes.py): a goodbye and a passive death wish in the
# words of the lead's blind round, which the screener missed before.
FINALITY_AND_PASSIVE_WISHES = {
    "logging off for good tonight. tell my sister its not on her": (
        "plan_or_preparation",
        "not have to face it alone",
    ),
    "wont need fridays session or any after that, thanks for trying with me": (
        "plan_or_preparation",
        "not have to face it alone",
    ),
    "every night i kind of hope i just dont wake up": (
        "suicidal_thoughts",
        "not have to face it alone",
    ),
    "wouldnt mind if a bus hit me tbh": ("suicidal_thoughts", "not have to face it alone"),
}


class TestFinalityAndPassiveWishesInsideAFlow:
    @pytest.mark.parametrize("message", sorted(FINALITY_AND_PASSIVE_WISHES))
    async def test_gets_its_response_the_alert_and_the_flow_resumes(self, harness, message):
        """A goodbye or a passive wish to be dead typed at the 0-10 question: the suicidal text,
        the therapist's alert with the category (never the words), and the question again."""
        category, fits = FINALITY_AND_PASSIVE_WISHES[message]
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        question = await at_the_distress_question(harness, sam)
        await sam.send(message)
        response = await sam.next_reply()
        assert fits in response.text
        assert RESUME_LABEL in response.buttons()
        await harness.therapists[THERAPIST].next_reply()
        alerts = therapist_messages(harness)
        assert len(alerts) == 1
        assert f"crisis: {CATEGORY_WORDS[category]}" in alerts[0]
        assert message not in alerts[0]
        async with harness.runtime.db.session() as s:
            event = (await s.exec(select(TriageEvent))).one()
        assert event.category == category
        await sam.tap(RESUME_LABEL)
        await settle(sam)
        assert question.endswith(sam.last_reply.text.split("\n\n", 1)[-1])
        await sam.tap("4")
        await settle(sam)
        async with harness.runtime.db.session() as s:
            entries = (await s.exec(select(LogEntry).where(LogEntry.kind == "log"))).all()
        assert [e.distress for e in entries] == [4]


class TestConcernInsideAFlow:
    async def test_is_acknowledged_offers_sos_is_recorded_and_the_question_comes_again(
        self, harness
    ):
        """'I feel hopeless' at the 0-10 question: one kind sentence with /sos, the question
        again, a 'concern' entry with its reason (never the words), and no crisis alert."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        question = await at_the_distress_question(harness, sam)
        await sam.send("I feel hopeless")
        replies = [m.text for m in await sam.replies_until_idle(0.5)]
        said = "\n".join(replies)
        assert "/sos" in said
        assert "Please tap a number" not in said
        # The kind sentence and the question again share one message (one call a step).
        reasked = sam.last_reply.text.split("\n\n", 1)[-1]
        assert question.endswith(reasked)
        assert "10" in sam.buttons()
        async with harness.runtime.db.session() as s:
            concern = (await s.exec(select(LogEntry).where(LogEntry.kind == "concern"))).one()
            events = (await s.exec(select(TriageEvent))).all()
        assert concern.reason == "hopelessness"
        assert concern.note is None
        assert events == []
        assert therapist_messages(harness) == []
        await sam.tap("4")
        await settle(sam)
        therapist = harness.therapists[THERAPIST]
        await therapist.send("/summary Sam")
        summary = (await therapist.next_text()).text
        assert "Messages that sounded heavy: 1 (hopelessness)" in summary
        assert "I feel hopeless" not in summary

    async def test_at_a_free_text_question_the_words_stay_the_answer(self, harness):
        """At the optional note of /note the words are kept as the note, and acknowledged."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/note")
        await settle(sam)
        await sam.send("I feel hopeless about the sessions")
        said = "\n".join(m.text for m in await sam.replies_until_idle(0.5))
        assert "/sos" in said
        async with harness.runtime.db.session() as s:
            kinds = sorted(e.kind for e in (await s.exec(select(LogEntry))).all())
        assert "concern" in kinds


class TestCrisisLinesWhereTheClientIs:
    @pytest.mark.parametrize(
        ("country", "present", "absent"),
        [
            ("France", ["3114", "call 15"], ["999", "116 123", "988"]),
            ("Australia", ["13 11 14", "call 000"], ["999", "988", "116 123"]),
            ("Canada", ["988", "call 911"], ["999", "116 123", "13 11 14"]),
            ("Kenya", ["112", "findahelpline.com", "/country"], ["999", "116 123", "988", "911"]),
        ],
    )
    async def test_sos_shows_the_lines_of_the_clients_country(
        self, harness, country, present, absent
    ):
        """France and Canada are buttons, Australia and Kenya are typed; Kenya has no entry."""
        sam = await harness.onboarded_client(
            CLIENT, "Sam", therapist=THERAPIST, timezone="Europe/Berlin", country=country
        )
        await sam.send("/sos")
        text = (await sam.next_reply()).text
        for number in present:
            assert number in text
        for number in absent:
            assert number not in text
        assert not text.lower().startswith(("thank you", "sam, thank you"))

    async def test_berlin_paris_does_not_make_a_french_client_german(self, harness):
        """Time zone 'Berlin / Paris' and country France: French numbers, never German ones."""
        sam = await harness.onboarded_client(
            CLIENT, "Sam", therapist=THERAPIST, timezone="Europe/Berlin", country="France"
        )
        async with harness.runtime.db.session() as s:
            client = (await s.exec(select(Client))).one()
        assert (client.country, client.timezone) == ("FR", "Europe/Berlin")
        await sam.send("i want to die")
        text = (await sam.next_reply()).text
        assert "3114" in text
        assert "0800 111 0 111" not in text

    async def test_country_can_be_changed_later(self, harness):
        """/country: a new country, its lines shown at once and from then on."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/country")
        await harness.tap_when_shown(sam, "Germany")
        shown = "\n".join(m.text for m in await sam.replies_until_idle(0.5))
        assert "Germany" in shown
        assert "0800 111 0 111" in shown
        await sam.send("/sos")
        assert "0800 111 0 222" in (await sam.next_reply()).text

    async def test_sos_names_the_therapist_without_pointing_to_itself(self, harness):
        """The lines are on the screen: 'if you cannot reach them: /sos' only pointed back to
        /sos (a newcomer's demo trial). The therapist's contact stays."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/sos")
        text = (await sam.next_reply()).text
        assert "Dr. Ruiz" in text
        assert "/sos" not in text


class TestWhenTheDatabaseIsDown:
    async def _break(self, harness, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        async def broken_route(*args, **kwargs):
            raise RuntimeError("database unavailable")

        monkeypatch.setattr(harness.runtime.service, "_route", broken_route)

    async def test_a_remembered_client_still_gets_their_own_countrys_lines(
        self, harness, monkeypatch
    ):
        sam = await harness.onboarded_client(
            CLIENT, "Sam", therapist=THERAPIST, timezone="Europe/Berlin", country="France"
        )
        await self._break(harness, monkeypatch)
        await sam.send("i want to die")
        text = "\n".join(m.text for m in await sam.replies_until_idle(0.6))
        assert "3114" in text
        assert "116 123" not in text

    async def test_an_unknown_sender_gets_the_neutral_fallback_never_a_foreign_number(
        self, harness, monkeypatch
    ):
        await self._break(harness, monkeypatch)
        stranger = harness.user(2002, "Alex")
        await stranger.send("i want to die")
        text = "\n".join(m.text for m in await stranger.replies_until_idle(0.6))
        assert "112" in text
        assert "findahelpline.com" in text
        for foreign in ("999", "116 123", "988"):
            assert foreign not in text


class TestHighDistress:
    async def test_a_check_in_ending_at_9_names_the_therapist_and_sos(self, harness):
        """9/10 and 'Nothing now': no "If it gets harder, I'm here"; the therapist and /sos."""
        sam = await harness.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
        await sam.send("/checkin")
        await harness.tap_when_shown(sam, "9")
        await harness.tap_when_shown(sam, "Nothing now")
        said = "\n".join(m.text for m in await sam.replies_until_idle(0.8))
        assert "If it gets harder, I'm here" not in said
        assert "Dr. Ruiz" in said
        assert "/sos" in said
