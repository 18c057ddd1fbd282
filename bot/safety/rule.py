"""One screening rule: a phrase (see `patterns.py`) that, when it matches, adds a reason at a level."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.safety.normalize import canon_word
from bot.safety.patterns import Triggers, compile_rule

Level = Literal["none", "concern", "crisis"]

# Words that make a match speak of the writer themselves ("took all MY pills", "cut MYSELF"): such
# a match needs no look for who the subject is. Canonical (squeezed) spelling.
SELF_WORDS = frozenset(
    canon_word(w)[0]
    for w in [
        "i",
        "me",
        "my",
        "myself",
        "mine",
        "ich",
        "mich",
        "mir",
        "mein",
        "meine",
        "meinen",
        "meinem",
        "meiner",
    ]
)


@dataclass(frozen=True)
class Rule:
    """One phrase that, when it matches in context, adds `reason` at `level`."""

    reason: str
    level: Level
    phrase: str
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    # Word sets of which every match contains a word of each: a quick pre-check (`can_match`).
    trigger: Triggers = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex, trigger = compile_rule(self.phrase)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "trigger", trigger)


def rules(reason: str, level: Level, *phrases: str) -> list[Rule]:
    return [Rule(reason, level, phrase) for phrase in phrases]
