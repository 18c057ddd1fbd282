"""Ways into the console: one-time links, Telegram's initData, sessions, logout, CSRF, /console."""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_helpers import (
    FLOWS,
    OTHER,
    THERAPIST,
    base,
    browser,
    csrf_of,
    login_link,
    signed_in,
)

from bot.config import Config, ConsoleConfig
from bot.console.initdata import make_init_data
from bot.testing.harness import BotHarness

pytestmark = pytest.mark.e2e


class TestLoginLinks:
    async def test_a_link_signs_in_once_with_a_strict_httponly_cookie(self, harness):
        """GET only shows a button (link previews use nothing up); POST signs in; then it is spent."""
        link = await login_link(harness)
        async with await browser() as b:
            async with b.get(link) as page:
                assert page.status == 200
                assert "Dr. Ruiz" in await page.text()
            async with b.post(link, allow_redirects=False) as answer:
                assert answer.status == 303
                cookie = answer.headers["Set-Cookie"]
            assert "HttpOnly" in cookie
            assert "SameSite=Strict" in cookie
            assert "Secure" not in cookie  # localhost: a Secure cookie would be dropped on http
            async with b.get(f"{base(harness)}/") as page:
                assert page.status == 200
                assert "Caseload" in await page.text()
        async with await browser() as again:
            async with again.post(link) as answer:
                assert answer.status == 410
            async with again.get(f"{base(harness)}/") as page:
                assert page.status == 401

    async def test_a_link_expires_after_ten_minutes(self, harness):
        link = await login_link(harness)
        harness.clock.advance(timedelta(minutes=10, seconds=1))
        async with await browser() as b, b.post(link) as answer:
            assert answer.status == 410

    async def test_a_link_signs_in_only_the_therapist_it_was_made_for(self, harness):
        async with await signed_in(harness, OTHER) as b, b.get(f"{base(harness)}/") as page:
            text = await page.text()
        assert "Dr. Other" in text
        assert "Dr. Ruiz" not in text

    async def test_cookie_is_secure_outside_localhost(self, harness):
        link = await login_link(harness)
        async with (
            await browser() as b,
            b.post(link, headers={"Host": "console.example.org"}, allow_redirects=False) as answer,
        ):
            assert "Secure" in answer.headers["Set-Cookie"]

    async def test_idle_session_ends(self, harness):
        """Unused for longer than idle_timeout (30 minutes): signed out."""
        async with await signed_in(harness) as b:
            harness.clock.advance(timedelta(minutes=20))
            async with b.get(f"{base(harness)}/") as page:
                assert page.status == 200
            harness.clock.advance(timedelta(minutes=31))
            async with b.get(f"{base(harness)}/") as page:
                assert page.status == 401

    async def test_logout_ends_the_session_and_needs_the_csrf_token(self, harness):
        async with await signed_in(harness) as b:
            async with b.get(f"{base(harness)}/") as page:
                csrf = csrf_of(await page.text())
            async with b.post(f"{base(harness)}/logout", data={}) as refused:
                assert refused.status == 403
            async with b.post(f"{base(harness)}/logout", data={"csrf": csrf}) as out:
                assert out.status == 200
                assert "logged out" in await out.text()
            async with b.get(f"{base(harness)}/") as page:
                assert page.status == 401


class TestTelegramInitData:
    async def post(self, h: BotHarness, raw: str) -> tuple[int, str]:
        async with (
            await browser() as b,
            b.post(f"{base(h)}/auth/telegram", data={"initData": raw}) as answer,
        ):
            status = answer.status
            if status == 200:
                async with b.get(f"{base(h)}/") as page:
                    return status, await page.text()
            return status, await answer.text()

    async def test_signed_fresh_data_of_a_therapist_signs_in(self, harness):
        raw = make_init_data(THERAPIST, harness.emulator.token, harness.clock.now())
        status, page = await self.post(harness, raw)
        assert status == 200
        assert "Caseload" in page

    async def test_forged_data_gets_401(self, harness):
        raw = make_init_data(THERAPIST, "1234:NOT-THE-TOKEN", harness.clock.now())
        assert (await self.post(harness, raw))[0] == 401

    async def test_expired_data_gets_401(self, harness):
        old = harness.clock.now() - timedelta(hours=1, minutes=1)
        raw = make_init_data(THERAPIST, harness.emulator.token, old)
        assert (await self.post(harness, raw))[0] == 401

    async def test_a_client_or_stranger_gets_401(self, harness):
        await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
        for who in (1001, 5555):
            raw = make_init_data(who, harness.emulator.token, harness.clock.now())
            assert (await self.post(harness, raw))[0] == 401

    async def test_missing_data_gets_401(self, harness):
        async with await browser() as b, b.post(f"{base(harness)}/auth/telegram") as answer:
            assert answer.status == 401


class TestCsrf:
    async def test_forms_without_the_sessions_token_are_refused(self, harness):
        """No token, another session's token, or a post from another site: 403, nothing saved."""
        async with await signed_in(harness) as mine, await signed_in(harness, OTHER) as theirs:
            async with theirs.get(f"{base(harness)}/timing") as page:
                their_csrf = csrf_of(await page.text())
            url = f"{base(harness)}/timing"
            form = {"offsets": "2h", "quiet_start": "21:30", "quiet_end": "08:30"}
            for data, headers in (
                (form, {}),
                ({**form, "csrf": their_csrf}, {}),
                ({**form, "csrf": "0" * 64}, {}),
            ):
                async with mine.post(url, data=data, headers=headers) as answer:
                    assert answer.status == 403
            async with mine.get(url) as page:
                text = await page.text()
                csrf = csrf_of(text)
            assert "3h, 1d, 3d" in text
            evil = {"Origin": "https://evil.example"}
            async with mine.post(url, data={**form, "csrf": csrf}, headers=evil) as answer:
                assert answer.status == 403


class TestConsoleCommand:
    async def test_a_therapist_gets_a_working_link_and_a_client_gets_nothing(self, harness):
        ruiz = harness.therapists[THERAPIST]
        await ruiz.send("/console")
        reply = await ruiz.next_reply()
        assert "/console/login/" in reply.text
        link = reply.text.split()[-1]
        async with await browser() as b, b.post(link) as answer:
            assert answer.status == 200
            assert "Caseload" in await answer.text()
        sam = await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
        stranger = harness.user(7777, "Eve")
        for person in (sam, stranger):
            await person.send("/console")
            for message in await person.replies_until_idle(0.4):
                assert "/console/" not in message.text
                assert not message.buttons()


async def test_console_command_offers_the_mini_app_button_at_an_https_address(tmp_path):
    config = Config(
        flows_dir=FLOWS,
        console=ConsoleConfig(enabled=True, port=0, public_url="https://console.example.org"),
    )
    async with BotHarness(tmp_path, config=config) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        ruiz = h.therapists[THERAPIST]
        await ruiz.send("/console")
        reply = await ruiz.next_reply()
        assert "https://console.example.org/console/login/" in reply.text
        button = reply.reply_markup["inline_keyboard"][0][0]
        assert button["web_app"] == {"url": "https://console.example.org/console/app"}


async def test_console_off_says_so(tmp_path):
    async with BotHarness(tmp_path, config=Config(flows_dir=FLOWS)) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        ruiz = h.therapists[THERAPIST]
        await ruiz.send("/console")
        assert "not switched on" in (await ruiz.next_reply()).text
        assert h.runtime.console is None
