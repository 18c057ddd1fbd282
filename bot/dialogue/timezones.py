"""Turn what a client types ("Berlin", "new york", "Europe/Berlin") into an IANA zone name."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        if zone.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in zone:
            continue
        index.setdefault(zone.casefold(), zone)
        city = zone.rsplit("/", 1)[-1].replace("_", " ").casefold()
        index.setdefault(city, zone)
    index.setdefault("utc", "UTC")
    return index


def find_zone(text: str) -> str | None:
    """The IANA zone for a city or zone name, or None when nothing matches."""
    key = " ".join(text.strip().replace("_", " ").split()).casefold()
    if not key or len(key) > 64:
        return None
    index = _index()
    return index.get(key) or index.get(key.replace(" ", "_"))
