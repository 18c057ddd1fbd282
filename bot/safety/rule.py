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


# The end of what was said: the end of the message, or a clause end after which the writer only
# adds when or how much they mean it ("..., tonight when everyone is asleep", ". and i mean it").
# A structure that ends there has nothing ordinary after it; anything else after a clause end
# ("es ist alles geplant, sonntag grillen bei oma") may make it ordinary, so it does not count.
_EMPHASIS_OR_TIME = (
    "tonight|today|tomorrow|now|right now|soon|this weekend|for real|seriously|honestly|i mean it"
    "|i really mean it|no joke|not joking|for good|forever|when|once|after|before|as soon as"
    "|heute|heute nacht|morgen|jetzt|bald|wenn|sobald|nachdem|bevor|im ernst|ernsthaft|wirklich"
    "|fur immer|kein witz|ich mein(?:e)? es ernst"
)
END_OF_STATEMENT = "{(?=$|\\. (?:(?:and|und|but|aber) )?(?:" + _EMPHASIS_OR_TIME + ") )}"
