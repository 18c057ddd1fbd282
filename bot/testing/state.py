"""Everything the emulator knows: chats, the bot's messages, callback queries, commands, the webhook.

The HTTP layer (`emulator.py`) and the Bot API methods (`methods.py`) share this one object; the
simulated users read it and wait on `changed` for the bot's next message.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock, SystemClock
from bot.testing.errors import ApiError
from bot.testing.limits import Limits, RateLimiter
from bot.testing.records import SentMessage
from bot.testing.updates import UpdateQueue


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class CallbackQueryRecord:
    """A tap the emulator delivered, and the bot's answer once it came."""

    query_id: str
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
    answered_at: float | None = None


@dataclass(frozen=True)
class FailedCall:
    """A Bot API call the emulator refused, kept so nothing that failed goes unnoticed."""

    method: str
    chat_id: int | None
    status: int
    description: str


@dataclass
class EmulatorState:
    token: str
    bot_user: dict[str, Any]
    limits: Limits
    clock: Clock = field(default_factory=SystemClock)
    monotonic: Callable[[], float] = time.monotonic
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    messages: dict[int, list[SentMessage]] = field(default_factory=dict)
    callback_queries: dict[str, CallbackQueryRecord] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    webhook: WebhookConfig | None = None
    calls: Counter[str] = field(default_factory=Counter)
    chat_actions: Counter[str] = field(default_factory=Counter)
    too_many_requests: int = 0
    failures: list[FailedCall] = field(default_factory=list)
    updates: UpdateQueue = field(default_factory=UpdateQueue)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.limits, self.monotonic)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._query_ids = itertools.count(1)
        self._sequence = itertools.count(1)
        # One condition per chat: with 1,000 users waiting, a shared one would wake them all on
        # every message (quadratic work in the harness instead of the bot).
        self._chat_conditions: dict[int, asyncio.Condition] = {}

    def chat_condition(self, chat_id: int) -> asyncio.Condition:
        """Notified whenever the bot sends a new message to `chat_id`."""
        condition = self._chat_conditions.get(chat_id)
        if condition is None:
            condition = self._chat_conditions[chat_id] = asyncio.Condition()
        return condition

    def next_seq(self) -> int:
        """A number that orders bot messages and user actions for transcripts."""
        return next(self._sequence)

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    def next_message_id(self, chat_id: int) -> int:
        """User and bot messages of one private chat share one sequence, as in Telegram."""
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def next_query_id(self) -> str:
        return f"{self.bot_user['id']}{next(self._query_ids):08d}"

    def chat(self, chat_id: int) -> dict[str, Any]:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def writable_chat(self, chat_id: int) -> dict[str, Any]:
        """The chat, if the bot may write to it: known and not blocked."""
        chat = self.chat(chat_id)
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def throttle(self, chat_id: int) -> None:
        wait = self.limiter.check(chat_id)
        if wait:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    def find_message(self, chat_id: int, message_id: int, action: str) -> SentMessage:
        for message in self.messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        raise ApiError(400, f"Bad Request: message to {action} not found")

    async def record(self, message: SentMessage) -> None:
        message.seq = self.next_seq()
        message.recorded_at = time.perf_counter()
        self.messages.setdefault(message.chat_id, []).append(message)
        chat_condition = self.chat_condition(message.chat_id)
        async with chat_condition:
            chat_condition.notify_all()
        await self.touch()

    async def touch(self) -> None:
        """Wake everyone waiting on `changed` (an edit, a deletion, a callback answer)."""
        async with self.changed:
            self.changed.notify_all()

    def message_dict(self, message: SentMessage) -> dict[str, Any]:
        """The Bot API `Message` object for one of the bot's messages."""
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": self.chats[message.chat_id],
            "date": message.date,
        }
        entities_key = "entities"
        if message.kind == "text":
            result["text"] = message.text
        else:
            entities_key = "caption_entities"
            if message.text:
                result["caption"] = message.text
            file_id = f"{message.kind}-{message.chat_id}-{message.message_id}"
            if message.kind == "photo":
                result["photo"] = [
                    {"file_id": file_id, "file_unique_id": file_id, "width": 90, "height": 90}
                ]
            else:
                result["document"] = {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_name": message.file_name or "document",
                }
        if message.entities:
            result[entities_key] = message.entities
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            result["reply_markup"] = message.reply_markup
        return result
