"""'Did you mean' for the values a clinic types: time zones and country codes."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import available_timezones

import pycountry

# Codes people write that ISO 3166 does not use for the country they mean.
_COMMON_MISTAKES = {"UK": "GB", "EL": "GR", "EN": "GB"}


@cache
def _zones() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}


def suggest_zones(name: str, n: int = 3) -> list[str]:
    """Time zones close to `name` (a typo like Europe/Londn, or a city like london)."""
    zones = _zones()
    wanted = name.strip().lower().replace(" ", "_")
    close = difflib.get_close_matches(wanted, list(zones), n=n, cutoff=0.75)
    if not close:  # a city on its own: compare with the part after the last slash
        cities = {zone.rsplit("/", 1)[-1]: zone for zone in zones}
        close = [
            cities[c] for c in difflib.get_close_matches(wanted, list(cities), n=n, cutoff=0.8)
        ]
    return [zones[zone] for zone in close]


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 country code (GB, DE, US...)."""
    return pycountry.countries.get(alpha_2=code) is not None


def suggest_country(value: str) -> str | None:
    """The ISO 3166-1 code someone probably meant by `value` (UK -> GB, Germany -> DE)."""
    typed = value.strip()
    if typed.upper() in _COMMON_MISTAKES:
        return _COMMON_MISTAKES[typed.upper()]
    country = pycountry.countries.get(alpha_3=typed.upper()) if len(typed) == 3 else None
    if country is None and len(typed) > 3:
        try:
            country = pycountry.countries.search_fuzzy(typed)[0]
        except LookupError:
            country = None
    return str(country.alpha_2) if country is not None else None


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code
