"""Typed words that say the client cannot manage their day ("called in sick", "couldn't get up").

Pure. The unable-to-function rule uses this on every check-in's free text, so a client who types
it instead of tapping "Yes" is heard. English and German; the text goes through the screener's
normalisation first (case, apostrophes, contractions), so "Couldn't" and "could not" are one.
"""

from __future__ import annotations

import re

from bot.safety.normalize import canonical_text, squeeze

# Each entry is a regular expression over the normalised text (words separated by single spaces,
# contractions expanded: "couldn't" -> "could not", umlauts folded: "können" -> "konnen").
_PHRASES_EN = (
    r"(call|calls|called|calling|phoned|phone) in sick",
    r"(off|signed off|home) sick",
    r"(sick|sick leave|sick note) (from|off) work",
    r"(could not|can not|did not|do not|unable to|not able to) (get|got) (out of|up out of) bed",
    r"(could not|can not|unable to|not able to) get up",
    r"(stayed|stay|staying|been) in bed all day",
    r"(could not|can not|did not|unable to|not able to) (go|get|make it) (to|in to|into) work",
    r"(could not|can not|unable to|not able to) (work|do my job|function|leave the house)",
    r"(could not|can not|unable to|not able to) (look after|care for|take care of) (my|the) "
    r"(kids|children|child|baby|family|son|daughter)",
    r"(missed|skipped) (work|school|uni|class|classes) (again|today|because)",
)
_PHRASES_DE = (
    r"krank ?(gemeldet|melden|geschrieben|schreiben)",
    r"krankmeldung",
    r"(nicht|kaum) (aus dem|aus meinem) bett",
    r"(nicht|kaum) (aufstehen|aufgestanden)",
    r"(nicht|kaum) (zur|in die) arbeit",
    r"(nicht|kaum) arbeiten",
    r"(den ganzen tag|den ganzen tag lang) im bett",
    r"(kann|konnte) mich nicht um (die kinder|meine kinder|mein kind|meine familie) kummern",
)
# The normaliser squeezes repeated letters ("called" -> "caled"), so the phrases are squeezed too.
_PATTERN = re.compile(
    r"\b(?:" + "|".join(squeeze(p) for p in (*_PHRASES_EN, *_PHRASES_DE)) + r")\b"
)


def says_unable_to_function(text: str) -> bool:
    """True when the text says the client could not manage work, bed, or looking after others."""
    return _PATTERN.search(canonical_text(text)) is not None
