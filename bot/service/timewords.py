"""Days and times as a therapist types them: `tue`, `today`, `tomorrow`, `2026-12-01`, `15:00`.

One reading for `/session` and for the new time of a moved session, so both take the same words.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import CheckinError
from bot.scheduling.planner import to_utc

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")
# The 12-hour clock as people type it: 9am, 9:30pm, 12.15 a.m. (a space before am/pm is joined).
CLOCK_12 = re.compile(r"^(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?(am|pm|a\.m\.|p\.m\.)$")
SPACED_MERIDIEM = re.compile(r"\s+(am|pm|a\.m\.|p\.m\.)(?=\s|$)", re.IGNORECASE)


class TimeWordsError(CheckinError, ValueError):
    """A day or a time that could not be read (the message says what was typed and what works)."""


def parse_day(word: str, today: date) -> date:
    """`today`, `tomorrow`, a weekday (the next one, today included) or an ISO date."""
    w = word.lower()
    if w == "today":
        return today
    if w == "tomorrow":
        return today + timedelta(days=1)
    if w[:3] in DAYS:
        ahead = (DAYS.index(w[:3]) - today.weekday()) % 7
        return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise TimeWordsError(
            f"{word!r} is not a day; use mon..sun, today, tomorrow or a date like 2026-12-01"
        ) from None


def join_meridiem(text: str) -> str:
    """'fri 9 am' -> 'fri 9am': the clock is then one word, as the readers below expect."""
    return SPACED_MERIDIEM.sub(r"\1", text)


def is_clock_word(word: str) -> bool:
    return bool(CLOCK.match(word) or CLOCK_12.match(word.lower()))


def parse_clock_word(word: str) -> time:
    m = CLOCK.match(word)
    if m:
        return time(int(m.group(1)), int(m.group(2)))
    m = CLOCK_12.match(word.lower())
    if m:
        hour = int(m.group(1)) % 12 + (12 if m.group(3).startswith("p") else 0)
        return time(hour, int(m.group(2) or 0))
    raise TimeWordsError(f"{word!r} is not a time; use HH:MM, like 15:00 (or 3pm)")


def read_day_and_time(
    text: str, now: datetime, zone: ZoneInfo, same_day_as: datetime | None = None
) -> datetime:
    """`thu 16:30`, `tomorrow 9:00`, `2026-12-03 16:30`, or just `16:30` (the day of
    `same_day_as`, else today), as an instant: the wall time in `zone`. A weekday that would be
    earlier today means the same weekday next week."""
    words = join_meridiem(text).split()
    if not words or len(words) > 2:
        raise TimeWordsError(f"{text.strip()[:40]!r} is not a day and a time")
    today = now.astimezone(zone).date()
    clock = parse_clock_word(words[-1])
    if len(words) == 1:
        day = same_day_as.astimezone(zone).date() if same_day_as is not None else today
        return to_utc(datetime.combine(day, clock), zone)
    instant = to_utc(datetime.combine(parse_day(words[0], today), clock), zone)
    if instant <= now and words[0].lower()[:3] in DAYS:
        instant = to_utc(
            datetime.combine(parse_day(words[0], today) + timedelta(weeks=1), clock), zone
        )
    return instant
