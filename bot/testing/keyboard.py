"""Checking `reply_markup` the way Telegram does: inline keyboard shape and 1-64 byte callback data."""

from __future__ import annotations

from typing import Any

from bot.testing.errors import ApiError

# Exactly one of these makes an inline button do something.
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100


def _bad(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _bad("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in _INLINE_ACTIONS if key in button]
    if not actions:
        raise _bad(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise _bad(f"can't parse inline keyboard button: only one of {actions} may be set")
    data = button.get("callback_data")
    if "callback_data" in button:
        if not isinstance(data, str):
            raise _bad("BUTTON_DATA_INVALID")
        size = len(data.encode())
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise _bad("BUTTON_DATA_INVALID")


def _check_inline(markup: dict[str, Any]) -> None:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list):
        raise _bad('can\'t parse inline keyboard: field "inline_keyboard" must be an Array')
    count = 0
    for row in rows:
        if not isinstance(row, list):
            raise _bad("can't parse inline keyboard: keyboard rows must be Arrays")
        for button in row:
            _check_inline_button(button)
            count += 1
    if count > MAX_BUTTONS:
        raise _bad("reply markup is too long")


def _check_reply_keyboard(markup: dict[str, Any]) -> None:
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad("can't parse reply keyboard markup: keyboard must be an Array of Arrays")
    for row in rows:
        for button in row:
            text = button if isinstance(button, str) else (button or {}).get("text")
            if not isinstance(text, str) or not text:
                raise _bad("can't parse reply keyboard markup: button text must be non-empty")


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Return the markup if Telegram would accept it, else raise `ApiError` 400."""
    if markup is None or markup == {}:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline(markup)
    elif "keyboard" in markup:
        _check_reply_keyboard(markup)
    elif not (markup.get("remove_keyboard") is True or markup.get("force_reply") is True):
        raise _bad("can't parse reply keyboard markup: unknown keyboard kind")
    return markup


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every inline button of a markup, row by row (empty for other kinds)."""
    if not markup:
        return []
    return [button for row in markup.get("inline_keyboard", []) for button in row]
