"""The service's BotApi over Telegram: keyboards to inline markup, calls through Delivery.

Errors are translated into the service's words: 403 -> RecipientBlockedError, a call that may
work later (network, 5xx, a long 429) -> SendFailedError, a malformed call -> SendRejectedError.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, WebAppInfo
from telegram.error import BadRequest, TelegramError

from bot.dialogue.contracts import Button, Keyboard
from bot.service.ports import (
    ChatNotFoundError,
    RecipientBlockedError,
    SendFailedError,
    SendRejectedError,
)
from bot.transport.delivery import Delivery, DeliveryFailed, RecipientBlocked

log = logging.getLogger(__name__)


def markup(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[_button(b) for b in row] for row in buttons])


def _button(b: Button) -> InlineKeyboardButton:
    if b.kind == "web_app":  # opens a Mini App (the therapist console) inside Telegram
        return InlineKeyboardButton(b.label, web_app=WebAppInfo(b.data))
    if b.kind == "url":
        return InlineKeyboardButton(b.label, url=b.data)
    return InlineKeyboardButton(b.label, callback_data=b.data)


class TelegramBotApi:
    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery

    async def send(self, chat_id: int, text: str, buttons: Keyboard = ()) -> int:
        try:
            message = await self.delivery.send_message(chat_id, text, reply_markup=markup(buttons))
        except RecipientBlocked:
            raise RecipientBlockedError(chat_id) from None
        except DeliveryFailed as exc:
            raise SendFailedError(exc.reason, exc.retry_after) from None
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise ChatNotFoundError(chat_id) from None
            raise SendRejectedError(type(exc).__name__) from None
        return message.message_id

    async def set_buttons(self, chat_id: int, message_id: int, buttons: Keyboard) -> None:
        try:
            await self.delivery.edit_reply_markup(chat_id, message_id, reply_markup=markup(buttons))
        except RecipientBlocked:
            raise RecipientBlockedError(chat_id) from None
        except DeliveryFailed as exc:
            raise SendFailedError(exc.reason, exc.retry_after) from None
        except BadRequest as exc:
            # 'message is not modified' or a message too old to edit: the keyboard is moot.
            log.debug("keyboard of message %s not changed: %s", message_id, type(exc).__name__)

    async def answer_tap(self, callback_id: str, text: str | None = None) -> None:
        try:
            await self.delivery.answer_callback_query(callback_id, text=text)
        except (TelegramError, DeliveryFailed) as exc:  # an expired query is harmless
            log.debug("callback answer failed: %s", type(exc).__name__)

    async def send_photo(self, chat_id: int, filename: str, content: bytes, caption: str) -> int:
        try:
            message: Message = await self.delivery.send_photo(
                chat_id, InputFile(content, filename=filename), caption=caption or None
            )
        except RecipientBlocked:
            raise RecipientBlockedError(chat_id) from None
        except DeliveryFailed as exc:
            raise SendFailedError(exc.reason, exc.retry_after) from None
        except BadRequest as exc:
            raise SendRejectedError(type(exc).__name__) from None
        return message.message_id

    async def send_document(self, chat_id: int, filename: str, content: bytes, caption: str) -> int:
        try:
            message: Message = await self.delivery.send_document(
                chat_id, InputFile(content, filename=filename), caption=caption
            )
        except RecipientBlocked:
            raise RecipientBlockedError(chat_id) from None
        except DeliveryFailed as exc:
            raise SendFailedError(exc.reason, exc.retry_after) from None
        except BadRequest as exc:
            raise SendRejectedError(type(exc).__name__) from None
        return message.message_id
