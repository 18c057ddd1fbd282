"""How every message reaches the Bot API: rate limits, retries, blocked users, long texts.

- Token buckets: about 30 sends/s overall and about 1/s per chat with a small burst. A send first
  waits for its chat's token, then for a global one, so one busy chat never holds up the others
  (per-chat fairness). Defaults sit a little under Telegram's limits so network jitter does not
  trip them. The global bucket has two classes: answers to what a person just did take the next
  free token at once (first come, first served among them); sends for scheduled work
  (`SCHEDULED_SEND`: check-ins, digests) take only tokens no answer has claimed, so a burst of
  due check-ins never makes a person wait for their own reply.
- 429 `RetryAfter`: wait what Telegram says plus a random spread, then try again. Network errors, timeouts and 5xx:
  exponential backoff with jitter, a bounded number of attempts, then `DeliveryFailed`.
- 403 `Forbidden` (the user blocked the bot): `RecipientBlocked` at once, no retry, so the caller
  marks the client unreachable. `BadRequest` is our mistake and is raised as it is, unretried.
- Texts over 4096 characters are split on paragraph, then line, then word boundaries without
  cutting an HTML tag or entity; open tags are closed and re-opened; buttons go on the last part.

Sleeping and the monotonic clock are injectable, so unit tests never really wait.
Never log message text or the token: logs carry the chat id, the method and the error type only.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot, InputFile, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.errors import CheckinError
from bot.service.ports import SCHEDULED_SEND

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_TEXT = 4096
MAX_IDLE_BUCKETS = 10_000  # per-chat buckets kept before idle ones are dropped
Sleep = Callable[[float], Awaitable[None]]
# After a 429, each waiting send adds up to a quarter of retry_after (at least 1 s) at random.
RETRY_AFTER_SPREAD = 0.25
RETRY_AFTER_SPREAD_MIN = 1.0


class DeliveryFailed(CheckinError):
    """A Bot API call still failed after the allowed retries (or cannot be retried)."""

    def __init__(
        self,
        method: str,
        chat_id: int | str | None,
        reason: str,
        retry_after: float | None = None,
    ) -> None:
        self.method = method
        self.chat_id = chat_id
        self.reason = reason
        self.retry_after = retry_after  # Telegram's last 'retry after', when that was the error
        super().__init__(f"{method} to chat {chat_id} failed: {reason}")


class RecipientBlocked(DeliveryFailed):
    """The user blocked the bot (403): stop pinging them and mark the client unreachable."""

    def __init__(self, chat_id: int | str) -> None:
        super().__init__("send", chat_id, "the user blocked the bot or deleted the chat")


@dataclass(frozen=True)
class DeliveryLimits:
    """Send rates; `enabled=False` turns throttling off (retries still apply)."""

    global_per_second: float = 29.0
    global_burst: int = 20
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 2
    max_attempts: int = 5
    backoff_base: float = 0.5  # seconds; doubles per attempt
    backoff_max: float = 30.0
    enabled: bool = True


class AsyncTokenBucket:
    """A token bucket that hands out reservations in call order: `await take()` waits its turn.

    Tokens may go negative: each caller reserves the next slot at once and sleeps until it comes,
    so waiting is first come, first served and needs no lock or polling.
    """

    def __init__(
        self, rate: float, burst: int, sleep: Sleep, monotonic: Callable[[], float]
    ) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._tokens = float(burst)
        self._sleep = sleep
        self._monotonic = monotonic
        self._stamp = monotonic()

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def reserve(self) -> float:
        """Take one token now; return how long to wait until it is really ours."""
        self._refill()
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def idle(self) -> bool:
        """Whether the bucket has refilled completely (it can be dropped and made afresh)."""
        return self._tokens + (self._monotonic() - self._stamp) * self.rate >= self.burst

    async def take(self) -> None:
        wait = self.reserve()
        if wait > 0:
            await self._sleep(wait)


class PriorityTokenBucket(AsyncTokenBucket):
    """A token bucket where urgent callers go first.

    Urgent callers reserve the next slot at once, as in `AsyncTokenBucket`. The others queue
    (first come, first served) and the head of their queue takes a token only when one is free
    with no urgent reservation on it; if urgent callers claimed it meanwhile, it waits again. So
    the overall rate holds, urgent callers wait at most for the urgent ones before them, and
    the rest get what is left.
    """

    def __init__(
        self, rate: float, burst: int, sleep: Sleep, monotonic: Callable[[], float]
    ) -> None:
        super().__init__(rate, burst, sleep, monotonic)
        self._queue = asyncio.Lock()  # FIFO: the non-urgent callers' turns

    def _free_in(self) -> float:
        """Seconds until a whole token is free (0 when one is free now)."""
        self._refill()
        # Within rounding of a whole token counts as one: a wait shorter than the clock's
        # resolution would never refill the rest.
        return 0.0 if self._tokens >= 1.0 - 1e-9 else (1.0 - self._tokens) / self.rate

    async def take_when_free(self) -> None:
        async with self._queue:
            while (wait := self._free_in()) > 0:
                await self._sleep(wait)
            self._tokens -= 1.0


class Delivery:
    """Sends through a `telegram.Bot` within Telegram's limits, with retries."""

    def __init__(
        self,
        bot: Bot,
        limits: DeliveryLimits | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.bot = bot
        self.limits = limits or DeliveryLimits()
        self._sleep = sleep
        self._monotonic = monotonic
        self._jitter = jitter
        self._global = PriorityTokenBucket(
            self.limits.global_per_second, self.limits.global_burst, sleep, monotonic
        )
        self._chats: dict[int | str, AsyncTokenBucket] = {}
        self.retry_after_seen = 0  # 429s received (for benches and health)
        self.network_retries = 0

    # ---- the Bot API methods we use ------------------------------------------------------------
    async def send_message(
        self,
        chat_id: int | str,
        text: str,
        reply_markup: Any = None,
        parse_mode: str | None = "HTML",
        **kwargs: Any,
    ) -> Message:
        """Send `text` (split when longer than 4096); return the last part, which has the buttons."""
        parts = split_html(text) if parse_mode == "HTML" else split_plain(text)
        message: Message | None = None
        for i, part in enumerate(parts):
            markup = reply_markup if i == len(parts) - 1 else None
            message = await self._call(
                "sendMessage",
                chat_id,
                _bind(
                    self.bot.send_message,
                    chat_id,
                    part,
                    parse_mode=parse_mode,
                    reply_markup=markup,
                    **kwargs,
                ),
            )
        assert message is not None
        return message

    async def edit_message_text(
        self,
        chat_id: int | str,
        message_id: int,
        text: str,
        reply_markup: Any = None,
        parse_mode: str | None = "HTML",
    ) -> Message | bool:
        if len(text) > MAX_TEXT:
            raise DeliveryFailed(
                "editMessageText", chat_id, f"text of {len(text)} characters is over {MAX_TEXT}"
            )
        return await self._call(
            "editMessageText",
            chat_id,
            lambda: self.bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=reply_markup,
                parse_mode=parse_mode,
            ),
        )

    async def edit_reply_markup(
        self, chat_id: int | str, message_id: int, reply_markup: Any = None
    ) -> Message | bool:
        return await self._call(
            "editMessageReplyMarkup",
            chat_id,
            lambda: self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=reply_markup
            ),
        )

    async def answer_callback_query(
        self, callback_query_id: str, text: str | None = None, show_alert: bool = False
    ) -> bool:
        """Not a message: no rate limit, but the same retries."""
        return await self._call(
            "answerCallbackQuery",
            None,
            lambda: self.bot.answer_callback_query(
                callback_query_id, text=text, show_alert=show_alert
            ),
        )

    async def send_photo(
        self, chat_id: int | str, photo: InputFile, caption: str | None = None, **kwargs: Any
    ) -> Message:
        return await self._call(
            "sendPhoto",
            chat_id,
            lambda: self.bot.send_photo(chat_id, photo, caption=caption, **kwargs),
        )

    async def send_document(
        self, chat_id: int | str, document: InputFile, caption: str | None = None, **kwargs: Any
    ) -> Message:
        return await self._call(
            "sendDocument",
            chat_id,
            lambda: self.bot.send_document(chat_id, document, caption=caption, **kwargs),
        )

    # ---- limits and retries --------------------------------------------------------------------
    async def _throttle(self, chat_id: int | str | None) -> None:
        if not self.limits.enabled or chat_id is None:
            return
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) >= MAX_IDLE_BUCKETS:  # forget chats that are quiet again
                self._chats = {k: b for k, b in self._chats.items() if not b.idle()}
            bucket = AsyncTokenBucket(
                self.limits.per_chat_per_second,
                self.limits.per_chat_burst,
                self._sleep,
                self._monotonic,
            )
            self._chats[chat_id] = bucket
        await bucket.take()
        if SCHEDULED_SEND.get():
            await self._global.take_when_free()
        else:
            await self._global.take()

    async def _call(
        self, method: str, chat_id: int | str | None, call: Callable[[], Awaitable[T]]
    ) -> T:
        attempt = 0
        while True:
            attempt += 1
            await self._throttle(chat_id)
            try:
                return await call()
            except RetryAfter as exc:
                self.retry_after_seen += 1
                told = _retry_after_seconds(exc)
                wait = self._after_429(told)
                log.info("%s to chat %s: 429, waiting %.1fs", method, chat_id, wait)
                if attempt >= self.limits.max_attempts * 4:  # floods end; but never loop forever
                    raise DeliveryFailed(method, chat_id, "still rate limited", told) from exc
                await self._sleep(wait)
            except Forbidden as exc:
                if chat_id is None:
                    raise DeliveryFailed(method, chat_id, "forbidden") from exc
                log.info("%s to chat %s: blocked by the user", method, chat_id)
                raise RecipientBlocked(chat_id) from exc
            except BadRequest:
                raise  # our request is wrong: retrying cannot help; the caller decides
            except NetworkError as exc:  # includes TimedOut and 5xx answers
                self.network_retries += 1
                if attempt >= self.limits.max_attempts:
                    raise DeliveryFailed(
                        method, chat_id, f"{type(exc).__name__} after {attempt} attempts"
                    ) from exc
                await self._sleep(self._backoff(attempt))
                log.info("%s to chat %s: %s, retrying", method, chat_id, type(exc).__name__)

    def _after_429(self, retry_after: float) -> float:
        """Telegram's wait plus a random spread: the sends a flood stopped must not all come back
        at the same instant and hit the limit again together (never less than Telegram asked)."""
        spread = max(RETRY_AFTER_SPREAD_MIN, retry_after * RETRY_AFTER_SPREAD)
        return retry_after + spread * self._jitter()

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff, jittered between half and all of the step."""
        step: float = min(self.limits.backoff_max, self.limits.backoff_base * 2.0 ** (attempt - 1))
        return step * (0.5 + self._jitter() / 2)


def _bind(
    method: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> Callable[[], Awaitable[T]]:
    """A call to `method` with its arguments fixed (each retry makes a fresh coroutine)."""
    return lambda: method(*args, **kwargs)


def _retry_after_seconds(exc: RetryAfter) -> float:
    # PTB 22 warns on reading retry_after unless PTB_TIMEDELTA is set; either type is accepted.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: Any = exc.retry_after
    seconds: float = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(0.0, seconds)


# ---- splitting long texts ----------------------------------------------------------------------
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def split_plain(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split plain text on paragraph, line or word boundaries into parts of at most `limit`."""
    parts = []
    while len(text) > limit:
        cut, skip = _cut_point(text, limit, protected=[])
        parts.append(text[:cut])
        text = text[cut + skip :]
    return [*parts, text]


def split_html(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split Telegram HTML into parts of at most `limit`, each with balanced tags.

    Length is counted on the raw HTML, which is never shorter than what Telegram counts.
    """
    parts: list[str] = []
    while len(text) > limit:
        budget = limit
        while True:
            protected = [(m.start(), m.end()) for m in _TAG.finditer(text)]
            protected += [(m.start(), m.end()) for m in re.finditer(r"&#?\w+;", text)]
            cut, skip = _cut_point(text, budget, protected)
            opened = _open_tags(text[:cut])
            closers = "".join(f"</{name}>" for name, _ in reversed(opened))
            if cut + len(closers) <= limit or budget < limit // 2:
                break
            budget = limit - len(closers)
        parts.append(text[:cut] + closers)
        text = "".join(tag for _, tag in opened) + text[cut + skip :]
    return [*parts, text]


def _cut_point(text: str, limit: int, protected: list[tuple[int, int]]) -> tuple[int, int]:
    """Where to cut (at most `limit`) and how many separator characters to drop there."""

    def inside(pos: int) -> bool:
        return any(start < pos < end for start, end in protected)

    floor = limit // 4  # do not make tiny parts just to find a nice boundary
    for sep in ("\n\n", "\n", " "):
        pos = text.rfind(sep, floor, limit)
        while pos > floor and inside(pos):
            pos = text.rfind(sep, floor, pos)
        if pos > floor:
            return pos, len(sep)
    pos = limit
    while pos > 1 and inside(pos):
        pos -= 1
    return pos, 0


def _open_tags(html: str) -> list[tuple[str, str]]:
    """Tags opened and not yet closed in `html`, outermost first, as (name, opening tag text)."""
    stack: list[tuple[str, str]] = []
    for m in _TAG.finditer(html):
        closing, name = m.group(1) == "/", m.group(2).lower()
        if not closing:
            stack.append((name, m.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()
    return stack
