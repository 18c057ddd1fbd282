"""The simulated user: what it sends to the bot, how it taps, and how it reads replies."""

from __future__ import annotations

import pytest
from ptb_helpers import RawApi

from bot.testing import BotApiEmulator, ButtonNotFoundError, DriverError, ReplyTimeoutError
from bot.testing.driver import command_entities

YES_NO = {
    "inline_keyboard": [
        [{"text": "Yes", "callback_data": "y"}, {"text": "No", "callback_data": "n"}]
    ]
}


async def bot_says(api: RawApi, chat_id: int, text: str, markup: object = None) -> int:
    """The bot's side of the chat, sent as plain HTTP; returns the message id."""
    extra = {"reply_markup": markup} if markup else {}
    result = await api.ok("sendMessage", chat_id=chat_id, text=text, **extra)
    return int(result["message_id"])


class TestWhatTheUserSends:
    @pytest.mark.parametrize(
        ("text", "entities"),
        [
            ("/start", [{"type": "bot_command", "offset": 0, "length": 6}]),
            ("/start abc123", [{"type": "bot_command", "offset": 0, "length": 6}]),
            ("/start@checkin_demo_bot", [{"type": "bot_command", "offset": 0, "length": 23}]),
            ("🙂 /help", [{"type": "bot_command", "offset": 3, "length": 5}]),
            ("and/or", []),
            ("just text", []),
        ],
    )
    def test_commands_become_bot_command_entities(
        self, text: str, entities: list[dict[str, object]]
    ) -> None:
        """Like Telegram's clients, /commands get entities with UTF-16 offsets."""
        assert command_entities(text) == entities

    async def test_a_message_update_looks_like_telegrams(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """send() queues a message update with sender, private chat, date, text and entities."""
        sam = emu.user(5, "Sam", last_name="Lee", username="sam_l", language_code="de")
        update_id = await sam.send("/start code")
        (update,) = await api.ok("getUpdates")
        assert update["update_id"] == update_id
        message = update["message"]
        assert message["from"] == {
            "id": 5,
            "is_bot": False,
            "first_name": "Sam",
            "last_name": "Lee",
            "username": "sam_l",
            "language_code": "de",
        }
        assert message["chat"]["type"] == "private"
        assert message["entities"][0]["type"] == "bot_command"

    async def test_update_ids_increase_across_users(self, emu: BotApiEmulator) -> None:
        """Every update gets a larger id than the one before, whoever sent it."""
        ids = [await emu.user(uid, "U").send("hi") for uid in (1, 2, 1)]
        assert ids == sorted(ids)
        assert len(set(ids)) == 3

    async def test_media_messages_carry_their_kind(self, api: RawApi, emu: BotApiEmulator) -> None:
        """Stickers, photos, voice notes, documents and locations arrive as those kinds."""
        ann = emu.user(1, "Ann")
        await ann.send_sticker()
        await ann.send_photo(caption="me")
        await ann.send_voice()
        await ann.send_document("notes.pdf")
        await ann.send_location(1.5, 2.5)
        updates = await api.ok("getUpdates")
        kinds = [
            next(
                k
                for k in ("sticker", "photo", "voice", "document", "location")
                if k in u["message"]
            )
            for u in updates
        ]
        assert kinds == ["sticker", "photo", "voice", "document", "location"]
        assert updates[4]["message"]["location"] == {"latitude": 1.5, "longitude": 2.5}


class TestTapping:
    async def test_tap_presses_the_newest_message_with_that_label(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """With two keyboards showing 'Yes', the tap goes to the newer message."""
        ann = emu.user(1, "Ann")
        await bot_says(api, 1, "First?", YES_NO)
        newer = await bot_says(api, 1, "Second?", YES_NO)
        tap = await ann.tap("Yes")
        assert (tap.message_id, tap.data) == (newer, "y")
        (update,) = await api.ok("getUpdates")
        query = update["callback_query"]
        assert query["data"] == "y"
        assert query["message"]["message_id"] == newer
        assert query["from"]["id"] == 1

    async def test_tap_on_a_chosen_message(self, api: RawApi, emu: BotApiEmulator) -> None:
        """tap(label, message=...) presses that message's button even if a newer one has it."""
        ann = emu.user(1, "Ann")
        older = await bot_says(api, 1, "First?", YES_NO)
        await bot_says(api, 1, "Second?", YES_NO)
        assert (await ann.tap("No", message=older)).message_id == older

    async def test_a_missing_label_lists_the_buttons_seen(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """Tapping a label nobody shows fails with the labels that are there."""
        ann = emu.user(1, "Ann")
        await bot_says(api, 1, "Ok?", YES_NO)
        with pytest.raises(ButtonNotFoundError, match=r"'Maybe'.*\['No', 'Yes'\]"):
            await ann.tap("Maybe")

    async def test_a_link_button_cannot_be_tapped_for_data(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """URL buttons send nothing to the bot; the driver says so."""
        ann = emu.user(1, "Ann")
        link = {"inline_keyboard": [[{"text": "Help", "url": "https://example.org"}]]}
        await bot_says(api, 1, "See", link)
        with pytest.raises(DriverError, match="opens a link"):
            await ann.tap("Help")

    async def test_a_stale_tap_sends_data_for_a_message_without_keyboard(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """tap_data delivers a tap on an old message even after its keyboard was removed."""
        ann = emu.user(1, "Ann")
        mid = await bot_says(api, 1, "Ok?", YES_NO)
        await api.ok("editMessageReplyMarkup", chat_id=1, message_id=mid)
        tap = await ann.tap_data("y", mid)
        (update,) = await api.ok("getUpdates")
        assert update["callback_query"]["id"] == tap.query_id
        assert "reply_markup" not in update["callback_query"]["message"]
        with pytest.raises(DriverError, match="No bot message 99"):
            await ann.tap_data("y", 99)


class TestReading:
    async def test_next_reply_returns_each_message_once_in_order(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """Replies are handed out one by one, oldest first."""
        ann = emu.user(1, "Ann")
        await bot_says(api, 1, "one")
        await bot_says(api, 1, "two")
        assert [(await ann.next_reply()).text for _ in range(2)] == ["one", "two"]

    async def test_next_reply_times_out_with_the_last_message_quoted(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """No new message in time raises ReplyTimeoutError naming the bot's last message."""
        ann = emu.user(1, "Ann")
        await bot_says(api, 1, "only this")
        await ann.next_reply()
        with pytest.raises(ReplyTimeoutError, match="only this"):
            await ann.next_reply(timeout=0.05)

    async def test_replies_until_idle_collects_a_burst(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """All messages already sent (and none after) are returned together."""
        ann = emu.user(1, "Ann")
        for text in ("a", "b", "c"):
            await bot_says(api, 1, text)
        assert [m.text for m in await ann.replies_until_idle(idle=0.05)] == ["a", "b", "c"]

    async def test_messages_to_other_users_are_not_mixed_in(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """Each user reads only their own chat."""
        ann, bo = emu.user(1, "Ann"), emu.user(2, "Bo")
        await bot_says(api, 2, "for Bo")
        await bot_says(api, 1, "for Ann")
        assert (await ann.next_reply()).text == "for Ann"
        assert (await bo.next_reply()).text == "for Bo"

    async def test_last_reply_buttons_and_transcript(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """last_reply, buttons() and the transcript show the chat as the user sees it."""
        ann = emu.user(1, "Ann")
        assert ann.last_reply is None
        assert ann.buttons() == []
        await ann.send("/start")
        await bot_says(api, 1, "Ok?", YES_NO)
        await bot_says(api, 1, "(no buttons here)")
        await ann.tap("No")
        assert ann.last_reply is not None
        assert ann.last_reply.text == "(no buttons here)"
        assert ann.buttons() == ["Yes", "No"]
        assert ann.transcript == [
            "you: /start",
            "bot: Ok? [Yes | No]",
            "bot: (no buttons here)",
            "you tapped: No",
        ]
