"""A loopback Telegram Bot API server for tests, benchmarks and the demo.

    async with BotApiEmulator(token="123:ABC") as emu:
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url)
              .base_file_url(emu.base_file_url).build()
        alice = emu.user(1001, "Alice")
        await alice.send("/start")
        reply = await alice.next_reply()

It listens on 127.0.0.1 (an ephemeral port by default), answers with Telegram's shapes, enforces
Telegram's limits, and can inject failures: `fail_next`, `drop_connection_next`, `block`.
The access log is off: request paths carry the bot token, which must never reach a log.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.testing.errors import ApiError
from bot.testing.limits import Limits
from bot.testing.methods import METHODS, METHODS_BY_LOWER_NAME
from bot.testing.records import SentMessage
from bot.testing.state import CallbackQueryRecord, EmulatorState, FailedCall
from bot.testing.webhook import WebhookDelivery

if TYPE_CHECKING:
    from bot.testing.driver import SimulatedUser

_REASONS = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class _Fault:
    status: int
    retry_after: int | None
    description: str
    times: int


class BotApiEmulator:
    """The Bot API on loopback. Use as `async with`, or call `start()` and `stop()`."""

    def __init__(
        self,
        token: str = "123:ABC",
        bot_username: str = "checkin_demo_bot",
        limits: Limits | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_first_name: str = "Checkin",
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        webhook_retry_delay: float = 0.05,
        webhook_max_delay: float = 2.0,
    ) -> None:
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.token = token
        self.host = host
        self._port = port
        # Set by a harness that can tell when the bot has handled everything sent to it, so
        # `SimulatedUser.replies_until_idle` waits for the work, not only for silence.
        self.settle: Callable[[], Awaitable[None]] | None = None
        self.state = EmulatorState(
            token=token,
            bot_user=bot_user,
            limits=limits or Limits(),
            clock=clock or SystemClock(),
            monotonic=monotonic,
        )
        self._faults: dict[str, list[_Fault]] = defaultdict(list)
        self._drops: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None
        self._webhook = WebhookDelivery(self.state, webhook_retry_delay, webhook_max_delay)

    # ---- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._port)
        await site.start()
        # With port 0 the OS picks a free port; the runner knows which.
        self._port = int(self._runner.addresses[0][1])
        self._webhook.start()

    async def stop(self) -> None:
        await self._webhook.stop()
        await self.state.updates.end_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token and then `/method`."""
        return f"http://{self.host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self._port}/file/bot"

    @property
    def bot_username(self) -> str:
        return str(self.state.bot_user["username"])

    # ---- simulated users ---------------------------------------------------------------------
    def user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> SimulatedUser:
        """A Telegram user with a private chat with the bot (see `driver.SimulatedUser`)."""
        from bot.testing.driver import SimulatedUser

        return SimulatedUser(self, user_id, first_name, last_name, username, language_code)

    async def push_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update for the bot (by long polling or webhook); return its update_id."""
        return await self.state.updates.push(kind, payload)

    def latency(self, update_id: int, reply: SentMessage) -> float:
        """Seconds from queuing `update_id` to the emulator accepting `reply` (for benchmarks)."""
        return reply.recorded_at - self.state.updates.queued_at[update_id]

    async def redeliver(self, update_id: int) -> None:
        """Send an already delivered update again, as Telegram does after a webhook failure."""
        await self.state.updates.redeliver(update_id)

    async def wait_for_poller(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a getUpdates long poll is waiting at the emulator (the bot is listening)."""
        queue = self.state.updates
        async with queue.changed:
            await asyncio.wait_for(
                queue.changed.wait_for(lambda: queue.pollers_waiting > 0), timeout
            )

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - same API shape as the driver's waits
    ) -> None:
        """Wait until `predicate()` holds; re-checked after every API call, message and webhook try."""
        async with self.state.changed:
            await asyncio.wait_for(self.state.changed.wait_for(predicate), timeout)

    def register_callback_query(self, record: CallbackQueryRecord) -> None:
        self.state.callback_queries[record.query_id] = record

    # ---- fault injection ---------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with an error (429 carries `retry_after`)."""
        name = self._canonical(method)
        if status == 429:
            retry = max(1, retry_after or 1)
            text = description or f"Too Many Requests: retry after {retry}"
            self._faults[name].append(_Fault(status, retry, text, times))
        else:
            text = description or _REASONS.get(status, f"Error {status}")
            self._faults[name].append(_Fault(status, None, text, times))

    def clear_faults(self) -> None:
        """Forget every injected error and dropped connection: the API works again."""
        self._faults.clear()
        self._drops.clear()

    def drop_connection_next(self, method: str, times: int = 1) -> None:
        """Close the connection without answering the next `times` calls (a network error)."""
        self._drops[self._canonical(method)] += times

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sends to their chat now fail with 403."""
        self.state.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self.state.blocked.discard(user_id)

    # ---- records -----------------------------------------------------------------------------
    def sent_messages(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to `chat_id`, oldest first (deleted ones flagged)."""
        return list(self.state.messages.get(chat_id, []))

    @property
    def calls(self) -> Counter[str]:
        """How often each method was called (including refused calls)."""
        return self.state.calls

    @property
    def too_many_requests(self) -> int:
        """How many 429 answers the emulator gave, injected or from the rate limits."""
        return self.state.too_many_requests

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[Any]:
        key = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return list(self.state.commands.get((key, language_code), []))

    @property
    def webhook_attempts(self) -> int:
        return self._webhook.attempts

    @property
    def webhook_failures(self) -> int:
        """Webhook deliveries that got no 2xx answer (each is retried)."""
        return self._webhook.failures

    # ---- HTTP --------------------------------------------------------------------------------
    @staticmethod
    def _canonical(method: str) -> str:
        name = METHODS_BY_LOWER_NAME.get(method.lower())
        if name is None:
            raise ValueError(f"Unknown Bot API method {method!r}; known: {sorted(METHODS)}")
        return name

    def _reply(self, body: dict[str, Any], status: int = 200) -> web.Response:
        if status == 429:
            self.state.too_many_requests += 1
        return web.json_response(body, status=status)

    def _injected(self, name: str) -> ApiError | None:
        queue = self._faults.get(name)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return ApiError(fault.status, fault.description, fault.retry_after)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        try:
            return await self._answer(request)
        finally:
            await self.state.touch()  # lets `wait_until` re-check counters after every call

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._reply(ApiError(401, "Unauthorized").payload(), 401)
        name = METHODS_BY_LOWER_NAME.get(request.match_info["method"].lower())
        if name is None:
            return self._reply(ApiError(404, "Not Found").payload(), 404)
        self.state.calls[name] += 1
        if self._drops[name] > 0:
            self._drops[name] -= 1
            return await _drop(request)
        params: dict[str, Any] = {}
        try:
            injected = self._injected(name)
            if injected is not None:
                raise injected
            params = await _read_params(request)
            result = await METHODS[name](self.state, params)
        except ApiError as error:
            self.state.failures.append(_failure(name, params, error))
            return self._reply(error.payload(), error.status)
        return self._reply({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        return self._reply(ApiError(404, "Not Found").payload(), 404)


def _failure(method: str, params: dict[str, Any], error: ApiError) -> FailedCall:
    chat = params.get("chat_id")
    try:
        chat_id = int(chat) if chat is not None else None
    except (TypeError, ValueError):
        chat_id = None
    return FailedCall(method, chat_id, error.status, error.description)


async def _drop(request: web.Request) -> web.StreamResponse:
    """Abort the TCP connection so the client sees a network error instead of an answer."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise web.HTTPException()  # never reaches the client: the connection is gone


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a JSON, form-encoded or multipart body."""
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: the JSON body must be an object")
        params.update(body)
    else:
        form = await request.post()
        for key, value in form.items():
            params[key] = value
    return params
