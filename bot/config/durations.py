"""Human durations in configuration: `30m`, `3h`, `1d`, `2w`, and combinations such as `1d12h`
(seconds too, `30s`, for the few settings that are that short)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_PART = re.compile(r"(\d+)\s*([smhdw])")
_WHOLE = re.compile(r"^\s*(?:\d+\s*[smhdw]\s*)+$")
DURATION_FORMS = "a number and a unit (m, h, d, w), for example 30m, 3h, 1d, 2w or 1d12h"


def parse_duration(value: object) -> timedelta:
    """Parse `3h` style text (or pass a timedelta through); raise ValueError naming the valid forms."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str) or not _WHOLE.match(value.lower()):
        raise ValueError(f"{value!r} is not a duration; use {DURATION_FORMS}")
    total = timedelta()
    for amount, unit in _PART.findall(value.lower()):
        total += timedelta(**{_UNITS[unit]: int(amount)})
    return total


def format_duration(delta: timedelta) -> str:
    """The shortest `1d12h` style text (seconds only when it is not whole minutes)."""
    minutes, seconds = divmod(int(delta.total_seconds()), 60)
    parts = []
    for unit, size in (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60), ("m", 1)):
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count}{unit}")
    if seconds:
        parts.append(f"{seconds}s")
    return "".join(parts) or "0m"


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
]
