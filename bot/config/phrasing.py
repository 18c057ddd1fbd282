"""Configuration errors in words for a person, not the validation library's wording.

pydantic says "Input should be a valid list"; a clinic needs "must be a list, like [en]". Each
error type gets a sentence that says what the value must be, with an example of a good one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What a pattern means, for the patterns the configuration uses.
_PATTERNS = {
    "^[a-z]{2}$": "a two-letter language code in small letters, like en or de",
    "^[A-Z]{2}$": "a two-letter country code in capitals (ISO 3166), like GB or DE",
}


def _list_example(value: Any) -> str:
    return f"[{value}]" if isinstance(value, str | int | float) else "[first, second]"


def _one_of(ctx: Mapping[str, Any]) -> str:
    expected = str(ctx.get("expected", "")).replace("'", "")
    return expected.replace(" or ", ", ")


def human_message(err: Mapping[str, Any]) -> str:
    """One validation error as a sentence (without the key path and line, added by the caller)."""
    kind = str(err.get("type", ""))
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    messages = {
        "list_type": f"must be a list, like {_list_example(value)}",
        "dict_type": "must be a group of keys, each on its own indented line",
        "model_type": "must be a group of keys, each on its own indented line",
        "model_attributes_type": "must be a group of keys, each on its own indented line",
        "string_type": "must be text",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number, like 3",
        "int_from_float": "must be a whole number, without decimals",
        "float_type": "must be a number",
        "float_parsing": "must be a number, like 2.5",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "literal_error": f"must be one of: {_one_of(ctx)}",
        "greater_than_equal": f"must be at least {ctx.get('ge')}",
        "greater_than": f"must be more than {ctx.get('gt')}",
        "less_than_equal": f"must be at most {ctx.get('le')}",
        "less_than": f"must be less than {ctx.get('lt')}",
        "too_short": f"needs at least {ctx.get('min_length')} item(s)",
        "too_long": f"may have at most {ctx.get('max_length')} item(s)",
        "string_too_short": "must not be empty",
        "string_pattern_mismatch": "must be "
        + _PATTERNS.get(str(ctx.get("pattern")), f"written like {ctx.get('pattern')}"),
        "time_parsing": "must be a time of day, like 21:30",
        "timedelta_parsing": "must be a duration, like 3h, 1d or 30m",
        "url_parsing": "must be a web address, like https://example.org",
        "none_required": "must be left out",
    }
    if kind in messages:
        return messages[kind]
    # Our own validators already speak to a person ("... is not an IANA time zone; use ...").
    message = (
        str(err.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    )
    return message.replace("Input should be", "must be").replace("Field required", "is missing")
