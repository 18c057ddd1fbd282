"""Receiving updates: nothing is acknowledged to Telegram before it is stored in the inbox.

We drive `getUpdates` ourselves instead of PTB's Updater: PTB advances the offset (which tells
Telegram to forget the updates) as soon as it has fetched them, before any handler ran, so a
crash lost them. Here the offset moves past an update only in the call after `on_updates`
stored it. Likewise the webhook answers 200 only after storing; a failed store answers 500 and
Telegram sends the update again.

`on_updates` (given by the wiring) stores the raw updates and wakes the inbox worker.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

from bot.service.inbox import Received
from bot.transport.updates import to_incoming

log = logging.getLogger(__name__)
OnUpdates = Callable[[list[Received]], Awaitable[None]]
Healthy = Callable[[], Awaitable[bool]]
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


def received(bot: Bot, raw: list[dict[str, Any]]) -> list[Received]:
    """The updates the service handles, with their chats; others (groups, unknown kinds) are
    acknowledged without being stored: there is nothing to do for them."""
    out = []
    for data in raw:
        incoming = to_incoming(Update.de_json(data, bot))
        if incoming is not None:
            # The parsed update rides along: this process handles it without reading it back.
            out.append(Received(incoming.update_id, incoming.chat_id, data, incoming))
    return out


class Poller:
    """Long polling with the offset moved only past updates already stored."""

    def __init__(
        self,
        bot: Bot,
        on_updates: OnUpdates,
        *,
        timeout: int = 10,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self.on_updates = on_updates
        self.timeout = timeout
        self._sleep = sleep
        self.offset: int | None = None

    async def run(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        delay = 1.0
        while True:
            try:
                raw = await self._fetch()
            except InvalidToken:
                raise
            except (NetworkError, TimedOut, TelegramError) as exc:
                log.warning("getUpdates failed (%s); retrying in %.0fs", type(exc).__name__, delay)
                await self._sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            if not raw:
                continue
            try:
                await self.on_updates(received(self.bot, raw))
            except Exception as exc:  # the database is away: fetch the same updates again
                log.error("storing %d updates failed: %s", len(raw), type(exc).__name__)
                await self._sleep(1.0)
                continue
            self.offset = int(raw[-1]["update_id"]) + 1  # acknowledged by the next call

    async def _fetch(self) -> list[dict[str, Any]]:
        """getUpdates as Telegram's JSON. `Bot.get_updates` would build PTB objects that we
        would only turn back into JSON to store; `received` parses each update once instead
        (the JSON is what is stored, the parsed update what this process handles)."""
        data: dict[str, Any] = {"timeout": self.timeout, "allowed_updates": ALLOWED_UPDATES}
        if self.offset is not None:
            data["offset"] = self.offset
        # Long polling: the read may take `timeout` seconds before Telegram answers at all.
        result = await self.bot._post("getUpdates", data, read_timeout=self.timeout + 10.0)
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []


class WebhookServer:
    """Telegram's webhook (secret checked, stored, then 200) and /healthz (the database)."""

    def __init__(
        self,
        bot: Bot,
        on_updates: OnUpdates,
        healthy: Healthy,
        *,
        listen: str,
        port: int,
        path: str,
        secret: str,
    ) -> None:
        self.bot = bot
        self.on_updates = on_updates
        self.healthy = healthy
        self.listen = listen
        self.port = port
        self.path = "/" + path.lstrip("/")
        self.secret = secret.encode()
        self._runner: web.AppRunner | None = None
        self.stopping = False

    async def start(self) -> None:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.path, self._update)
        app.router.add_get("/healthz", self._health)
        # The access log would show nothing secret (the token is not in our paths), but stays
        # off like everywhere else: logs carry ids and types only.
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()

    async def stop(self) -> None:
        self.stopping = True
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, self.secret):
            return web.Response(status=403)
        if self.stopping:
            return web.Response(status=503)  # Telegram retries; another replica may take it
        try:
            data = await request.json()
        except ValueError:
            return web.Response(status=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400)
        try:
            updates = received(self.bot, [data])
        except Exception:
            return web.Response(status=400)  # not an update we can read
        try:
            await self.on_updates(updates)
        except Exception as exc:
            log.error("storing update %s failed: %s", data["update_id"], type(exc).__name__)
            return web.Response(status=500)  # not stored: Telegram sends it again
        return web.Response(status=200)

    async def _health(self, _request: web.Request) -> web.Response:
        try:
            ok = await asyncio.wait_for(self.healthy(), 2.0)
        except Exception:
            ok = False
        if ok and not self.stopping:
            return web.Response(text="ok\n")
        return web.Response(status=503, text="unavailable\n")
