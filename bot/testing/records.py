"""What the emulator remembers about each message the bot sent, so tests can read it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.testing.keyboard import inline_buttons


@dataclass(frozen=True)
class MessageVersion:
    """One earlier state of a bot message, kept when the bot edits it."""

    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    edit_date: int


@dataclass
class SentMessage:
    """A message the bot sent to a chat, as it stands now, with the history of its edits.

    `text` is what the user sees (entities parsed out); `raw_text` is what the bot sent. Photos and
    documents keep their caption in `text`.
    """

    chat_id: int
    message_id: int
    date: int
    text: str
    raw_text: str
    parse_mode: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    kind: str = "text"
    file_name: str | None = None
    content: bytes | None = None  # an uploaded document's bytes
    edits: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    edit_date: int | None = None
    seq: int = 0  # position among everything that happened in the emulator, for transcripts
    recorded_at: float = 0.0  # time.perf_counter() when the emulator accepted it (benchmarks)

    def buttons(self) -> list[str]:
        """The labels of the message's inline keyboard, row by row."""
        return [str(b["text"]) for b in inline_buttons(self.reply_markup)]

    def button(self, label: str) -> dict[str, Any] | None:
        return next((b for b in inline_buttons(self.reply_markup) if b["text"] == label), None)

    def remember_version(self, edit_date: int) -> None:
        """Store the current state before an edit replaces it."""
        self.edits.append(
            MessageVersion(self.raw_text, self.parse_mode, self.reply_markup, edit_date)
        )
        self.edit_date = edit_date

    def __str__(self) -> str:
        labels = self.buttons()
        suffix = f" [{' | '.join(labels)}]" if labels else ""
        return f"{self.text}{suffix}"
