"""Typo tolerance for the few words screening depends on most, in English and German.

People in distress type fast on phones: "i wnat to dye", "kil myslef", "overdsoe". Rather than
listing the misspellings we have seen, every KEY word is expanded to its near misses: two
neighbouring letters swapped (any key word of four letters or more), and one letter dropped or
one extra letter typed (key words of six letters or more, where a single edit is still far from
any other word). A near miss that is itself an ordinary word ("form" is not "from") is listed in
REAL_WORDS and left alone; the test `test_typos.py` prints the generated table for review.

Everything is on squeezed words (repeated letters already collapsed, see `normalize.squeeze`).
"""

from __future__ import annotations

import re
import string

_REPEATS = re.compile(r"(.)\1+")


def _squeeze(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


# The words a rule cannot do without: verbs of intent and action, the self, death, methods,
# danger. English first, then German (umlauts already folded: "brucke" is "Brücke").
_KEY_WORDS_EN = (
    "want wanted wanna going really myself yourself suicide suicidal kill killing die dying dead "
    "death alive living life tonight tomorrow goodbye everyone everything anymore anyone nobody "
    "better without pills tablets overdose overdosed paracetamol acetaminophen ibuprofen "
    "tylenol advil aspirin antifreeze bleach sleeping swallowed swallow hanging hang rope noose "
    "bridge jumping jump building balcony ledge train tracks knife blade blades razor cutting "
    "wrist wrists bleeding blood burned burning poison weapon loaded relapse relapsed "
    "urges harming hurting hurt harm scared afraid terrified hitting choked strangled "
    "threatened stalking following locked plan planned letters letter note ready decided "
    "enough forever finally"
)
_KEY_WORDS_DE = (
    "sterben umbringen tabletten ritzen geritzt selbstmord suizid brucke springen aufhangen "
    "schlagt geschlagen verletzen bedroht angst nicht mehr leben einfach tot"
)
KEY_WORDS = tuple(f"{_KEY_WORDS_EN} {_KEY_WORDS_DE}".split())

# Near misses of key words that are ordinary words of their own in English or German ("talking"
# is one letter from "stalking", "wirst" two swapped letters from "wrist"), in squeezed spelling.
# `tests/safety/test_typos.py` checks this list against pyspellchecker's English and German word
# frequencies (every near miss seen at least 100 times there must be listed) and prints what to add.
REAL_WORDS = frozenset(
    [
        "arming",
        "aspiring",
        "aspirins",
        "beach",
        "beding",
        "bedrohte",
        "bladers",
        "blending",
        "blocked",
        "bold",
        "bride",
        "bridged",
        "bridges",
        "bridget",
        "bruce",
        "buildings",
        "burnings",
        "cared",
        "changing",
        "charming",
        "choke",
        "clocked",
        "coked",
        "cutings",
        "decide",
        "einfache",
        "elapsed",
        "final",
        "flocked",
        "flowing",
        "godbyes",
        "hangings",
        "hing",
        "hinting",
        "hoked",
        "hurtling",
        "kilings",
        "king",
        "kipling",
        "kling",
        "leach",
        "lief",
        "load",
        "locke",
        "loked",
        "ourself",
        "overdoses",
        "paned",
        "plane",
        "planted",
        "poisons",
        "racks",
        "relay",
        "ridge",
        "riten",
        "rucke",
        "sacred",
        "scare",
        "scarfed",
        "schlag",
        "schlagst",
        "seping",
        "shiting",
        "springe",
        "staking",
        "staling",
        "sterbe",
        "sterbend",
        "strangle",
        "streben",
        "suicidaly",
        "suicides",
        "swalows",
        "tables",
        "tablet",
        "tacks",
        "talking",
        "tomorows",
        "track",
        "verletze",
        "verletzend",
        "verletzten",
        "walow",
        "walowed",
        "wan",
        "waned",
        "weapons",
        "whiting",
        "wirst",
        "writs",
    ]
)

_MIN_SWAP = 4
_MIN_EDIT = 6


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


def _drops(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _inserts(word: str) -> set[str]:
    return {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in string.ascii_lowercase}


def near_misses(word: str) -> set[str]:
    """The squeezed spellings one slip away from `word` that screening reads as `word`."""
    word = _squeeze(word)
    found: set[str] = set()
    if len(word) >= _MIN_SWAP:
        found |= _swaps(word)
    if len(word) >= _MIN_EDIT:
        found |= _drops(word) | _inserts(word)
    return {_squeeze(w) for w in found} - {word}


def build_typo_map() -> dict[str, str]:
    """Near miss -> key word, for every key word; ambiguous near misses (one slip from two key
    words) and real words are left out."""
    keys = {_squeeze(w) for w in KEY_WORDS}
    owners: dict[str, set[str]] = {}
    for key in keys:
        for miss in near_misses(key):
            owners.setdefault(miss, set()).add(key)
    return {
        miss: next(iter(owner))
        for miss, owner in owners.items()
        if len(owner) == 1 and miss not in keys and miss not in REAL_WORDS
    }


# German words of the rules that have an umlaut or ß, which people without a German keyboard type
# as ae/oe/ue/ss ("schlaegt", "moechte", "muede"): those spellings are read as the folded word.
GERMAN_UMLAUT_WORDS = [
    "schlägt",
    "schläge",
    "würgt",
    "würgte",
    "gewürgt",
    "würgen",
    "töten",
    "tötet",
    "möchte",
    "möchten",
    "möcht",
    "wäre",
    "würde",
    "würden",
    "für",
    "zurück",
    "gefährdet",
    "rückfall",
    "rückfällig",
    "verprügelt",
    "häusliche",
    "gewalttätig",
    "gewalttätiger",
    "brücke",
    "müde",
    "lebensmüde",
    "überdosis",
    "tödlich",
    "tödliche",
    "lässt",
    "läßt",
    "fühle",
    "fühlt",
    "sterbenslangweilig",
    "stürzen",
    "aufhängen",
    "erhängen",
    "hört",
    "aufhören",
    "ertränken",
    "erschießen",
    "größe",
    "schließe",
    "heißt",
    "zufügen",
    "antue",
    "wünschte",
    "wünsche",
    "glücklicher",
    "sinnlos",
    "bahngleisen",
    "geländer",
    "fensterbrett",
    "balkongeländer",
    "hälfte",
    "ausgewählt",
    "gewählt",
    "zurückgelegt",
    "tschüss",
    "tschüs",
    "über",
    "später",
]


def _fold_umlauts(word: str) -> str:
    return _squeeze(word.replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss"))


def _digraphs(word: str) -> str:
    return _squeeze(
        word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    )


TYPO_MAP = build_typo_map() | {
    _digraphs(w): _fold_umlauts(w) for w in GERMAN_UMLAUT_WORDS if _digraphs(w) != _fold_umlauts(w)
}
