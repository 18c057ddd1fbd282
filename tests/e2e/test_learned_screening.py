"""End to end on the emulator: a crisis that only the learned layer recognises (no rule has its
wording) gets the same path as a rule's crisis: its category's text, the way back to the flow,
and the therapist's alert naming the category."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import Config
from bot.safety import screen_text
from bot.service.alerts import CATEGORY_WORDS
from bot.service.texts import RESUME_LABEL as RESUME_LABELS
from bot.storage.models import TriageEvent
from bot.testing.harness import BotHarness

THERAPIST = 1
CLIENT = 1001
FLOWS = Path(__file__).resolve().parents[2] / "flows"
pytestmark = pytest.mark.e2e

# (message, its category, words only that category's text has): two slips beyond the rules' typo
# tolerance, and a means with a place that no rule names (tests/safety/test_learned.py).
LEARNED_ONLY = [
    ("i swalowed all my plils", "act_under_way", "This is an emergency"),
    ("theres a rope in my car and i know where to go", "plan_or_preparation", "not have to face"),
]


@pytest.fixture
async def clinic(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with BotHarness(tmp_path, config=Config(flows_dir=FLOWS)) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        yield h


@pytest.mark.parametrize(("message", "category", "fits"), LEARNED_ONLY)
async def test_a_crisis_only_the_learned_layer_reads_gets_its_response_and_alert(
    clinic: BotHarness, message: str, category: str, fits: str
) -> None:
    assert screen_text(message, learned=False).level == "none"
    assert screen_text(message).category == category
    sam = await clinic.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await sam.send("/checkin")
    await clinic.wait_for_button(sam, "10")
    await sam.send(message)
    response = await sam.next_reply()
    assert fits in response.text
    assert RESUME_LABELS["en"] in response.buttons()
    await clinic.therapists[THERAPIST].next_reply()
    alerts = [m.text for m in clinic.emulator.sent_messages(THERAPIST)[1:]]
    assert len(alerts) == 1
    assert f"crisis: {CATEGORY_WORDS[category]}" in alerts[0]
    assert message not in alerts[0]
    async with clinic.runtime.db.session() as s:
        event = (await s.exec(select(TriageEvent))).one()
    assert event.category == category
