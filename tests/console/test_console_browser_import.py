"""Calendar upload in Debian's Chromium: a weekly series and one unmatched event, the preview, a
client picked for the unmatched one, confirm, and /upcoming in Telegram shows their check-ins.
Screenshots (phone and desktop) of the upload form, the preview and the result, and the client's
timing form with its own quiet hours and cap."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from console_helpers import THERAPIST, base, login_link
from sqlmodel import select
from test_console_browser import DESKTOP, PHONE, chromium, client_id_of, seed, shoot

from bot.storage.models import TherapySession

pytestmark = pytest.mark.e2e
__all__ = ["chromium"]  # the fixture, shared with the other browser tests

# The harness starts on Monday 23 November 2026, 10:00 UTC (London is on UTC then).
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Practice//EN\r\n"
    "X-WR-TIMEZONE:Europe/London\r\n"
    "BEGIN:VEVENT\r\nUID:sam-weekly@practice\r\nSUMMARY:Sam - therapy\r\n"
    "DTSTART;TZID=Europe/London:20261124T150000\r\nDTEND;TZID=Europe/London:20261124T155000\r\n"
    "RRULE:FREQ=WEEKLY;BYDAY=TU\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:intake@practice\r\nSUMMARY:Intake call (new referral)\r\n"
    "DTSTART:20261125T100000Z\r\nDURATION:PT50M\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:away@practice\r\nSUMMARY:Away\r\n"
    "DTSTART;VALUE=DATE:20261127\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


async def test_calendar_upload_in_chromium_plans_check_ins_seen_in_telegram(
    harness, chromium, tmp_path: Path
):
    ids = await seed(harness)
    await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
    ids["Sam"] = await client_id_of(harness, 1001)
    ruiz = harness.therapists[THERAPIST]
    await ruiz.send("/upcoming Sam")
    assert "Nothing will be sent" in (await ruiz.next_reply()).text
    path = tmp_path / "practice.ics"
    path.write_text(CALENDAR)

    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        context = await chromium.new_context(viewport=size)
        context.set_default_timeout(10_000)
        page = await context.new_page()
        await page.goto(await login_link(harness))
        await page.get_by_role("button", name="Open the console").click()
        await page.wait_for_url("**/console/")
        await page.goto(f"{base(harness)}/timing")
        await shoot(page, f"timing-import-{name}")
        await page.set_input_files("#calendar", str(path))
        await page.get_by_role("button", name="Read the calendar").click()
        await page.wait_for_url("**/console/sessions/import")
        rows = page.locator(".import-row")
        assert await rows.count() == 2
        assert "every week" in await rows.nth(0).inner_text()
        assert await page.locator(".import-row.unmatched").count() == 1
        assert "all-day event" in await page.locator(".entries").inner_text()
        await shoot(page, f"import-preview-{name}")
        if name == "desktop":
            # Looked at, not imported: nothing is saved until "Import".
            async with harness.runtime.db.session() as s:
                assert (await s.exec(select(TherapySession))).all() == []
        else:
            await page.locator(".import-row.unmatched select").select_option(label="Ben")
            await page.get_by_role("button", name="Import").click()
            await page.wait_for_url("**/console/sessions/import/confirm")
            assert "2 sessions added" in await page.locator(".ok").inner_text()
            await shoot(page, f"import-done-{name}")
            # A file that is not a calendar: a page that says so, and the way back.
            csv = tmp_path / "clients.csv"
            csv.write_text("Name,Date\nSam,2026-11-24\n")
            await page.goto(f"{base(harness)}/timing")
            await page.set_input_files("#calendar", str(csv))
            await page.get_by_role("button", name="Read the calendar").click()
            assert "not a calendar file" in await page.locator(".errors").inner_text()
            await shoot(page, f"import-error-{name}")
            # The client's timing, with their own quiet hours and cap (validation shown).
            await page.goto(f"{base(harness)}/clients/{ids['Sam']}/sessions")
            await page.fill("#client-quiet-start", "22:00")
            await page.get_by_role("button", name="Save for Sam").click()
            assert "start and an end" in await page.locator(".errors").inner_text()
            await page.fill("#client-quiet-end", "08:00")
            await page.fill("#client-max", "2")
            await page.get_by_role("button", name="Save for Sam").click()
            await page.wait_for_url(f"**/console/clients/{ids['Sam']}/sessions")
            assert "quiet hours 22:00-08:00" in await page.locator("#timing + .hint").inner_text()
            await shoot(page, f"sessions-own-timing-{name}")
        await context.close()

    await ruiz.send("/upcoming")
    upcoming = (await ruiz.next_reply()).text
    assert "18:50 (Europe/London) Sam – check-in after the session" in upcoming  # Tue 15:50 + 3h
    assert "13:50 (Europe/London) Ben – check-in after the session" in upcoming  # Wed 10:50 + 3h
    async with harness.runtime.db.session() as s:
        made = {x.client_id: x for x in (await s.exec(select(TherapySession))).all()}
    assert set(made) == {ids["Sam"], ids["Ben"]}
    assert made[ids["Sam"]].weekly


async def test_a_login_link_tapped_on_another_site_still_signs_in(harness, chromium):
    """SameSite=Strict: the link is opened from another site (here a page on `localhost`, the
    console on 127.0.0.1, as Telegram Web's page is to the console). Its GET needs no cookie; the
    button posts from the console's own page, so the cookie is set and sent: signed in."""
    link = await login_link(harness)
    chat = web.Application()

    async def page(_request: web.Request) -> web.Response:
        html = f'<!doctype html><a id="link" href="{link}" target="_blank">{link}</a>'
        return web.Response(text=html, content_type="text/html")

    chat.router.add_get("/", page)
    runner = web.AppRunner(chat)
    await runner.setup()
    site = web.TCPSite(runner, "localhost", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        context = await chromium.new_context(viewport=PHONE)
        context.set_default_timeout(10_000)
        tab = await context.new_page()
        await tab.goto(f"http://localhost:{port}/")
        async with context.expect_page() as opened:
            await tab.click("#link")  # a new tab, as Telegram Web opens links
        console = await opened.value
        await console.get_by_role("button", name="Open the console").click()
        await console.wait_for_url("**/console/")
        assert await console.locator(".top nav").count() == 1
        cookie = next(c for c in await context.cookies() if c["name"] == "checkin_console")
        assert cookie["sameSite"] == "Strict"
        assert cookie["httpOnly"]
        await context.close()
    finally:
        await runner.cleanup()
