"""Helpers for the emulator tests: a tiny PTB app (echo + keyboard) and raw HTTP calls."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.testing import BotApiEmulator

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes", callback_data="yes"),
            InlineKeyboardButton("No", callback_data="no"),
        ]
    ]
)


class Recorder:
    """Errors the app's handlers hit, so tests can check which exception PTB raised."""

    def __init__(self) -> None:
        self.errors: asyncio.Queue[BaseException] = asyncio.Queue()

    async def next_error(self, timeout: float = 5.0) -> BaseException:  # noqa: ASYNC109
        """Wait for the next exception the app's error handler saw."""
        return await asyncio.wait_for(self.errors.get(), timeout)


def build_app(emu: BotApiEmulator, recorder: Recorder) -> Application:  # type: ignore[type-arg]
    app = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_user
        assert update.effective_message
        name = html.escape(update.effective_user.first_name)
        await update.effective_message.reply_text(
            f"Hello <b>{name}</b>! Feeling better?",
            parse_mode=ParseMode.HTML,
            reply_markup=KEYBOARD,
        )

    async def raw_html(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Sends its argument unescaped as HTML (to provoke a parse error on purpose)."""
        assert update.effective_message
        assert update.effective_message.text
        body = update.effective_message.text.partition(" ")[2]
        await update.effective_message.reply_text(body, parse_mode=ParseMode.HTML)

    async def long(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message
        await update.effective_message.reply_text("x" * 4097)

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message
        assert update.effective_message.text
        await update.effective_message.reply_text(update.effective_message.text)

    async def other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message
        await update.effective_message.reply_text("I can only read text here.")

    async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query
        assert query.message
        await query.answer("Noted")
        await query.edit_message_reply_markup(None)
        await context.bot.send_message(query.message.chat.id, f"You chose {query.data}.")

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        recorder.errors.put_nowait(context.error)

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("html", raw_html))
    app.add_handler(CommandHandler("long", long))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(~filters.TEXT, other))
    app.add_handler(CallbackQueryHandler(tapped))
    app.add_error_handler(on_error)
    return app


@asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run `app` with long polling for the duration of the block."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=5)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


class RawApi:
    """Plain HTTP calls to the emulator, to check its answers byte for byte."""

    def __init__(self, emu: BotApiEmulator, session: aiohttp.ClientSession) -> None:
        self.emu = emu
        self.session = session

    async def call(
        self, method: str, token: str | None = None, form: dict[str, str] | None = None, **json: Any
    ) -> tuple[int, dict[str, Any]]:
        url = f"{self.emu.base_url}{token or self.emu.token}/{method}"
        if form is not None:
            response = await self.session.post(url, data=form)
        else:
            response = await self.session.post(url, json=json)
        async with response:
            return response.status, await response.json()

    async def ok(self, method: str, **json: Any) -> Any:
        status, body = await self.call(method, **json)
        assert (status, body["ok"]) == (200, True), body
        return body["result"]

    async def error(self, method: str, **json: Any) -> tuple[int, str]:
        status, body = await self.call(method, **json)
        assert body["ok"] is False
        assert body["error_code"] == status
        return status, body["description"]
