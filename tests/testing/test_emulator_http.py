"""The emulator's HTTP answers: Telegram's shapes, limits and errors, called without PTB."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from ptb_helpers import RawApi

from bot.testing import BotApiEmulator, Limits

KEYBOARD = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}


@pytest.fixture
def alice(emu: BotApiEmulator) -> int:
    emu.user(1001, "Alice")
    return 1001


class TestRouting:
    async def test_a_wrong_token_is_unauthorized(self, api: RawApi) -> None:
        """Any call with another token gets 401 Unauthorized."""
        status, body = await api.call("getMe", token="999:WRONG")
        assert (status, body) == (
            401,
            {"ok": False, "error_code": 401, "description": "Unauthorized"},
        )

    async def test_an_unknown_method_is_not_found(self, api: RawApi) -> None:
        """Methods the emulator does not know answer 404 Not Found."""
        assert await api.error("sendPigeon") == (404, "Not Found")

    async def test_method_names_ignore_case(self, api: RawApi) -> None:
        """Telegram accepts getme as well as getMe."""
        me = await api.ok("getme")
        assert me["username"] == "checkin_demo_bot"
        assert me["is_bot"] is True

    async def test_calls_are_counted_per_method(self, api: RawApi, emu: BotApiEmulator) -> None:
        """Every call, refused or not, is counted under its canonical name."""
        await api.ok("getMe")
        await api.error("sendMessage", chat_id=5, text="x")
        assert emu.calls["getMe"] == 1
        assert emu.calls["sendMessage"] == 1


class TestBodies:
    async def test_form_fields_hold_json_for_objects(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """Form-encoded calls (as PTB sends them) carry numbers as text and markup as JSON."""
        form = {"chat_id": str(alice), "text": "hi", "reply_markup": json.dumps(KEYBOARD)}
        status, body = await api.call("sendMessage", form=form)
        assert status == 200
        assert body["result"]["reply_markup"] == KEYBOARD
        assert emu.sent_messages(alice)[0].buttons() == ["Yes"]

    async def test_multipart_uploads_are_accepted(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """sendDocument with an uploaded file records the file name and caption."""
        form = aiohttp.FormData()
        form.add_field("chat_id", str(alice))
        form.add_field("caption", "your log")
        form.add_field("document", b"date,mood\n", filename="log.csv")
        url = f"{emu.base_url}{emu.token}/sendDocument"
        async with api.session.post(url, data=form) as response:
            body = await response.json()
        assert body["result"]["document"]["file_name"] == "log.csv"
        sent = emu.sent_messages(alice)[0]
        assert (sent.kind, sent.text, sent.file_name) == ("document", "your log", "log.csv")


class TestSendMessage:
    async def test_a_send_answers_with_a_telegram_message(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """The result is a Message with id, sender, chat, date and text, and it is recorded."""
        result = await api.ok("sendMessage", chat_id=alice, text="Hello")
        assert result["from"]["username"] == "checkin_demo_bot"
        assert result["chat"] == {"id": alice, "type": "private", "first_name": "Alice"}
        assert result["text"] == "Hello"
        assert isinstance(result["date"], int)
        assert [m.text for m in emu.sent_messages(alice)] == ["Hello"]
        assert emu.sent_messages(alice)[0].message_id == result["message_id"]

    async def test_an_unknown_chat_is_refused(self, api: RawApi) -> None:
        """Sending to a chat no user opened is 400 chat not found."""
        assert await api.error("sendMessage", chat_id=42, text="x") == (
            400,
            "Bad Request: chat not found",
        )

    async def test_4096_characters_pass_and_4097_are_too_long(
        self, api: RawApi, alice: int
    ) -> None:
        """The limit is 4096 characters of text."""
        await api.ok("sendMessage", chat_id=alice, text="x" * 4096)
        assert await api.error("sendMessage", chat_id=alice, text="x" * 4097) == (
            400,
            "Bad Request: message is too long",
        )

    async def test_length_is_counted_after_html_parsing(self, api: RawApi, alice: int) -> None:
        """Tags do not count toward the 4096: they are gone after parsing."""
        text = "<b>" + "x" * 4096 + "</b>"
        result = await api.ok("sendMessage", chat_id=alice, text=text, parse_mode="HTML")
        assert result["entities"] == [{"type": "bold", "offset": 0, "length": 4096}]

    async def test_an_empty_text_is_refused(self, api: RawApi, alice: int) -> None:
        """A text that is empty (or only whitespace) is 400."""
        assert await api.error("sendMessage", chat_id=alice, text="  ") == (
            400,
            "Bad Request: message text is empty",
        )

    async def test_unescaped_user_text_in_html_is_refused(self, api: RawApi, alice: int) -> None:
        """A name like <Sam & Co> sent unescaped with parse_mode=HTML is a parse error."""
        status, description = await api.error(
            "sendMessage", chat_id=alice, text="Hi <Sam & Co>", parse_mode="HTML"
        )
        assert status == 400
        assert description.startswith("Bad Request: can't parse entities: ")

    @pytest.mark.parametrize("data", ["", "x" * 65, "é" * 33])
    async def test_callback_data_must_be_1_to_64_bytes(
        self, api: RawApi, alice: int, data: str
    ) -> None:
        """Empty data, 65 ASCII bytes, or 33 two-byte letters (66 bytes) are refused."""
        markup = {"inline_keyboard": [[{"text": "Go", "callback_data": data}]]}
        assert await api.error("sendMessage", chat_id=alice, text="x", reply_markup=markup) == (
            400,
            "Bad Request: BUTTON_DATA_INVALID",
        )

    async def test_64_bytes_of_callback_data_are_fine(self, api: RawApi, alice: int) -> None:
        """32 two-byte letters are exactly 64 bytes, which Telegram accepts."""
        markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "é" * 32}]]}
        await api.ok("sendMessage", chat_id=alice, text="x", reply_markup=markup)

    @pytest.mark.parametrize(
        "markup",
        [
            {"inline_keyboard": [{"text": "Go", "callback_data": "go"}]},
            {"inline_keyboard": [[{"text": "Go"}]]},
            {"inline_keyboard": [[{"text": "", "callback_data": "go"}]]},
            {"inline_keyboard": "Go"},
            {"colour": "blue"},
        ],
    )
    async def test_malformed_keyboards_are_refused(
        self, api: RawApi, alice: int, markup: object
    ) -> None:
        """Rows that are not arrays, buttons without an action or text, unknown kinds: 400."""
        status, _ = await api.error("sendMessage", chat_id=alice, text="x", reply_markup=markup)
        assert status == 400

    async def test_a_user_who_blocked_the_bot_cannot_be_written_to(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """After block(), sends to that chat fail 403 until unblock()."""
        emu.block(alice)
        assert await api.error("sendMessage", chat_id=alice, text="x") == (
            403,
            "Forbidden: bot was blocked by the user",
        )
        emu.unblock(alice)
        await api.ok("sendMessage", chat_id=alice, text="x")

    async def test_chat_actions_are_checked(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """'typing' is accepted and counted; an unknown action is 400."""
        assert await api.ok("sendChatAction", chat_id=alice, action="typing") is True
        assert emu.state.chat_actions["typing"] == 1
        status, _ = await api.error("sendChatAction", chat_id=alice, action="dancing")
        assert status == 400


class TestEdits:
    async def test_edits_keep_the_history_of_versions(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """An edit changes the text and keeps the previous version."""
        sent = await api.ok("sendMessage", chat_id=alice, text="one", reply_markup=KEYBOARD)
        mid = sent["message_id"]
        edited = await api.ok("editMessageText", chat_id=alice, message_id=mid, text="two")
        assert "edit_date" in edited
        record = emu.sent_messages(alice)[0]
        assert record.text == "two"
        assert [v.text for v in record.edits] == ["one"]
        assert record.edits[0].reply_markup == KEYBOARD

    async def test_editing_text_without_markup_removes_the_keyboard(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """As in Telegram, editMessageText without reply_markup drops the inline keyboard."""
        sent = await api.ok("sendMessage", chat_id=alice, text="one", reply_markup=KEYBOARD)
        await api.ok("editMessageText", chat_id=alice, message_id=sent["message_id"], text="two")
        assert emu.sent_messages(alice)[0].buttons() == []

    async def test_an_identical_edit_is_not_modified(self, api: RawApi, alice: int) -> None:
        """Same text and same markup: 400 message is not modified."""
        sent = await api.ok("sendMessage", chat_id=alice, text="one", reply_markup=KEYBOARD)
        mid = sent["message_id"]
        status, description = await api.error(
            "editMessageText", chat_id=alice, message_id=mid, text="one", reply_markup=KEYBOARD
        )
        assert status == 400
        assert description.startswith("Bad Request: message is not modified")
        await api.ok("editMessageReplyMarkup", chat_id=alice, message_id=mid)
        status, description = await api.error(
            "editMessageReplyMarkup", chat_id=alice, message_id=mid
        )
        assert description.startswith("Bad Request: message is not modified")

    async def test_edits_and_deletes_of_unknown_messages_are_refused(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """Editing or deleting a message that is not there is 400; a deleted one is flagged."""
        assert await api.error("editMessageText", chat_id=alice, message_id=99, text="x") == (
            400,
            "Bad Request: message to edit not found",
        )
        sent = await api.ok("sendMessage", chat_id=alice, text="bye")
        assert await api.ok("deleteMessage", chat_id=alice, message_id=sent["message_id"])
        assert emu.sent_messages(alice)[0].deleted
        assert await api.error("deleteMessage", chat_id=alice, message_id=sent["message_id"]) == (
            400,
            "Bad Request: message to delete not found",
        )


class TestFaults:
    async def test_an_injected_429_carries_retry_after(
        self, api: RawApi, emu: BotApiEmulator, alice: int
    ) -> None:
        """fail_next(429) answers with parameters.retry_after, then calls work again."""
        emu.fail_next("sendMessage", status=429, retry_after=3, times=2)
        for _ in range(2):
            status, body = await api.call("sendMessage", chat_id=alice, text="x")
            assert (status, body["parameters"]) == (429, {"retry_after": 3})
            assert body["description"] == "Too Many Requests: retry after 3"
        await api.ok("sendMessage", chat_id=alice, text="x")
        assert emu.too_many_requests == 2

    async def test_an_injected_server_error(self, api: RawApi, emu: BotApiEmulator) -> None:
        """fail_next(502) answers 502 Bad Gateway once."""
        emu.fail_next("getMe", status=502)
        assert await api.error("getMe") == (502, "Bad Gateway")
        await api.ok("getMe")

    async def test_a_dropped_connection_gets_no_answer(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """drop_connection_next closes the socket: the client sees a network error."""
        emu.drop_connection_next("getMe")
        with pytest.raises(aiohttp.ClientError):
            await api.call("getMe")
        await api.ok("getMe")

    async def test_injecting_an_unknown_method_names_the_known_ones(
        self, emu: BotApiEmulator
    ) -> None:
        """A typo in fail_next fails loudly instead of never firing."""
        with pytest.raises(ValueError, match="sendMesage"):
            emu.fail_next("sendMesage")


async def test_rate_limits_answer_429_with_whole_seconds() -> None:
    """With limits on, the fourth quick send to one chat gets 429 retry_after 1."""
    frozen = 50.0
    async with (
        BotApiEmulator(limits=Limits(), monotonic=lambda: frozen) as emu,
        aiohttp.ClientSession() as session,
    ):
        api = RawApi(emu, session)
        emu.user(1, "Ann")
        for _ in range(3):
            await api.ok("sendMessage", chat_id=1, text="x")
        status, body = await api.call("sendMessage", chat_id=1, text="x")
        assert (status, body["parameters"]["retry_after"]) == (429, 1)
        assert emu.too_many_requests == 1
        assert len(emu.sent_messages(1)) == 3


class TestCommands:
    async def test_commands_are_stored_per_scope_and_language(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """setMyCommands then getMyCommands returns them; another language is separate."""
        commands = [{"command": "checkin", "description": "Start a check-in"}]
        await api.ok("setMyCommands", commands=commands)
        assert await api.ok("getMyCommands") == commands
        assert await api.ok("getMyCommands", language_code="de") == []
        assert emu.commands() == commands
        await api.ok("deleteMyCommands")
        assert await api.ok("getMyCommands") == []

    async def test_invalid_command_names_are_refused(self, api: RawApi) -> None:
        """Commands must be 1-32 lowercase letters, digits or underscores."""
        bad = [{"command": "Check-In", "description": "x"}]
        assert await api.error("setMyCommands", commands=bad) == (
            400,
            "Bad Request: BOT_COMMAND_INVALID",
        )


class TestCallbackAnswers:
    async def test_a_tap_can_be_answered_once(self, api: RawApi, emu: BotApiEmulator) -> None:
        """answerCallbackQuery on a delivered tap succeeds; a second answer or a bad id is 400."""
        ann = emu.user(7, "Ann")
        await api.ok("sendMessage", chat_id=7, text="Ok?", reply_markup=KEYBOARD)
        tap = await ann.tap("Yes")
        assert await api.ok("answerCallbackQuery", callback_query_id=tap.query_id, text="Noted")
        assert await ann.answer_to(tap) == "Noted"
        status, description = await api.error("answerCallbackQuery", callback_query_id=tap.query_id)
        assert status == 400
        assert "query ID is invalid" in description


class TestGetUpdates:
    async def test_long_polling_returns_as_soon_as_an_update_arrives(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """A waiting getUpdates wakes for a new update instead of running out its timeout."""
        ann = emu.user(7, "Ann")
        poll = asyncio.create_task(api.ok("getUpdates", timeout=30))
        await emu.wait_for_poller()
        await ann.send("hello")
        updates = await asyncio.wait_for(poll, 5)
        assert [u["message"]["text"] for u in updates] == ["hello"]

    async def test_an_empty_poll_with_timeout_zero_answers_at_once(self, api: RawApi) -> None:
        """timeout=0 means a short poll: an empty list right away."""
        assert await api.ok("getUpdates", timeout=0) == []

    async def test_offset_acknowledges_and_limit_caps(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """Update ids increase; offset drops older ones; limit caps the batch."""
        ann = emu.user(7, "Ann")
        for text in ("a", "b", "c"):
            await ann.send(text)
        first = await api.ok("getUpdates", limit=2)
        assert [u["message"]["text"] for u in first] == ["a", "b"]
        assert first[0]["update_id"] < first[1]["update_id"]
        rest = await api.ok("getUpdates", offset=first[1]["update_id"] + 1)
        assert [u["message"]["text"] for u in rest] == ["c"]

    async def test_allowed_updates_filters_kinds(self, api: RawApi, emu: BotApiEmulator) -> None:
        """With allowed_updates=["message"], taps are not kept for the bot."""
        ann = emu.user(7, "Ann")
        await api.ok("getUpdates", allowed_updates=["message"])
        await api.ok("sendMessage", chat_id=7, text="Ok?", reply_markup=KEYBOARD)
        await ann.tap("Yes")
        await ann.send("typed")
        updates = await api.ok("getUpdates")
        assert [next(k for k in u if k != "update_id") for u in updates] == ["message"]

    async def test_redeliver_sends_the_same_update_again(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """redeliver() hands an acknowledged update out once more, with the same id."""
        ann = emu.user(7, "Ann")
        update_id = await ann.send("once")
        await api.ok("getUpdates", offset=update_id + 1)
        await emu.redeliver(update_id)
        again = await api.ok("getUpdates", offset=update_id + 1)
        assert [u["update_id"] for u in again] == [update_id]

    async def test_a_newer_poll_ends_an_older_one_with_409(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """Two pollers at once: the older gets 409 Conflict, as when two bots share a token."""
        older = asyncio.create_task(api.call("getUpdates", timeout=30))
        await emu.wait_for_poller()
        assert await api.ok("getUpdates", timeout=0) == []
        status, body = await asyncio.wait_for(older, 5)
        assert status == 409
        assert body["description"].startswith("Conflict: terminated by other getUpdates")

    async def test_polling_while_a_webhook_is_set_is_a_conflict(self, api: RawApi) -> None:
        """getUpdates answers 409 while a webhook is set."""
        await api.ok("setWebhook", url="http://127.0.0.1:9/hook")
        status, description = await api.error("getUpdates")
        assert status == 409
        assert "webhook is active" in description


class TestWebhookSettings:
    async def test_webhook_info_reports_the_url_and_pending_updates(
        self, api: RawApi, emu: BotApiEmulator
    ) -> None:
        """While nobody listens at the URL, updates stay pending; drop_pending_updates clears them."""
        await api.ok("setWebhook", url="http://127.0.0.1:9/hook", max_connections=5)
        await emu.user(7, "Ann").send("waiting")
        info = await api.ok("getWebhookInfo")
        assert info["url"] == "http://127.0.0.1:9/hook"
        assert info["max_connections"] == 5
        assert info["pending_update_count"] == 1
        assert await api.ok("deleteWebhook", drop_pending_updates=True)
        info = await api.ok("getWebhookInfo")
        assert (info["url"], info["pending_update_count"]) == ("", 0)

    @pytest.mark.parametrize(
        ("params", "reason"),
        [
            ({"url": "ftp://example.org/hook"}, "HTTPS URL must be provided"),
            ({"url": "http://127.0.0.1:9/h", "secret_token": "no spaces"}, "unallowed characters"),
            ({"url": "http://127.0.0.1:9/h", "max_connections": 101}, "max_connections"),
        ],
    )
    async def test_bad_webhook_settings_are_refused(
        self, api: RawApi, params: dict[str, object], reason: str
    ) -> None:
        """A non-HTTP URL, a secret with spaces or too many connections is 400."""
        status, description = await api.error("setWebhook", **params)
        assert status == 400
        assert reason in description
