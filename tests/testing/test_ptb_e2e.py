"""A real python-telegram-bot Application against the emulator: only `base_url` differs."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from ptb_helpers import KEYBOARD, Recorder, build_app, polling
from telegram import BotCommand
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application

from bot.testing import BotApiEmulator, Limits

pytestmark = pytest.mark.e2e

App = Application  # type: ignore[type-arg]


class TestConversation:
    async def test_get_me_tells_ptb_the_bot_username(
        self, emu: BotApiEmulator, running_app: App
    ) -> None:
        """Application.initialize() calls getMe; PTB then knows the emulator's bot."""
        assert running_app.bot.username == "checkin_demo_bot"
        assert emu.calls["getMe"] == 1

    async def test_a_command_gets_an_html_greeting_with_buttons(
        self, emu: BotApiEmulator, running_app: App
    ) -> None:
        """/start is answered with the escaped first name in bold and two buttons."""
        sam = emu.user(1001, "<Sam & Co>")
        await sam.send("/start")
        reply = await sam.next_reply()
        assert reply.text == "Hello <Sam & Co>! Feeling better?"
        assert reply.entities == [{"type": "bold", "offset": 6, "length": 10}]
        assert reply.buttons() == ["Yes", "No"]
        assert reply.parse_mode == "HTML"

    async def test_text_is_echoed(self, emu: BotApiEmulator, running_app: App) -> None:
        """Plain text reaches the echo handler and comes back."""
        ann = emu.user(1002, "Ann")
        await ann.send("I slept badly")
        assert (await ann.next_reply()).text == "I slept badly"

    async def test_a_sticker_gets_the_text_only_answer(
        self, emu: BotApiEmulator, running_app: App
    ) -> None:
        """Non-text messages reach PTB as real stickers, photos, voice notes and locations."""
        ann = emu.user(1002, "Ann")
        await ann.send_sticker()
        await ann.send_photo()
        await ann.send_voice()
        await ann.send_location()
        await ann.send_document()
        replies = [(await ann.next_reply()).text for _ in range(5)]
        assert replies == ["I can only read text here."] * 5

    async def test_a_tap_is_answered_and_the_keyboard_removed(
        self, emu: BotApiEmulator, running_app: App
    ) -> None:
        """Tapping 'Yes' stops the spinner, removes the keyboard and sends the choice."""
        ann = emu.user(1002, "Ann")
        await ann.send("/start")
        question = await ann.next_reply()
        tap = await ann.tap("Yes")
        assert await ann.answer_to(tap) == "Noted"
        assert (await ann.next_reply()).text == "You chose yes."
        assert question.buttons() == []
        assert question.edits[0].reply_markup == KEYBOARD.to_dict()
        assert ann.transcript == [
            "you: /start",
            "bot: Hello <Sam & Co>! Feeling better?".replace("<Sam & Co>", "Ann"),
            "you tapped: Yes",
            "bot: You chose yes.",
        ]


class TestErrorsReachPtb:
    async def test_bad_html_is_a_bad_request(
        self, emu: BotApiEmulator, running_app: App, recorder: Recorder
    ) -> None:
        """Unescaped markup sent with parse_mode=HTML raises BadRequest in the handler."""
        ann = emu.user(1002, "Ann")
        await ann.send("/html <Sam & Co>")
        error = await recorder.next_error()
        assert isinstance(error, BadRequest)
        assert "parse entities" in str(error)
        assert emu.sent_messages(1002) == []

    async def test_a_long_text_is_a_bad_request(
        self, emu: BotApiEmulator, running_app: App, recorder: Recorder
    ) -> None:
        """A 4097-character reply raises BadRequest 'Message is too long'."""
        await emu.user(1002, "Ann").send("/long")
        error = await recorder.next_error()
        assert isinstance(error, BadRequest)
        assert str(error) == "Message is too long"

    async def test_a_429_reaches_ptb_as_retry_after(
        self, emu: BotApiEmulator, running_app: App, recorder: Recorder
    ) -> None:
        """An injected 429 with retry_after=2 becomes telegram.error.RetryAfter(2 s)."""
        emu.fail_next("sendMessage", status=429, retry_after=2)
        await emu.user(1002, "Ann").send("hello")
        error = await recorder.next_error()
        assert isinstance(error, RetryAfter)
        assert error.retry_after == timedelta(seconds=2)

    async def test_a_blocked_user_is_forbidden(
        self, emu: BotApiEmulator, running_app: App, recorder: Recorder
    ) -> None:
        """A reply to a user who blocked the bot raises Forbidden."""
        ann = emu.user(1002, "Ann")
        emu.block(1002)
        await ann.send("hello")
        error = await recorder.next_error()
        assert isinstance(error, Forbidden)
        assert "bot was blocked by the user" in str(error)

    async def test_a_dropped_connection_is_a_network_error(
        self, emu: BotApiEmulator, running_app: App
    ) -> None:
        """drop_connection_next makes the next call fail as NetworkError in PTB."""
        emu.drop_connection_next("getMe")
        with pytest.raises(NetworkError):
            await running_app.bot.get_me()


async def test_rate_limits_turn_a_fifth_quick_reply_into_retry_after() -> None:
    """With Telegram's limits on and time standing still, three replies pass, then 429s."""
    recorder = Recorder()
    async with BotApiEmulator(limits=Limits(), monotonic=lambda: 10.0) as emu:
        ann = emu.user(1002, "Ann")
        async with polling(build_app(emu, recorder)):
            for text in ("one", "two", "three", "four"):
                await ann.send(text)
            error = await recorder.next_error()
        assert isinstance(error, RetryAfter)
        assert error.retry_after == timedelta(seconds=1)
        assert [m.text for m in emu.sent_messages(1002)] == ["one", "two", "three"]
        assert emu.too_many_requests == 1


class TestBotInitiatedCalls:
    async def test_sends_edits_and_deletes_through_ptb(
        self, emu: BotApiEmulator, running_app: App
    ) -> None:
        """PTB's send_message, edit_message_text and delete_message parse the emulator's answers."""
        emu.user(1003, "Bo")
        bot = running_app.bot
        message = await bot.send_message(1003, "Time for a check-in", reply_markup=KEYBOARD)
        assert message.chat.first_name == "Bo"
        assert message.reply_markup == KEYBOARD
        edited = await bot.edit_message_text("Check-in done", chat_id=1003, message_id=message.id)
        assert not isinstance(edited, bool)
        assert edited.text == "Check-in done"
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("Check-in done", chat_id=1003, message_id=message.id)
        assert await bot.delete_message(1003, message.id)
        assert emu.sent_messages(1003)[0].deleted

    async def test_photos_documents_actions_and_commands(
        self, emu: BotApiEmulator, running_app: App
    ) -> None:
        """Uploads go as multipart; commands and chat actions round-trip through PTB."""
        emu.user(1003, "Bo")
        bot = running_app.bot
        photo = await bot.send_photo(1003, b"\x89PNG fake", caption="your week")
        assert photo.caption == "your week"
        assert photo.photo
        document = await bot.send_document(1003, b"a,b\n", filename="log.csv")
        assert document.document is not None
        assert document.document.file_name == "log.csv"
        assert await bot.send_chat_action(1003, "typing")
        await bot.set_my_commands([BotCommand("checkin", "Start a check-in")])
        assert await bot.get_my_commands() == (BotCommand("checkin", "Start a check-in"),)
        assert [m.kind for m in emu.sent_messages(1003)] == ["photo", "document"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def webhook_app(emu: BotApiEmulator, recorder: Recorder) -> AsyncIterator[App]:
    app = build_app(emu, recorder)
    port = _free_port()
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        secret_token="s3cret-token",
    )
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_webhook_mode_delivers_updates_with_the_secret_header(
    emu: BotApiEmulator, webhook_app: App
) -> None:
    """PTB's webhook server receives updates from the emulator, secret header and all."""
    info = await webhook_app.bot.get_webhook_info()
    assert info.url.endswith("/hook")
    ann = emu.user(1004, "Ann")
    await ann.send("over the webhook")
    assert (await ann.next_reply()).text == "over the webhook"
    assert emu.calls["getUpdates"] == 0
    assert emu.state.webhook is not None
    assert emu.state.webhook.secret_token == "s3cret-token"


async def test_a_webhook_with_the_wrong_secret_is_retried_and_reported(
    emu: BotApiEmulator, webhook_app: App
) -> None:
    """PTB refuses a wrong secret (403); the update stays pending and the error is reported."""
    assert emu.state.webhook is not None
    emu.state.webhook.secret_token = "not-the-secret"
    ann = emu.user(1004, "Ann")
    await ann.send("hello")
    await emu.wait_until(lambda: emu.webhook_failures >= 1)
    assert ann.last_reply is None
    info = await webhook_app.bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message is not None
    assert "403" in info.last_error_message
    emu.state.webhook.secret_token = "s3cret-token"
    assert (await ann.next_reply()).text == "hello"


async def test_redelivered_updates_arrive_again_over_the_webhook(
    emu: BotApiEmulator, webhook_app: App
) -> None:
    """redeliver() repeats an update with the same id, so the bot can prove it de-duplicates."""
    ann = emu.user(1004, "Ann")
    update_id = await ann.send("twice")
    await ann.next_reply()
    await emu.redeliver(update_id)
    assert (await ann.next_reply()).text == "twice"
