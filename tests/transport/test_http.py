"""The aiohttp engine under PTB's Bot: what reaches the Bot API, and errors with PTB's meaning.

Delivery retries on `NetworkError` (which `TimedOut` is) and stops on `BadRequest` or
`Forbidden`; these tests hold the engine to that, over real HTTP to the loopback Bot API.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.testing.emulator import BotApiEmulator
from bot.testing.limits import Limits
from bot.transport.http import AiohttpRequest

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns when RetryAfter is built unless it may use timedelta (warnings are errors)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def _bot(base_url: str, file_url: str = "", **timeouts: float) -> Bot:
    request = AiohttpRequest(**timeouts)  # type: ignore[arg-type]
    return Bot("123:ABC", base_url=base_url, base_file_url=file_url or base_url, request=request)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(limits=Limits(enforce=False)) as emulator:
        yield emulator


async def test_a_message_with_buttons_arrives_as_sent(emu: BotApiEmulator) -> None:
    user = emu.user(4100, "Ana")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Calmer", callback_data="r:1")]])
    async with _bot(emu.base_url, emu.base_file_url) as bot:
        message = await bot.send_message(
            user.user_id, "<b>Hi</b> — ünïcode ✓", "HTML", reply_markup=markup
        )
    [sent] = emu.sent_messages(user.user_id)
    assert message.message_id == sent.message_id
    assert sent.text == "Hi — ünïcode ✓"
    assert sent.buttons() == ["Calmer"]
    assert sent.button("Calmer") == {"text": "Calmer", "callback_data": "r:1"}


async def test_an_upload_arrives_byte_for_byte(emu: BotApiEmulator) -> None:
    user = emu.user(4101, "Ben")
    content = bytes(range(256)) * 64  # every byte value, 16 KB
    async with _bot(emu.base_url, emu.base_file_url) as bot:
        await bot.send_document(
            user.user_id, InputFile(content, filename="my-data.zip"), caption="Your data"
        )
    [sent] = emu.sent_messages(user.user_id)
    assert (sent.kind, sent.file_name, sent.text) == ("document", "my-data.zip", "Your data")
    assert sent.content == content


async def test_telegram_errors_keep_ptbs_meaning(emu: BotApiEmulator) -> None:
    user = emu.user(4102, "Cai")
    async with _bot(emu.base_url, emu.base_file_url) as bot:
        emu.fail_next("sendMessage", status=429, retry_after=7)
        with pytest.raises(RetryAfter) as told:
            await bot.send_message(user.user_id, "hi")
        assert told.value.retry_after.total_seconds() == 7
        emu.fail_next("sendMessage", status=502)
        with pytest.raises(NetworkError):  # a 5xx may work later: Delivery retries it
            await bot.send_message(user.user_id, "hi")
        with pytest.raises(BadRequest):
            await bot.send_message(user.user_id, "")
        emu.block(user.user_id)
        with pytest.raises(Forbidden):
            await bot.send_message(user.user_id, "hi")


async def test_a_dropped_connection_is_a_network_error_and_the_pool_recovers(
    emu: BotApiEmulator,
) -> None:
    user = emu.user(4103, "Dee")
    async with _bot(emu.base_url, emu.base_file_url) as bot:
        await bot.send_message(user.user_id, "first")  # a kept-alive connection to lose
        emu.drop_connection_next("sendMessage")
        with pytest.raises(NetworkError) as failed:
            await bot.send_message(user.user_id, "lost")
        assert not isinstance(failed.value, TimedOut)
        assert "123:ABC" not in str(failed.value)  # the token is in the URL: never in an error
        await bot.send_message(user.user_id, "after")
    assert [m.text for m in emu.sent_messages(user.user_id)] == ["first", "after"]


async def test_nothing_listening_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = _bot(f"http://127.0.0.1:{port}/bot", connect_timeout=1.0)
    await bot._request[1].initialize()
    try:
        with pytest.raises(NetworkError):
            await bot.send_message(1, "hi")
    finally:
        await bot._request[1].shutdown()


async def test_a_silent_server_times_out_within_the_read_timeout() -> None:
    """Accepts the connection, reads the request, never answers: TimedOut, not a hang."""

    connections: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        await reader.read(65536)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    bot = _bot(f"http://127.0.0.1:{port}/bot", read_timeout=0.3)
    await bot._request[1].initialize()
    try:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(1, "hi")
        assert time.monotonic() - started < 3
    finally:
        await bot._request[1].shutdown()
        await _close(server, connections)


async def test_parameters_are_form_encoded_like_ptbs_own_engine() -> None:
    """Telegram reads form fields with JSON values for nested objects, as PTB's httpx engine
    sends them; a request the engine garbles would be a BadRequest in production."""
    seen: dict[str, str] = {}

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        body = await reader.readexactly(length)
        seen["head"] = head.decode()
        seen["body"] = body.decode()
        payload = json.dumps({"ok": True, "result": True}).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(payload)).encode()
            + b"\r\n\r\n"
            + payload
        )
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(record, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    bot = _bot(f"http://127.0.0.1:{port}/bot")
    await bot._request[1].initialize()
    try:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
        await bot.edit_message_reply_markup(chat_id=5, message_id=9, reply_markup=markup)
    finally:
        await bot._request[1].shutdown()
        await _close(server, [])
    assert "application/x-www-form-urlencoded" in seen["head"].lower()
    assert "python-telegram-bot" in seen["head"]  # PTB's User-Agent, as before
    from urllib.parse import parse_qs

    fields = {k: v[0] for k, v in parse_qs(seen["body"]).items()}
    assert fields["chat_id"] == "5"
    assert fields["message_id"] == "9"
    assert json.loads(fields["reply_markup"]) == {
        "inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]
    }


async def _close(server: asyncio.Server, connections: list[asyncio.StreamWriter]) -> None:
    for writer in connections:  # the server's close() leaves accepted connections open
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_call_before_initialize_says_so() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="initialize"):
        await request.do_request("http://127.0.0.1:1/bot123:ABC/getMe", "POST")
