"""What a step decides to send, collected while its transaction runs.

Handlers collect `Outgoing` items in a `Batch`; at the end of the step they are written to the
outbox table in the step's own transaction (`bot.service.outbox`) and delivered after it commits,
so what was decided is never lost and no network call happens inside a transaction. Tap
acknowledgements (`answerCallbackQuery`) are not messages: they go out right after the commit
and are not stored (a lost one only leaves a spinner that Telegram stops by itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.dialogue.contracts import Keyboard

if TYPE_CHECKING:
    from bot.service.drawings import Drawing


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
    # Only tidies the chat: a tap on the old buttons is recognised as stale by itself (an
    # ended run's questions), so when the same step sends a message anyway, this call is skipped.
    tidy: bool = False


@dataclass(frozen=True, slots=True)
class SendFile:
    """A document: its bytes, or a `Drawing` (the PDF report) the sender makes after the commit."""

    chat_id: int
    filename: str
    content: bytes | Drawing
    caption: str


@dataclass(frozen=True, slots=True)
class SendPhoto:
    """A picture (the summary's chart, drawn by the sender after the commit) with an optional
    short caption."""

    chat_id: int
    filename: str
    content: bytes | Drawing
    caption: str = ""


Outgoing = Send | SetButtons | SendFile | SendPhoto


@dataclass
class Batch:
    """What one handled update wants sent, in order, and for which run's prompts."""

    items: list[Outgoing] = field(default_factory=list)
    run_id: int | None = None
    prompt_messages: dict[str, int] = field(default_factory=dict)  # prompt -> message id
    alerts_queued: bool = False  # an alert is due now: deliver it once this update is done
    tap_answers: list[tuple[str, str | None]] = field(default_factory=list)  # (query id, note)
    # Chats erased by this step: its rows for them are deleted once delivered, not kept as sent.
    forget_chats: set[int] = field(default_factory=set)

    def say(
        self, chat_id: int, text: str, buttons: Keyboard = (), prompt: int | None = None
    ) -> None:
        self.items.append(Send(chat_id, text, buttons, prompt))

    def answer_tap(self, callback_id: str | None, note: str | None = None) -> None:
        """Stop a tapped button's spinner after the commit (with a short note when given)."""
        if callback_id:
            self.tap_answers.append((callback_id, note))


MAX_TEXT = 4096


def _moot_close(item: Outgoing, later: list[Outgoing]) -> bool:
    """An engine 'close this prompt's keyboard' (or a tidy-only close of an ended run's
    question) followed by a new message to the same chat."""
    return (
        isinstance(item, SetButtons)
        and ((item.prompt is not None and item.message_id is None) or item.tidy)
        and not item.buttons
        and any(isinstance(o, Send) and o.chat_id == item.chat_id for o in later)
    )


def merge_sends(items: list[Outgoing]) -> list[Outgoing]:
    """Join a message without buttons to the next one for the same chat: one bubble, not two.

    Fewer messages read better on a phone and halve the Bot API calls of a typical step. And an
    answered question's keyboard is left alone when the same step sends the next message: a tap
    on it later is recognised as stale (its message is no longer the open prompt's) and answered
    with a short note, so removing it would cost a rate-limited call and buy nothing.
    """
    merged: list[Outgoing] = []
    for index, item in enumerate(items):
        if _moot_close(item, items[index + 1 :]):
            continue
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
        elif _offer_under_question(last, item):
            # A host offer ("Not a good moment? In 1 hour · Tomorrow") under the question it is
            # about: one message, its buttons as extra rows, still carrying the question's prompt.
            assert isinstance(last, Send)
            assert isinstance(item, Send)
            merged[-1] = Send(
                item.chat_id,
                f"{last.text}\n\n{item.text}",
                last.buttons + item.buttons,
                last.prompt,
            )
        else:
            merged.append(item)
    return merged


def _offer_under_question(last: Outgoing | None, item: Outgoing) -> bool:
    return (
        isinstance(item, Send)
        and isinstance(last, Send)
        and last.chat_id == item.chat_id
        and last.prompt is not None
        and item.prompt is None
        and bool(item.buttons)
        and len(last.text) + len(item.text) + 2 <= MAX_TEXT
    )
