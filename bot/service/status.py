"""A client's status as it really is now, in words for the therapist.

`client.status` says "paused" until something sets it back; a pause whose end has passed is
over (the dispatcher already pings again), so it is shown as active, with when it ended.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.service.summary_data import when
from bot.storage.models import Client


def current_status(client: Client, now: datetime) -> str:
    """active | paused | stopped | unreachable, with a finished pause counted as active."""
    if client.status == "paused" and client.paused_until is not None and client.paused_until <= now:
        return "active"
    return client.status


def status_words(client: Client, now: datetime, zone: ZoneInfo) -> str:
    status = current_status(client, now)
    if status == "paused":
        if client.paused_until is None:
            return "paused"
        return f"paused until {when(client.paused_until, zone)}"
    if client.status == "paused" and client.paused_until is not None:
        return f"active (pause ended {when(client.paused_until, zone)})"
    if status == "unreachable":
        return "unreachable (blocked the bot)"
    if status == "active" and not client.consent_checkins:
        return "not set up yet"
    return status
