"""The console in a real browser: Debian's headless Chromium driven by Playwright.

Log in by link, see the caseload order, open a client, change the follow-up offsets (and see
/upcoming change in Telegram), acknowledge an alert, and open it as a Mini App. Screenshots of
every page at phone (390 px) and desktop width are written to `screenshots/console/` (or
$CHECKIN_SCREENSHOTS) for a person to look at. Skipped, saying why, without Chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from console_helpers import (
    OTHER,
    THERAPIST,
    add_alert,
    add_client,
    add_score,
    base,
    login_link,
)

from bot.console.initdata import make_init_data
from bot.service.identity import client_by_telegram_id
from bot.testing.harness import BotHarness

pytestmark = pytest.mark.e2e
CHROMIUM = os.environ.get("CHECKIN_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(
    os.environ.get(
        "CHECKIN_SCREENSHOTS", Path(__file__).resolve().parents[2] / "screenshots" / "console"
    )
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# As the machine's own probe starts it: no calls home (the network is closed here).
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DAY = timedelta(days=1)


@pytest.fixture
async def chromium() -> AsyncIterator[Any]:
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.skip("browser tests need the playwright package (pip install -e '.[dev]')")
    if not _have_chromium():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium "
            "chromium-driver (.ci/run does this where apt is available)"
        )
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def _have_chromium() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def _shot_path(name: str) -> str:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return str(SHOTS / f"{name}.png")


async def shoot(page: Any, name: str) -> None:
    await page.screenshot(path=_shot_path(name), full_page=True)


async def seed(h: BotHarness) -> dict[str, int]:
    steady = [(DAY * n + timedelta(hours=3), 3 + n % 3) for n in range(0, 60)]
    rising = [(DAY * n + timedelta(hours=4), max(2, 9 - n)) for n in range(0, 30)]
    ids = {
        "Ada": await add_client(h, THERAPIST, 11, "Ada", ratings=steady),
        "Ben": await add_client(h, THERAPIST, 12, "Ben", ratings=[(DAY * 5, 6), (DAY * 8, 5)]),
        "Cy": await add_client(h, THERAPIST, 13, "Cy", ratings=rising),
        "Eli": await add_client(h, THERAPIST, 15, "Eli", ratings=steady[::2]),
    }
    ids["alert"] = await add_alert(h, ids["Eli"], ago=timedelta(hours=2))
    for weeks, total, band in ((8, 16, "moderately_severe"), (4, 12, "moderate"), (1, 9, "mild")):
        await add_score(h, ids["Cy"], "phq9", total, band, DAY * 7 * weeks)
    for weeks, total, band in ((8, 13, "moderate"), (4, 11, "moderate"), (1, 7, "mild")):
        await add_score(h, ids["Cy"], "gad7", total, band, DAY * 7 * weeks + timedelta(hours=1))
    await add_client(h, OTHER, 21, "Zed", ratings=[(DAY, 10)])
    return ids


async def client_id_of(h: BotHarness, telegram_id: int) -> int:
    async with h.runtime.db.session() as s:
        client = await client_by_telegram_id(s, telegram_id)
        assert client is not None
        assert client.id is not None
        return client.id


async def test_therapist_flow_in_chromium(harness, chromium):
    ids = await seed(harness)
    await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
    ids["Sam"] = await client_id_of(harness, 1001)
    ruiz = harness.therapists[THERAPIST]
    await ruiz.send("/session Sam tomorrow 15:00 weekly")
    await ruiz.next_reply()
    await ruiz.send("/upcoming")
    assert "18:50" in (await ruiz.next_reply()).text  # 3h after the session ends at 15:50

    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        context = await chromium.new_context(viewport=size)
        context.set_default_timeout(10_000)
        page = await context.new_page()
        # Log in by link.
        await page.goto(await login_link(harness))
        await page.get_by_role("button", name="Open the console").click()
        await page.wait_for_url("**/console/")
        # The caseload in order of attention.
        names = await page.locator(".caseload .name").all_inner_texts()
        assert names == ["Eli", "Cy", "Ben", "Ada", "Sam"], names
        await shoot(page, f"caseload-{name}")
        # Open a client: the timeline and their log.
        await page.get_by_role("link", name="Cy").click()
        await page.wait_for_url(f"**/console/clients/{ids['Cy']}")
        assert await page.locator("svg.timeline:visible").count() == 1
        await shoot(page, f"client-{name}")
        await page.get_by_role("link", name="3 months").click()
        await page.wait_for_url("**?days=90")
        # Zoomed out: PHQ-9 16 -> 9 (-7) and GAD-7 13 -> 7 (-6) are reliable improvements.
        assert await page.locator("svg.timeline:visible .flagged").count() == 2
        assert await page.locator(".measure-key li").count() == 3
        await shoot(page, f"client-3-months-{name}")
        await page.goto(f"{base(harness)}/clients/{ids['Eli']}?days=14")
        await shoot(page, f"client-alert-{name}")
        await page.goto(f"{base(harness)}/clients/{ids['Sam']}/sessions")
        await shoot(page, f"sessions-{name}")
        await page.goto(f"{base(harness)}/timing")
        await shoot(page, f"timing-{name}")
        await page.goto(f"{base(harness)}/profile")
        await shoot(page, f"profile-{name}")
        await page.goto(f"{base(harness)}/alerts")
        await shoot(page, f"alerts-{name}")
        if name == "phone":
            # Change the offsets: a wrong value is explained, a right one re-plans.
            await page.goto(f"{base(harness)}/timing")
            await page.fill("#offsets", "20d")
            await page.get_by_role("button", name="Save").click()
            assert "out of range" in await page.locator(".errors").inner_text()
            await shoot(page, "timing-error-phone")
            await page.fill("#offsets", "2h, 2d")
            await page.get_by_role("button", name="Save").click()
            assert "Saved" in await page.locator(".ok").inner_text()
            await ruiz.send("/upcoming")
            upcoming = (await ruiz.next_reply()).text
            assert "17:50" in upcoming
            assert "18:50" not in upcoming
            # Acknowledge the alert.
            await page.goto(f"{base(harness)}/alerts")
            await page.get_by_role("button", name="Acknowledge").click()
            await page.wait_for_url("**/console/alerts")
            assert await page.locator("text=No open alerts.").count() == 1
            await shoot(page, "alerts-acknowledged-phone")
            names = (
                await page.goto(f"{base(harness)}/")
                and await page.locator(".caseload .name").all_inner_texts()
            )
            assert names[0] != "Eli"
        await page.get_by_role("button", name="Log out").click()
        assert await page.locator("text=You are logged out").count() == 1
        await context.close()


async def test_mini_app_signs_in_with_telegrams_init_data(harness, chromium):
    """Telegram opens /console/app with its signed initData in the fragment: caseload follows."""
    await seed(harness)
    raw = make_init_data(THERAPIST, harness.emulator.token, harness.clock.now())
    context = await chromium.new_context(viewport=PHONE)
    page = await context.new_page()
    from urllib.parse import quote

    await page.goto(f"{base(harness)}/app#tgWebAppData={quote(raw)}&tgWebAppVersion=8.0")
    await page.wait_for_url("**/console/")
    assert await page.locator(".caseload .name").count() == 4
    forged = make_init_data(THERAPIST, "1:WRONG", harness.clock.now())
    other = await context.browser.new_context(viewport=PHONE)  # a fresh cookie jar
    page2 = await other.new_page()
    await page2.goto(f"{base(harness)}/app#tgWebAppData={quote(forged)}")
    await page2.wait_for_selector("text=could not confirm")
    await context.close()
    await other.close()
