"""The console's web server, started by `checkin run` next to the bot (when `console.enabled`)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.clock import Clock
from bot.config import Config
from bot.console import calendar_upload, pages, plan, profile, signin
from bot.console.web import CONSOLE_KEY, PREFIX, Console, guard, make_templates
from bot.scheduling.calendar_read import MAX_BYTES
from bot.scheduling.sessions import SessionService
from bot.storage import Database

STATIC = Path(__file__).parent / "static"


def build_app(
    config: Config, db: Database, sessions: SessionService, clock: Clock
) -> web.Application:
    # Room for a calendar upload (MAX_BYTES) and its form; every other form is far smaller.
    app = web.Application(middlewares=[guard], client_max_size=MAX_BYTES + 64 * 1024)
    app[CONSOLE_KEY] = Console(config, db, sessions, clock, make_templates())
    r = app.router
    r.add_get(f"{PREFIX}/", pages.caseload_page)
    r.add_get(PREFIX, _to_caseload)
    r.add_get(f"{PREFIX}/clients/{{client_id}}", pages.client_page)
    r.add_get(f"{PREFIX}/clients/{{client_id}}/sessions", plan.plan_page)
    r.add_post(f"{PREFIX}/clients/{{client_id}}/sessions", plan.add_session)
    r.add_post(
        f"{PREFIX}/clients/{{client_id}}/sessions/{{session_id}}/{{action:move|cancel}}",
        plan.change_session,
    )
    r.add_post(f"{PREFIX}/clients/{{client_id}}/timing", plan.client_timing)
    r.add_post(f"{PREFIX}/sessions/import", calendar_upload.upload)
    r.add_post(f"{PREFIX}/sessions/import/confirm", calendar_upload.confirm)
    r.add_get(f"{PREFIX}/sessions/import", _to_upload)
    r.add_get(f"{PREFIX}/alerts", pages.alerts_page)
    r.add_post(f"{PREFIX}/alerts/{{event_id}}/{{action:ack|contacted}}", pages.alert_action)
    r.add_route("*", f"{PREFIX}/timing", pages.timing_page)
    r.add_route("*", f"{PREFIX}/profile", profile.profile_page)
    r.add_get(f"{PREFIX}/login/{{token}}", signin.login_page)
    r.add_post(f"{PREFIX}/login/{{token}}", signin.login)
    r.add_get(f"{PREFIX}/app", signin.mini_app)
    r.add_post(f"{PREFIX}/auth/telegram", signin.telegram_auth)
    r.add_post(f"{PREFIX}/logout", signin.logout)
    r.add_static(f"{PREFIX}/static", STATIC, append_version=True)
    return app


async def _to_caseload(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(f"{PREFIX}/")


async def _to_upload(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(f"{PREFIX}/timing#import")


class ConsoleServer:
    def __init__(
        self, config: Config, db: Database, sessions: SessionService, clock: Clock
    ) -> None:
        self.config = config
        self.app = build_app(config, db, sessions, clock)
        self._runner: web.AppRunner | None = None
        self.port = config.console.port

    async def start(self) -> None:
        # No access log: a login link's path carries its token.
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.console.listen, self.config.console.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        if sockets:  # port 0 (tests, the demo): the one the system chose
            self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def url(self, path: str = "/") -> str:
        base = self.config.console.public_url
        if base:
            return base.rstrip("/") + PREFIX + path
        host = self.config.console.listen
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{PREFIX}{path}"
