"""Which of the clinic's clients would get the international fallback instead of their own lines.

`checkin run` prints this at start-up, so a clinic learns which countries to add under
`crisis.regions` before a client in crisis needs them.
"""

from __future__ import annotations

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.dialogue.countries import country_name
from bot.storage.models import Client


async def crisis_coverage(s: AsyncSession, config: Config) -> list[str]:
    """Lines for the clinic: countries of clients without crisis lines, clients without a country."""
    rows = (await s.exec(select(Client.country, func.count()).group_by(col(Client.country)))).all()
    table = config.crisis.table()
    fallback = f"{config.crisis.fallback_emergency} and {config.crisis.directory_url}"
    missing = sorted((code, n) for code, n in rows if code is not None and code not in table)
    unknown = sum(n for code, n in rows if code is None)
    lines = []
    if missing:
        listed = ", ".join(f"{code} ({country_name(code)}, {n} client(s))" for code, n in missing)
        lines.append(
            f"Crisis lines: no entry for {listed}. They are shown {fallback}; "
            "add their countries under crisis.regions in the configuration."
        )
    if unknown:
        default = config.crisis.default_region
        shown = f"the lines of {default} (crisis.default_region)" if default else fallback
        lines.append(
            f"Crisis lines: {unknown} client(s) have not told their country yet and are shown "
            f"{shown}; they can set it with /country."
        )
    return lines
