"""Messages decided inside a database transaction and sent after it commits.

Sending can wait on Telegram's rate limits; holding a database transaction open meanwhile would
block every other chat on SQLite. So handlers collect `Outgoing` items and send them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.dialogue.contracts import Keyboard


@dataclass(frozen=True, slots=True)
class Send:
    chat_id: int
    text: str
    buttons: Keyboard = ()
    prompt: int | None = (
        None  # the engine prompt these buttons answer (recorded with the message id)
    )


@dataclass(frozen=True, slots=True)
class SetButtons:
    chat_id: int
    prompt: int | None = None  # the engine prompt whose message to change...
    message_id: int | None = None  # ...or a message by id
    buttons: Keyboard = ()


@dataclass(frozen=True, slots=True)
class SendFile:
    chat_id: int
    filename: str
    content: bytes
    caption: str


Outgoing = Send | SetButtons | SendFile


@dataclass
class Batch:
    """What one handled update wants sent, in order, and for which run's prompts."""

    items: list[Outgoing] = field(default_factory=list)
    run_id: int | None = None
    prompt_messages: dict[str, int] = field(default_factory=dict)  # prompt -> message id
    alerts_queued: bool = False  # an alert is due now: deliver it once this update is done

    def say(
        self, chat_id: int, text: str, buttons: Keyboard = (), prompt: int | None = None
    ) -> None:
        self.items.append(Send(chat_id, text, buttons, prompt))


MAX_TEXT = 4096


def merge_sends(items: list[Outgoing]) -> list[Outgoing]:
    """Join a message without buttons to the next one for the same chat: one bubble, not two.

    Fewer messages read better on a phone and halve the Bot API calls of a typical step.
    """
    merged: list[Outgoing] = []
    for item in items:
        last = merged[-1] if merged else None
        if (
            isinstance(item, Send)
            and isinstance(last, Send)
            and last.chat_id == item.chat_id
            and not last.buttons
            and last.prompt is None
            and len(last.text) + len(item.text) + 2 <= MAX_TEXT
        ):
            merged[-1] = Send(
                item.chat_id, f"{last.text}\n\n{item.text}", item.buttons, item.prompt
            )
        else:
            merged.append(item)
    return merged
