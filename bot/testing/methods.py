"""The Bot API methods the emulator answers, each checking its input as Telegram does.

Every method takes the shared `EmulatorState` and the request's parameters and returns the `result`
of a successful answer, or raises `ApiError` with Telegram's status and description.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.testing import params as p
from bot.testing.errors import ApiError
from bot.testing.html import parse_html
from bot.testing.keyboard import check_reply_markup
from bot.testing.records import SentMessage
from bot.testing.state import EmulatorState, WebhookConfig

Method = Callable[[EmulatorState, p.Params], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


def _formatted(
    params: p.Params, field: str, limit: int, required: bool
) -> tuple[str, str, list[Any]]:
    """Return (raw, plain, entities) of a text or caption after Telegram's parse-mode rules."""
    raw = p.get_str(params, field) or ""
    mode = p.get_str(params, "parse_mode")
    if mode and mode.lower() == "html":
        plain, entities = parse_html(raw)
    elif mode and mode.lower() not in ("markdown", "markdownv2"):
        raise ApiError(400, f"Bad Request: unsupported parse_mode {mode!r}")
    else:
        plain, entities = raw, p.get_json(params, f"{field}_entities") or []
    if required and not plain.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(plain) > limit:
        what = "message" if field == "text" else "message caption"
        raise ApiError(400, f"Bad Request: {what} is too long")
    return raw, plain, entities


async def get_me(state: EmulatorState, params: p.Params) -> Any:
    return state.bot_user


async def get_chat(state: EmulatorState, params: p.Params) -> Any:
    """A chat the bot can see (a `ChatFullInfo`): only users who have opened a chat with it."""
    return {**state.chat(p.chat_id(params)), "accent_color_id": 0, "max_reaction_count": 11}


async def _send(state: EmulatorState, params: p.Params, kind: str, field: str) -> Any:
    chat_id = p.chat_id(params)
    state.writable_chat(chat_id)
    limit, required = (MAX_TEXT, True) if kind == "text" else (MAX_CAPTION, False)
    raw, plain, entities = _formatted(params, field, limit, required)
    markup = check_reply_markup(p.get_json(params, "reply_markup"))
    file_name = None
    content: bytes | None = None
    if kind != "text":
        source = params.get(kind)
        if source is None or source == "":
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        file_name = getattr(source, "filename", None) or (
            source if isinstance(source, str) else None
        )
        upload = getattr(source, "file", None)  # an uploaded file: keep it for tests to read
        if upload is not None:
            content = upload.read()
            upload.seek(0)
    state.throttle(chat_id)
    message = SentMessage(
        chat_id=chat_id,
        message_id=state.next_message_id(chat_id),
        date=state.now(),
        text=plain,
        raw_text=raw,
        parse_mode=p.get_str(params, "parse_mode"),
        entities=entities,
        reply_markup=markup,
        kind=kind,
        file_name=file_name,
        content=content,
    )
    await state.record(message)
    return state.message_dict(message)


async def send_message(state: EmulatorState, params: p.Params) -> Any:
    return await _send(state, params, "text", "text")


async def send_photo(state: EmulatorState, params: p.Params) -> Any:
    return await _send(state, params, "photo", "caption")


async def send_document(state: EmulatorState, params: p.Params) -> Any:
    return await _send(state, params, "document", "caption")


def _target(state: EmulatorState, params: p.Params, action: str) -> SentMessage:
    if params.get("inline_message_id"):
        raise ApiError(400, "Bad Request: inline messages are not supported by the emulator")
    chat_id = p.chat_id(params)
    state.writable_chat(chat_id)
    return state.find_message(chat_id, p.need_int(params, "message_id"), action)


async def edit_message_text(state: EmulatorState, params: p.Params) -> Any:
    message = _target(state, params, "edit")
    if message.kind != "text":
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    raw, plain, entities = _formatted(params, "text", MAX_TEXT, True)
    # Without reply_markup an edit removes the inline keyboard, as in Telegram.
    markup = check_reply_markup(p.get_json(params, "reply_markup"))
    if plain == message.text and entities == message.entities and markup == message.reply_markup:
        raise ApiError(400, _NOT_MODIFIED)
    message.remember_version(state.now())
    message.text, message.raw_text, message.entities = plain, raw, entities
    message.parse_mode = p.get_str(params, "parse_mode")
    message.reply_markup = markup
    await state.touch()
    return state.message_dict(message)


async def edit_message_reply_markup(state: EmulatorState, params: p.Params) -> Any:
    message = _target(state, params, "edit")
    markup = check_reply_markup(p.get_json(params, "reply_markup"))
    if markup == message.reply_markup:
        raise ApiError(400, _NOT_MODIFIED)
    message.remember_version(state.now())
    message.reply_markup = markup
    await state.touch()
    return state.message_dict(message)


async def delete_message(state: EmulatorState, params: p.Params) -> Any:
    chat_id = p.chat_id(params)
    state.chat(chat_id)
    message = state.find_message(chat_id, p.need_int(params, "message_id"), "delete")
    message.deleted = True
    await state.touch()
    return True


async def answer_callback_query(state: EmulatorState, params: p.Params) -> Any:
    query_id = p.get_str(params, "callback_query_id") or ""
    record = state.callback_queries.get(query_id)
    if record is None or record.answered:
        raise ApiError(
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
    text = p.get_str(params, "text")
    if text is not None and len(text) > MAX_CALLBACK_ANSWER:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    record.answered, record.answer_text = True, text
    record.show_alert = p.get_bool(params, "show_alert")
    record.answered_at = state.monotonic()
    await state.touch()
    return True


async def send_chat_action(state: EmulatorState, params: p.Params) -> Any:
    chat_id = p.chat_id(params)
    state.writable_chat(chat_id)
    action = p.get_str(params, "action")
    if action not in CHAT_ACTIONS:
        raise ApiError(400, "Bad Request: wrong parameter action in request")
    state.chat_actions[action] += 1
    return True


def _commands_key(params: p.Params) -> tuple[str, str]:
    scope = p.get_json(params, "scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
    return json.dumps(scope, sort_keys=True), p.get_str(params, "language_code") or ""


def _check_commands(commands: Any) -> list[dict[str, str]]:
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: commands must be an Array of at most 100 BotCommand")
    checked = []
    for entry in commands:
        command = str((entry or {}).get("command", ""))
        description = str((entry or {}).get("description", ""))
        if not _COMMAND.match(command):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": command, "description": description})
    return checked


async def set_my_commands(state: EmulatorState, params: p.Params) -> Any:
    commands = _check_commands(p.get_json(params, "commands"))
    key = _commands_key(params)
    scope = json.loads(key[0])
    if scope.get("type") == "chat":  # like Telegram: a chat the bot cannot see is not found
        state.chat(int(scope.get("chat_id", 0)))
    state.commands[key] = commands
    return True


async def get_my_commands(state: EmulatorState, params: p.Params) -> Any:
    return state.commands.get(_commands_key(params), [])


async def delete_my_commands(state: EmulatorState, params: p.Params) -> Any:
    state.commands.pop(_commands_key(params), None)
    return True


async def get_updates(state: EmulatorState, params: p.Params) -> Any:
    if state.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    allowed = p.get_json(params, "allowed_updates")
    state.updates.set_allowed(allowed if isinstance(allowed, list) else None)
    limit = p.get_int(params, "limit") or 100
    timeout = p.get_float(params, "timeout") or 0.0
    return await state.updates.get_updates(p.get_int(params, "offset"), limit, timeout)


async def set_webhook(state: EmulatorState, params: p.Params) -> Any:
    url = p.get_str(params, "url") or ""
    if p.get_bool(params, "drop_pending_updates"):
        state.updates.drop_pending()
    if not url:
        state.webhook = None
        await state.updates.interrupt_pollers()
        return True
    if not url.startswith(("http://", "https://")):
        raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get_str(params, "secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise ApiError(400, "Bad Request: secret token contains unallowed characters")
    allowed = p.get_json(params, "allowed_updates")
    state.updates.set_allowed(allowed if isinstance(allowed, list) else None)
    max_connections = p.get_int(params, "max_connections") or 40
    if not 1 <= max_connections <= 100:
        raise ApiError(400, "Bad Request: max_connections must be between 1 and 100")
    state.webhook = WebhookConfig(url, secret, max_connections, allowed)
    await state.updates.interrupt_pollers()
    return True


async def delete_webhook(state: EmulatorState, params: p.Params) -> Any:
    if p.get_bool(params, "drop_pending_updates"):
        state.updates.drop_pending()
    state.webhook = None
    await state.updates.interrupt_pollers()
    return True


async def get_webhook_info(state: EmulatorState, params: p.Params) -> Any:
    hook = state.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates.pending),
    }
    if hook is not None:
        info["max_connections"] = hook.max_connections
        if hook.allowed_updates is not None:
            info["allowed_updates"] = hook.allowed_updates
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    return info


async def close(state: EmulatorState, params: p.Params) -> Any:
    return True


async def log_out(state: EmulatorState, params: p.Params) -> Any:
    return True


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "getChat": get_chat,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendChatAction": send_chat_action,
    "close": close,
    "logOut": log_out,
}
# Telegram matches method names without regard to case.
METHODS_BY_LOWER_NAME = {name.lower(): name for name in METHODS}
