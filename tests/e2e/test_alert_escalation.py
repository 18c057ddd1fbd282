"""Risk that escalates inside the grouping window reaches the therapist at once; what an alert
carries and what /ack closes.

Repeats of the same or a lesser danger are still folded into the open alert (no flooding).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from test_alerts import CLIENT, FALLBACK, THERAPIST, _config, alerts_to, events, log_rating

from bot.testing.harness import BotHarness

THOUGHTS = "what's the point anymore… everyone would be better off without me"
PLAN = "I have saved up enough of my pills and tonight is the night"
METHOD = "I've been looking up how many paracetamol it takes"
GOODBYE = "this is my last message"
ABUSE = (
    "he says if I tell anyone what happens at home I'll regret it. I'm scared to go back tonight"
)
WORDS = ("pills", "paracetamol", "last message", "regret", "home", "scared", "point anymore")


@pytest.fixture
async def harness(tmp_path: Path):  # type: ignore[no-untyped-def]
    async with BotHarness(tmp_path, config=_config()) as h:
        h.user(FALLBACK, "On-call")
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        yield h


async def write(h: BotHarness, sam, text: str) -> None:  # type: ignore[no-untyped-def]
    await sam.send(text)
    await sam.replies_until_idle(0.4)
    h.clock.advance(timedelta(minutes=5))


async def ask(h: BotHarness, command: str) -> str:
    """The therapist's command and the bot's answer (alerts that arrived before it skipped)."""
    ruiz = h.therapists[THERAPIST]
    await ruiz.replies_until_idle(0.3)
    await ruiz.send(command)
    replies = await ruiz.replies_until_idle(0.4)
    return "\n".join(m.text for m in replies if m.text)


def alert_id(text: str) -> int:
    found = re.search(r"· alert #(\d+)$", text)
    assert found is not None, text
    return int(found.group(1))


async def test_a_plan_after_thoughts_alerts_at_once_and_repeats_are_folded(harness) -> None:  # type: ignore[no-untyped-def]
    """Thoughts (alert), then a plan: a second alert at once, marked as an escalation of the
    first; a method and a goodbye (the same category as the plan) fold into it."""
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await write(h, sam, THOUGHTS)
    (first,) = alerts_to(h, THERAPIST)
    assert "suicidal thoughts" in first
    await write(h, sam, PLAN)
    pushed = alerts_to(h, THERAPIST)
    assert len(pushed) == 2
    assert "Crisis alert" in pushed[1]
    assert "Risk escalated" in pushed[1]
    assert "plan or preparation" in pushed[1]
    assert f"alert #{alert_id(first)}" in pushed[1]  # names the open alert it goes beyond
    await write(h, sam, METHOD)
    await write(h, sam, GOODBYE)
    await write(h, sam, THOUGHTS)  # a lesser form of the open danger: folded too
    assert len(alerts_to(h, THERAPIST)) == 2
    alerted = [e for e in await events(h) if e.alerted_at is not None]
    assert [e.delivery for e in alerted] == ["delivered", "delivered"]
    assert alerted[1].alert_count == 4
    assert not any(w in m for m in alerts_to(h, THERAPIST) for w in WORDS)


async def test_danger_from_another_person_is_a_new_alert_and_named_everywhere(harness) -> None:  # type: ignore[no-untyped-def]
    """After a suicide crisis, a threat at home is a different danger: a new alert, and /alerts
    and the summary name it (not only 'suicidal thoughts'); /alerts says 'crisis' once."""
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await write(h, sam, THOUGHTS)
    await write(h, sam, PLAN)
    await write(h, sam, GOODBYE)
    await write(h, sam, ABUSE)
    pushed = alerts_to(h, THERAPIST)
    assert len(pushed) == 3
    assert "danger from another person" in pushed[2]
    assert "Risk escalated" in pushed[2]
    listed = await ask(h, "/alerts")
    assert "danger from another person" in listed
    assert "crisis: crisis" not in listed
    summary = await ask(h, "/summary Sam")
    assert "danger from another person" in summary.lower()
    assert "plan or preparation" in summary.lower()


async def test_a_merged_alert_carries_every_category_it_holds(harness) -> None:  # type: ignore[no-untyped-def]
    """A plan first, then thoughts (folded): the open alert names both."""
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await write(h, sam, PLAN)
    await write(h, sam, THOUGHTS)
    assert len(alerts_to(h, THERAPIST)) == 1
    listed = await ask(h, "/alerts")
    assert "plan or preparation" in listed
    assert "suicidal thoughts" in listed
    assert "(+1 more)" in listed


async def test_ack_names_the_older_alerts_it_closes_and_never_a_newer_one(harness) -> None:  # type: ignore[no-untyped-def]
    """Acknowledging settles the client's earlier open alerts too (by design: the crisis is
    then history) and says which; a newer alert, which the therapist may not have read yet,
    stays open."""
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await log_rating(h, sam, "9")  # contact advised
    h.clock.advance(timedelta(minutes=5))
    await write(h, sam, THOUGHTS)
    await write(h, sam, ABUSE)
    advised, thoughts, danger = (alert_id(a) for a in alerts_to(h, THERAPIST))
    reply = await ask(h, f"/ack {thoughts}")
    assert f"Alert #{thoughts} acknowledged" in reply
    assert f"also closed #{advised}" in reply
    assert f"Still open (newer): #{danger}" in reply
    listed = await ask(h, "/alerts")
    assert f"#{danger} " in listed
    assert f"#{advised} " not in listed
    assert f"#{thoughts} " not in listed
    reply = await ask(h, f"/ack {danger}")
    assert "also closed" not in reply
    assert "No open alerts" in await ask(h, "/alerts")
