"""A simulated Telegram user who types, taps buttons by their label and reads the bot's replies.

    alice = emu.user(1001, "Alice")
    await alice.send("/start")
    greeting = await alice.next_reply()
    await alice.tap("Yes")
    assert "Thanks" in (await alice.next_reply()).text

Waiting uses the emulator's Condition (woken on every bot message), never sleep-polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import TYPE_CHECKING, Any

from bot.testing.errors import ButtonNotFoundError, DriverError, ReplyTimeoutError
from bot.testing.html import utf16_len
from bot.testing.records import SentMessage
from bot.testing.state import CallbackQueryRecord

if TYPE_CHECKING:
    from bot.testing.emulator import BotApiEmulator

_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


def command_entities(text: str) -> list[dict[str, Any]]:
    """`bot_command` entities for every /command in `text`, as Telegram's clients add them."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
        }
        for m in _COMMAND.finditer(text)
    ]


class SimulatedUser:
    """One user in a private chat with the bot (chat id = user id)."""

    def __init__(
        self,
        emu: BotApiEmulator,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> None:
        self.emu = emu
        self.user_id = user_id
        self.first_name = first_name
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        self.chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                self.user[key] = value
                self.chat[key] = value
        if language_code is not None:
            self.user["language_code"] = language_code
        emu.state.chats[user_id] = self.chat
        self._read = len(emu.sent_messages(user_id))  # replies already handed out by next_reply
        self._actions: list[tuple[int, str]] = []

    def __repr__(self) -> str:
        return f"SimulatedUser({self.first_name!r}, id={self.user_id})"

    # ---- what the user does -------------------------------------------------------------------
    async def _send_message(self, fields: dict[str, Any], note: str) -> int:
        state = self.emu.state
        message = {
            "message_id": state.next_message_id(self.user_id),
            "from": self.user,
            "chat": self.chat,
            "date": state.now(),
            **fields,
        }
        self._actions.append((state.next_seq(), note))
        return await self.emu.push_update("message", message)

    async def send(self, text: str) -> int:
        """Type `text` (commands get `bot_command` entities); return the update_id."""
        fields: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            fields["entities"] = entities
        return await self._send_message(fields, f"you: {text}")

    def _file(self, kind: str) -> dict[str, str]:
        file_id = f"{kind}-{self.user_id}-{self.emu.state.next_seq()}"
        return {"file_id": file_id, "file_unique_id": file_id}

    async def send_sticker(self, emoji: str = "🙂") -> int:
        sticker = {
            **self._file("sticker"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self._send_message({"sticker": sticker}, f"you: [sticker {emoji}]")

    async def send_photo(self, caption: str | None = None) -> int:
        sizes = [{**self._file("photo"), "width": w, "height": w} for w in (90, 320)]
        fields: dict[str, Any] = {"photo": sizes}
        if caption:
            fields["caption"] = caption
        return await self._send_message(fields, "you: [photo]")

    async def send_voice(self, duration: int = 3) -> int:
        voice = {**self._file("voice"), "duration": duration, "mime_type": "audio/ogg"}
        return await self._send_message({"voice": voice}, "you: [voice]")

    async def send_document(self, file_name: str = "notes.pdf") -> int:
        document = {**self._file("document"), "file_name": file_name}
        return await self._send_message({"document": document}, f"you: [document {file_name}]")

    async def send_location(self, latitude: float = 52.52, longitude: float = 13.405) -> int:
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send_message({"location": location}, "you: [location]")

    async def tap(
        self, label: str, message: SentMessage | int | None = None
    ) -> CallbackQueryRecord:
        """Tap the button labelled `label` on the newest bot message showing it (or on `message`)."""
        target = self._message_with_button(label, message)
        button = target.button(label)
        assert button is not None  # _message_with_button found it
        if "callback_data" not in button:
            raise DriverError(f"The button {label!r} opens a link, it has no callback data to send")
        return await self._tap(target, str(button["callback_data"]), f"you tapped: {label}")

    async def tap_data(self, data: str, message_id: int) -> CallbackQueryRecord:
        """Send a tap with raw callback `data` on `message_id`, even if its keyboard is gone."""
        target = next((m for m in self.messages if m.message_id == message_id), None)
        if target is None:
            ids = [m.message_id for m in self.messages]
            raise DriverError(f"No bot message {message_id} in this chat; its messages are {ids}")
        return await self._tap(target, data, f"you tapped data: {data}")

    async def _tap(self, target: SentMessage, data: str, note: str) -> CallbackQueryRecord:
        state = self.emu.state
        record = CallbackQueryRecord(state.next_query_id(), self.user_id, target.message_id, data)
        self.emu.register_callback_query(record)
        query = {
            "id": record.query_id,
            "from": self.user,
            "message": state.message_dict(target),
            "chat_instance": str(self.user_id),
            "data": data,
        }
        self._actions.append((state.next_seq(), note))
        await self.emu.push_update("callback_query", query)
        return record

    def _message_with_button(self, label: str, message: SentMessage | int | None) -> SentMessage:
        candidates = [m for m in reversed(self.messages) if not m.deleted]
        if message is not None:
            wanted = message if isinstance(message, int) else message.message_id
            candidates = [m for m in candidates if m.message_id == wanted]
        for candidate in candidates:
            if candidate.button(label) is not None:
                return candidate
        seen = sorted({b for m in candidates for b in m.buttons()})
        where = f"message {message!r}" if message is not None else "any of the bot's messages"
        raise ButtonNotFoundError(
            f"No button {label!r} on {where} to {self.first_name}; buttons seen: {seen or 'none'}"
        )

    # ---- what the user reads -----------------------------------------------------------------
    @property
    def messages(self) -> list[SentMessage]:
        """Every message the bot sent to this user, oldest first."""
        return self.emu.sent_messages(self.user_id)

    @property
    def last_action_seq(self) -> int:
        """When this user last did something (sent, tapped), on the emulator's sequence: bot
        messages with a higher `seq` came after it. 0 before the first action."""
        return max((seq for seq, _ in self._actions), default=0)

    @property
    def last_reply(self) -> SentMessage | None:
        current = [m for m in self.messages if not m.deleted]
        return current[-1] if current else None

    def buttons(self) -> list[str]:
        """Labels of the newest bot message that has an inline keyboard (empty if none has)."""
        for message in reversed(self.messages):
            if not message.deleted and message.buttons():
                return message.buttons()
        return []

    # The timeout parameter is the driver's published API (tests read better with it).
    async def next_text(self, timeout: float | None = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The bot's next text message, passing over pictures (a summary's chart comes first)."""
        while True:
            message = await self.next_reply(timeout)
            if message.kind != "photo":
                return message

    async def next_reply(self, timeout: float | None = 5.0) -> SentMessage:  # noqa: ASYNC109
        """Wait for the bot's next message to this user and return it (`timeout=None`: no limit,
        for the demo's chat, where follow-ups arrive whenever they are due)."""
        changed = self.emu.state.chat_condition(self.user_id)

        def arrived() -> bool:
            return len(self.emu.state.messages.get(self.user_id, [])) > self._read

        async with changed:
            try:
                await asyncio.wait_for(changed.wait_for(arrived), timeout)
            except TimeoutError:
                last = self.last_reply
                raise ReplyTimeoutError(
                    f"No reply to {self.first_name} (id {self.user_id}) within {timeout} s; "
                    f"the bot's last message was: {str(last) if last else 'none'!r}"
                ) from None
        reply = self.emu.state.messages[self.user_id][self._read]
        self._read += 1
        return reply

    def read_all(self) -> list[SentMessage]:
        """The messages that arrived and were not read yet (now read), without waiting."""
        arrived = self.emu.state.messages.get(self.user_id, [])
        unread = list(arrived[self._read :])
        self._read = len(arrived)
        return unread

    async def replies_until_idle(self, idle: float = 0.3) -> list[SentMessage]:
        """Collect the bot's messages until it has been quiet for `idle` seconds.

        Under a harness, first wait until the bot has handled everything and drained its outbox
        (silence alone is not enough on a loaded machine, where a step can take longer than
        `idle`); if that does not happen in time, waiting for silence still applies."""
        if self.emu.settle is not None:
            with contextlib.suppress(TimeoutError):
                await self.emu.settle()
        replies = []
        while True:
            try:
                replies.append(await self.next_reply(timeout=idle))
            except ReplyTimeoutError:
                return replies

    async def answer_to(
        self,
        query: CallbackQueryRecord,
        timeout: float = 5.0,  # noqa: ASYNC109 - same API shape as next_reply
    ) -> str | None:
        """Wait until the bot answered a tap (the spinner stops); return the answer's text."""
        changed = self.emu.state.changed
        async with changed:
            try:
                await asyncio.wait_for(changed.wait_for(lambda: query.answered), timeout)
            except TimeoutError:
                raise ReplyTimeoutError(
                    f"The bot did not answer the tap {query.data!r} within {timeout} s"
                ) from None
        return query.answer_text

    @property
    def transcript(self) -> list[str]:
        """The conversation so far, one line per step: "you: ...", "bot: ...", "you tapped: ..."."""
        lines = list(self._actions)
        for message in self.messages:
            text = str(message) if message.kind == "text" else f"[{message.kind}] {message}"
            lines.append((message.seq, f"bot: {text}"))
        return [line for _, line in sorted(lines)]
