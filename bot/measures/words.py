"""Reading a therapist's typed schedule: "phq9,gad7 every 2 weeks", "gad7 weekly fixed", "off"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import CheckinError

USAGE = (
    "Use: /measures NAME phq9,gad7 [every 2 weeks] [fixed]\n"
    "/measures default phq9,gad7 every 2 weeks – the default for all your clients\n"
    "/measures NAME off – none for this client · /measures NAME – what is set\n"
    "Measures come the evening before a session in a measure week; `fixed`: on this weekday."
)
_EVERY = re.compile(r"^every(\d+)weeks?$")
_SKIPPED = {"day", "before", "the", "session", "sessions", "and", "on", "at"}


class MeasureWordsError(CheckinError, ValueError):
    """A typed schedule that cannot be read; the message says how to write it."""


@dataclass(frozen=True, slots=True)
class MeasureWords:
    measures: list[str]
    every_weeks: int = 2
    anchor: str = "day_before_session"


def _measure_id(word: str) -> str:
    """PHQ-9, phq-9, PHQ9 -> phq9."""
    return word.lower().replace("-", "").replace("_", "")


def read_measure_words(words: list[str], known: list[str]) -> MeasureWords:
    """The schedule in `words` (after the client's name). Raises with the usage on anything else."""
    text = " ".join(words).lower().replace(",", " ")
    text = re.sub(r"every\s+(\d+)\s+weeks?", r"every\1weeks", text)
    text = re.sub(r"every\s+weeks?", "every1weeks", text)
    measures: list[str] = []
    every, anchor, off = 2, "day_before_session", False
    for word in text.split():
        match = _EVERY.match(word)
        if word == "off":
            off = True
        elif match:
            every = int(match.group(1))
        elif word == "weekly":
            every = 1
        elif word in ("fortnightly", "biweekly"):
            every = 2
        elif word == "fixed":
            anchor = "fixed"
        elif _measure_id(word) in known:
            measures.append(_measure_id(word))
        elif word not in _SKIPPED:
            raise MeasureWordsError(
                f"I don't know {word!r}. Measures: {', '.join(known) or 'none loaded'}.\n{USAGE}"
            )
    if off and measures:
        raise MeasureWordsError(f"Either measures or off, not both.\n{USAGE}")
    if not off and not measures:
        raise MeasureWordsError(f"Which measures? {', '.join(known)}.\n{USAGE}")
    return MeasureWords([] if off else list(dict.fromkeys(measures)), every, anchor)
