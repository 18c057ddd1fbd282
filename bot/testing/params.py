"""Reading Bot API parameters the way Telegram does: JSON bodies, or form fields holding strings/JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.testing.errors import ApiError

Params = Mapping[str, Any]


def _missing(name: str) -> ApiError:
    return ApiError(400, f"Bad Request: parameter {name!r} is required")


def get_int(params: Params, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ApiError(400, f"Bad Request: parameter {name!r} must be an integer, got {value!r}")
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        raise ApiError(
            400, f"Bad Request: parameter {name!r} must be an integer, got {value!r}"
        ) from None


def get_float(params: Params, name: str) -> float | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ApiError(
            400, f"Bad Request: parameter {name!r} must be a number, got {value!r}"
        ) from None


def need_int(params: Params, name: str) -> int:
    value = get_int(params, name)
    if value is None:
        raise _missing(name)
    return value


def get_str(params: Params, name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def get_bool(params: Params, name: str, default: bool = False) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")


def get_json(params: Params, name: str) -> Any:
    """A parameter that holds an object or array: native in JSON bodies, a JSON string in forms."""
    value = params.get(name)
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None


def chat_id(params: Params) -> int:
    """The `chat_id`; usernames (`@name`) are for channels, which the emulator does not have."""
    value = params.get("chat_id")
    if value is None or value == "":
        raise ApiError(400, "Bad Request: chat_id is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None
