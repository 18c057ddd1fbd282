"""What the service needs from a transport, and what a transport hands the service.

The service never imports `telegram`: it receives `Incoming` messages and talks back through a
`BotApi`, which only the outbox sender calls (after the step's transaction committed). The
Telegram transport implements both sides; tests use the same one over the emulator.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Literal, Protocol

from bot.dialogue.contracts import Keyboard

IncomingKind = Literal["text", "command", "tap", "unsupported", "edited"]

# True while a send is made for scheduled work (a check-in, a reminder, a digest) rather than in
# answer to something a person just did. When more is due than Telegram's ~30 messages a second
# allow, the transport lets answers go first: a person who acts is waiting for the reply, while
# a check-in a few seconds late is still on time. Set by the outbox sender around each call.
SCHEDULED_SEND: ContextVar[bool] = ContextVar("scheduled_send", default=False)

# What PostgreSQL cannot store in text or JSON: NUL, and lone UTF-16 surrogates (Telegram's JSON
# may carry "\ud83d" without its pair), which do not encode to UTF-8 at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(value: str) -> str:
    """`value` without the characters a database would refuse (a NUL in a first name must not make
    onboarding fail on PostgreSQL forever); everything else is kept as the person wrote it."""
    return _UNSTORABLE.sub("", value)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a person did in the chat."""

    update_id: int
    user_id: int
    chat_id: int
    kind: IncomingKind
    first_name: str = ""
    language_code: str | None = None
    text: str = ""  # the text, or a command's arguments
    command: str | None = None  # without the slash, lower case
    data: str | None = None  # callback data of a tap
    callback_id: str | None = None
    message_id: int | None = None  # the message a tapped button sits on
    unsupported: str | None = None  # sticker, photo, voice, document, location, ...
    location: tuple[float, float] | None = None  # (latitude, longitude) of a shared location

    def __post_init__(self) -> None:
        # The boundary where people's words enter the service: names, text, captions, commands
        # and callback data are all made storable here, whichever transport built this.
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                object.__setattr__(self, field.name, storable_text(value))


class RecipientBlockedError(Exception):
    """The person blocked the bot (Telegram 403): stop writing to them."""

    def __init__(self, chat_id: int) -> None:
        super().__init__(f"chat {chat_id} blocked the bot")
        self.chat_id = chat_id


class ChatNotFoundError(Exception):
    """Telegram does not know the chat (400 "chat not found"): the person never opened the bot."""

    def __init__(self, chat_id: int) -> None:
        super().__init__(f"chat {chat_id} not found (never started the bot)")
        self.chat_id = chat_id


class SendFailedError(Exception):
    """A call failed for now (network, 5xx, 429 past the short in-call retries): try again later.

    `retry_after` is Telegram's own wait, when it gave one.
    """

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class SendRejectedError(Exception):
    """Telegram refused the call as malformed (400): retrying the same call cannot help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BotApi(Protocol):
    """The Bot API calls the service makes. Implementations rate-limit and retry briefly, raise
    RecipientBlockedError on 403, SendFailedError when it may work later and SendRejectedError
    when it never will."""

    async def send(self, chat_id: int, text: str, buttons: Keyboard = ()) -> int:
        """Send HTML text (split when long); return the id of the message carrying the buttons."""
        ...

    async def set_buttons(self, chat_id: int, message_id: int, buttons: Keyboard) -> None:
        """Replace (or with () remove) the inline keyboard of a message; never fails loudly."""
        ...

    async def answer_tap(self, callback_id: str, text: str | None = None) -> None:
        """Acknowledge a button tap (stops the spinner), optionally with a short toast."""
        ...

    async def send_document(self, chat_id: int, filename: str, content: bytes, caption: str) -> int:
        """Send a file (the client's data export); return its message id."""
        ...

    async def send_photo(self, chat_id: int, filename: str, content: bytes, caption: str) -> int:
        """Send a picture (a PNG chart); return its message id."""
        ...
