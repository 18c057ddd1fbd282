"""Countries by name: what a client types ("France", "Deutschland", "UK") to an ISO 3166 code.

Names come from the Unicode CLDR (via Babel) in English and German, so every country is known,
including the many that have no crisis lines of their own in our table.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

NAME_LANGUAGES = ("en", "de")
# What people type that CLDR does not list as a name.
_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "grossbritannien": "GB",
    "england uk": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "amerika": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "deutschland": "DE",
}


# Two-letter CLDR codes that are not countries (unknown region, EU, eurozone, UN, pseudo-locales).
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


def _key(text: str) -> str:
    return " ".join(text.replace(".", "").replace("ß", "ss").split()).casefold()


@cache
def _territories(language: str) -> dict[str, str]:
    """Two-letter code -> name in `language` (CLDR also has regions like '150': left out)."""
    names = Locale.parse(language).territories
    return {
        code: str(name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for language in NAME_LANGUAGES:
        for code, name in _territories(language).items():
            index.setdefault(_key(name), code)
            index.setdefault(code.casefold(), code)
    for alias, code in _ALIASES.items():
        index.setdefault(_key(alias), code)
    return index


def find_country(text: str) -> str | None:
    """The ISO code for a country's name or code in English or German, or None."""
    key = _key(text)
    if not key or len(key) > 64:
        return None
    return _index().get(key)


def country_name(code: str, language: str = "en") -> str:
    """The country's name in `language` (English if that language has none; the code if unknown)."""
    names = _territories(language if language in NAME_LANGUAGES else "en")
    return names.get(code) or _territories("en").get(code) or code


def is_country(code: str) -> bool:
    return code in _territories("en")
