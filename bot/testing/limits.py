"""Telegram's flood limits as token buckets: about 1 message/s per chat with short bursts, 30/s overall.

Time comes from a `monotonic` callable so tests can move it by hand instead of sleeping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How strictly the emulator throttles sends; `enforce=False` turns throttling off.

    Sends (sendMessage, sendPhoto, sendDocument) count against the buckets; edits, callback
    answers and chat actions do not. Over a limit the call gets 429 with a whole-second
    `retry_after`, and a refused call uses up no token.
    """

    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3
    global_per_second: float = 30.0
    global_burst: int = 30
    enforce: bool = True


class TokenBucket:
    """`capacity` tokens refilled at `rate` per second; a take either succeeds or says how long to wait."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self._tokens = capacity
        self._stamp = now

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._stamp)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._stamp = now

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0.0 when one is available now)."""
        self._refill(now)
        if self._tokens >= 1.0:
            return 0.0
        return (1.0 - self._tokens) / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self._tokens -= 1.0


class RateLimiter:
    """Per-chat and global buckets; `check` returns the whole seconds to wait, or 0 after taking."""

    def __init__(self, limits: Limits, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._monotonic = monotonic
        self._global = TokenBucket(limits.global_per_second, limits.global_burst, monotonic())
        self._chats: dict[int, TokenBucket] = {}

    def check(self, chat_id: int) -> int:
        """Take a token for a send to `chat_id`; return 0, or `retry_after` (an int >= 1) if over."""
        if not self.limits.enforce:
            return 0
        now = self._monotonic()
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = TokenBucket(self.limits.per_chat_per_second, self.limits.per_chat_burst, now)
            self._chats[chat_id] = chat
        wait = max(chat.wait_time(now), self._global.wait_time(now))
        if wait > 0:
            # Telegram always answers a whole number of seconds, at least one.
            return max(1, math.ceil(wait))
        chat.take(now)
        self._global.take(now)
        return 0
