"""The console's HTTP plumbing: templates, security headers, the signed-in therapist, CSRF.

Every response carries a strict Content-Security-Policy (our own scripts and styles only), is
never cached, and sends no Referer to other sites (a login link's token must not leak to another site).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape

from bot.clock import Clock
from bot.config import Config
from bot.console.tokens import SignedIn, csrf_ok, csrf_token, session_therapist
from bot.scheduling.sessions import SessionService
from bot.storage import Database

COOKIE = "checkin_console"
PREFIX = "/console"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; "
    "frame-ancestors 'self' https://web.telegram.org"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Console:
    """What every handler needs; stored on the application."""

    config: Config
    db: Database
    sessions: SessionService
    clock: Clock
    templates: Environment

    def now(self) -> datetime:
        return self.clock.now()


CONSOLE_KEY = web.AppKey("console", Console)
SIGNED_KEY = web.RequestKey("signed", SignedIn)


def make_templates() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def console_of(request: web.Request) -> Console:
    return request.app[CONSOLE_KEY]


def render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    console = console_of(request)
    signed = request.get(SIGNED_KEY)
    token = request.cookies.get(COOKIE, "")
    html = console.templates.get_template(name).render(
        therapist=signed.therapist if signed else None,
        csrf=csrf_token(token) if signed else "",
        prefix=PREFIX,
        path=request.path,
        **context,
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def is_local(host: str) -> bool:
    """Whether the browser talks to this machine (then a Secure cookie would be refused on http)."""
    name = urlsplit(f"//{host}").hostname or ""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def set_session_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        path=PREFIX,
        httponly=True,
        secure=not is_local(request.host),
        samesite="Strict",
    )


def clear_session_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE, path=PREFIX)


PUBLIC = (f"{PREFIX}/login/", f"{PREFIX}/app", f"{PREFIX}/auth/", f"{PREFIX}/static/", "/healthz")


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Headers on everything; a live session for every page but sign-in; CSRF on every POST."""
    try:
        response = await _guarded(request, handler)
    except web.HTTPException as exc:  # redirects and errors are raised, and get the headers too
        _secure_headers(request, exc)
        raise
    _secure_headers(request, response)
    return response


def _secure_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if not request.path.startswith(f"{PREFIX}/static/"):
        response.headers["Cache-Control"] = "no-store"


async def _guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method == "POST" and not _same_origin(request):
        raise web.HTTPForbidden(text="cross-site request refused")
    if request.path.startswith(PUBLIC):
        return await handler(request)
    console = console_of(request)
    token = request.cookies.get(COOKIE, "")
    async with console.db.session() as s:
        signed = await session_therapist(s, token, console.now(), console.config.console)
    if signed is None:
        if request.method == "GET":
            response = render(request, "signed_out.html", status=401)
            if token:
                clear_session_cookie(response)
            return response
        raise web.HTTPUnauthorized(text="not signed in")
    request[SIGNED_KEY] = signed
    if request.method == "POST":
        try:
            form = await request.post()
        except web.HTTPRequestEntityTooLarge:
            return render(
                request,
                "message.html",
                status=413,
                title="Too large",
                message="That was more than the console takes at once (1 MB). For a calendar, "
                "export a shorter period (for example the next three months).",
                back="/timing#import",
                back_text="Back",
            )
        given = form.get("csrf")
        if not isinstance(given, str) or not csrf_ok(token, given):
            raise web.HTTPForbidden(text="the form has expired; reload the page and try again")
    return await handler(request)


def _same_origin(request: web.Request) -> bool:
    """A browser names the page a form came from; another site's page is refused outright."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


def therapist_of(request: web.Request) -> SignedIn:
    return request[SIGNED_KEY]


def int_param(request: web.Request, name: str) -> int:
    raw = request.match_info.get(name, "")
    if not raw.isdigit() or len(raw) > 12:
        raise web.HTTPNotFound()
    return int(raw)


def safe_next(value: object, default: str) -> str:
    """A redirect target inside the console only (no open redirect to another site)."""
    if isinstance(value, str) and value.startswith(f"{PREFIX}/") and "//" not in value:
        return value
    return default
