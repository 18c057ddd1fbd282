"""Human durations in configuration: `30m`, `3h`, `1d`, `2w`, and combinations such as `1d12h`."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_PART = re.compile(r"(\d+)\s*([mhdw])")
_WHOLE = re.compile(r"^\s*(?:\d+\s*[mhdw]\s*)+$")
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
    """The shortest `1d12h` style text for a whole number of minutes."""
    minutes = int(delta.total_seconds() // 60)
    if minutes == 0:
        return "0m"
    parts = []
    for unit, size in (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60), ("m", 1)):
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
]
