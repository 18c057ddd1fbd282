"""Which country a time zone is in, to pick the crisis lines of the client's region."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _zone_countries() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coords, zone, *_ = line.split("\t")
            table[zone] = country
    # Aliases people pick that zone.tab lists under another name.
    table.setdefault("Europe/Kiev", "UA")
    table.setdefault("Asia/Calcutta", "IN")
    return table


def region_for_timezone(zone: str, known: set[str] | frozenset[str], default: str) -> str:
    """The country code of `zone` when crisis lines are configured for it, else `default`."""
    country = _zone_countries().get(zone)
    return country if country is not None and country in known else default
