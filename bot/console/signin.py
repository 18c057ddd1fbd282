"""Two ways in: a one-time login link (any browser) and Telegram's signed initData (Mini App).

The link's GET only shows a button: Telegram and mail clients fetch links for previews, and a
GET that used the link up would sign nobody in. The POST uses it up and starts the session.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.console.initdata import InitDataError, verify_init_data
from bot.console.tokens import end_session, login_link_therapist, redeem_login_link, start_session
from bot.console.web import (
    COOKIE,
    PREFIX,
    SIGNED_KEY,
    clear_session_cookie,
    console_of,
    render,
    set_session_cookie,
)
from bot.service.identity import therapist_by_telegram_id

log = logging.getLogger(__name__)


async def login_page(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    token = request.match_info["token"]
    async with console.db.session() as s:
        therapist = await login_link_therapist(s, token, console.now())
    if therapist is None:
        return render(request, "link_used.html", status=410)
    return render(request, "login.html", who=therapist.name)


async def login(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    token = request.match_info["token"]
    async with console.db.session() as s:
        therapist = await redeem_login_link(s, token, console.now())
        session = await start_session(s, therapist, console.now(), "link") if therapist else None
    if session is None:
        return render(request, "link_used.html", status=410)
    redirect = web.HTTPSeeOther(f"{PREFIX}/")
    set_session_cookie(request, redirect, session)
    raise redirect


async def mini_app(request: web.Request) -> web.StreamResponse:
    """The page Telegram opens: its script posts the signed initData, then goes to the caseload."""
    return render(request, "mini_app.html")


async def telegram_auth(request: web.Request) -> web.StreamResponse:
    """initData in, a session cookie out; forged, expired, or not a therapist: 401."""
    console = console_of(request)
    token = console.config.bot_token
    form = await request.post()
    raw = form.get("initData")
    if token is None or not isinstance(raw, str):
        raise web.HTTPUnauthorized(text="no initData")
    now = console.now()
    try:
        user = verify_init_data(
            raw, token.get_secret_value(), now, console.config.console.init_data_max_age
        )
    except InitDataError as exc:
        log.info("console: initData refused (%s)", exc)
        raise web.HTTPUnauthorized(text="initData refused") from None
    async with console.db.session() as s:
        therapist = await therapist_by_telegram_id(s, user.telegram_id)
        session = await start_session(s, therapist, now, "telegram") if therapist else None
    if session is None:
        raise web.HTTPUnauthorized(text="not a therapist")  # clients and strangers get nothing
    response = web.json_response({"next": f"{PREFIX}/"})
    set_session_cookie(request, response, session)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    async with console.db.session() as s:
        await end_session(s, request.cookies.get(COOKIE, ""), console.now())
    request.pop(SIGNED_KEY, None)
    response = render(request, "signed_out.html", logged_out=True)
    clear_session_cookie(response)
    return response
