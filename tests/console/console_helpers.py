"""Helpers for the console tests: sign in, read CSRF tokens, seed clients and alerts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp

from bot.console.tokens import create_login_link
from bot.service.identity import require_therapist
from bot.storage.models import Client, LogEntry, MeasureScore, TriageEvent
from bot.testing.harness import BotHarness

THERAPIST = 1
OTHER = 2
FLOWS = Path(__file__).resolve().parents[2] / "flows"


def base(h: BotHarness) -> str:
    assert h.runtime.console is not None
    return h.runtime.console.url("")


async def login_link(h: BotHarness, therapist: int = THERAPIST) -> str:
    async with h.runtime.db.session() as s:
        t = await require_therapist(s, therapist)
        token = await create_login_link(s, t, h.clock.now(), h.config.console)
    return f"{base(h)}/login/{token}"


async def browser() -> aiohttp.ClientSession:
    # unsafe=True: keep cookies for 127.0.0.1 (aiohttp ignores them for IP hosts otherwise).
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def signed_in(h: BotHarness, therapist: int = THERAPIST) -> aiohttp.ClientSession:
    session = await browser()
    async with session.post(await login_link(h, therapist)) as response:
        assert response.status == 200, await response.text()
        assert str(response.url).endswith("/console/")
    return session


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def add_client(
    h: BotHarness,
    therapist: int,
    telegram_id: int,
    name: str,
    *,
    ratings: list[tuple[timedelta, int]] = (),  # type: ignore[assignment]
    joined: timedelta = timedelta(days=30),
    alerts: bool = True,
) -> int:
    """A client row with ratings at `now - ago` (faster than onboarding for page tests)."""
    now = h.clock.now()
    async with h.runtime.db.session() as s:
        t = await require_therapist(s, therapist)
        client = Client(
            therapist_id=t.id,
            telegram_id=telegram_id,
            chat_id=telegram_id,
            first_name=name,
            consent_checkins=True,
            consent_alerts=alerts,
            created_at=now - joined,
        )
        s.add(client)
        await s.flush()
        assert client.id is not None
        for ago, value in ratings:
            s.add(LogEntry(client_id=client.id, kind="log", recorded_at=now - ago, distress=value))
        return client.id


async def add_alert(
    h: BotHarness, client_id: int, *, level: str = "crisis", ago: timedelta = timedelta(hours=1)
) -> int:
    at: datetime = h.clock.now() - ago
    async with h.runtime.db.session() as s:
        event = TriageEvent(
            client_id=client_id,
            at=at,
            source="screening",
            crisis=level == "crisis",
            contact=True,
            reasons=["crisis"] if level == "crisis" else ["severity"],
            level=level,
            category="suicidal_thoughts" if level == "crisis" else None,
            alerted_at=at,
            alert_count=1,
            delivery="delivered",
        )
        s.add(event)
        await s.flush()
        assert event.id is not None
        return event.id


BANDS = {  # as flows/phq9.yaml and flows/gad7.yaml declare them, with their change rules
    "phq9": (
        [[0, "minimal"], [5, "mild"], [10, "moderate"], [15, "moderately_severe"], [20, "severe"]],
        6.0,
        10.0,
    ),
    "gad7": ([[0, "minimal"], [5, "mild"], [10, "moderate"], [15, "severe"]], 4.0, 8.0),
}


async def add_score(
    h: BotHarness, client_id: int, measure: str, total: int, band: str, ago: timedelta
) -> None:
    """A scored measure (`phq9`, `gad7`) taken at `now - ago`, with the flow's bands and rules."""
    bands, reliable_change, cutoff = BANDS[measure]
    async with h.runtime.db.session() as s:
        s.add(
            MeasureScore(
                client_id=client_id,
                measure=measure,
                total=total,
                band=band,
                items={"q9": 0},
                bands=bands,
                reliable_change=reliable_change,
                cutoff=cutoff,
                recorded_at=h.clock.now() - ago,
            )
        )
