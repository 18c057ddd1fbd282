"""Telegram updates in, `Incoming` out: the only place that reads PTB's update objects."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType, MessageEntityType

from bot.service.ports import Incoming

# Message attributes that are not text, in the words the kind reply uses.
NON_TEXT = (
    "sticker",
    "photo",
    "voice",
    "video_note",
    "video",
    "audio",
    "animation",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
)
MAX_TEXT_CHARS = 10_000  # longer input is cut before it reaches the engine (and is still screened)


def to_incoming(update: Update) -> Incoming | None:
    """Map an update to what the service understands; None for updates it ignores."""
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        return Incoming(
            update_id=update.update_id,
            user_id=query.from_user.id,
            chat_id=chat_id,
            kind="tap",
            first_name=query.from_user.first_name or "",
            language_code=query.from_user.language_code,
            data=query.data or "",
            callback_id=query.id,
            message_id=message.message_id if message is not None else None,
        )
    message = update.message or update.edited_message
    if message is None or message.from_user is None:
        return None
    if message.chat.type != ChatType.PRIVATE:
        return None  # the bot talks one to one only; groups would expose clients to each other
    user = message.from_user
    base = {
        "update_id": update.update_id,
        "user_id": user.id,
        "chat_id": message.chat.id,
        "first_name": user.first_name or "",
        "language_code": user.language_code,
    }
    text = (message.text or "")[:MAX_TEXT_CHARS]
    if update.edited_message is not None:
        return Incoming(kind="edited", text=text or (message.caption or ""), **base)  # type: ignore[arg-type]
    if message.text is not None:
        entity = message.entities[0] if message.entities else None
        if (
            entity is not None
            and entity.type == MessageEntityType.BOT_COMMAND
            and entity.offset == 0
        ):
            command = text[1 : entity.length].split("@", 1)[0].lower()
            args = text[entity.length :].strip()
            return Incoming(kind="command", command=command, text=args, **base)  # type: ignore[arg-type]
        return Incoming(kind="text", text=text, **base)  # type: ignore[arg-type]
    kind = next((name for name in NON_TEXT if getattr(message, name, None)), "other")
    # A caption is words too: it is screened for crisis like any text.
    caption = (message.caption or "")[:MAX_TEXT_CHARS]
    place = message.location
    where = (place.latitude, place.longitude) if place is not None else None
    return Incoming(kind="unsupported", unsupported=kind, text=caption, location=where, **base)  # type: ignore[arg-type]
