"""What is coming (`/upcoming`, `/next`) and the client's own controls: snooze, pause, stop.

Pausing and stopping only change the client's status: their pending rows stay, and the dispatcher
skips each one with the reason when it falls due. So resuming needs no re-planning, and the
record shows what was not sent and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import CheckinError, NotFoundError
from bot.scheduling.planner import PING_KINDS, PlannedItem
from bot.scheduling.store import upsert_items
from bot.storage import Database
from bot.storage.models import Client, DueWork


class ControlError(CheckinError, ValueError):
    """A snooze, pause or stop that cannot be done as asked."""


@dataclass(frozen=True)
class Upcoming:
    work_id: int
    key: str
    kind: str
    client_id: int
    client_name: str
    due_at: datetime
    timezone: str


async def upcoming_for_therapist(
    db: Database, therapist_id: int, now: datetime, limit: int = 10
) -> list[Upcoming]:
    """The next pending pings of a therapist's own clients, soonest first."""
    async with db.session() as s:
        found = await s.exec(
            select(DueWork, Client)
            .join(Client, col(Client.id) == col(DueWork.client_id))
            .where(
                Client.therapist_id == therapist_id,
                col(DueWork.status) == "pending",
                col(DueWork.kind).in_(PING_KINDS),
                col(DueWork.due_at) >= now,
            )
            .order_by(col(DueWork.due_at))
            .limit(limit)
        )
        return [_upcoming(w, c) for w, c in found.all()]


async def next_for_client(db: Database, client_id: int, now: datetime) -> Upcoming | None:
    """The client's own next check-in, or None."""
    async with db.session() as s:
        found = await s.exec(
            select(DueWork, Client)
            .join(Client, col(Client.id) == col(DueWork.client_id))
            .where(
                col(DueWork.client_id) == client_id,
                col(DueWork.status) == "pending",
                col(DueWork.kind).in_(PING_KINDS),
                col(DueWork.due_at) >= now,
            )
            .order_by(col(DueWork.due_at))
            .limit(1)
        )
        row = found.first()
        return _upcoming(*row) if row else None


def _upcoming(work: DueWork, client: Client) -> Upcoming:
    assert work.id is not None
    assert client.id is not None
    return Upcoming(
        work.id, work.key, work.kind, client.id, client.first_name, work.due_at, client.timezone
    )


async def snooze(
    db: Database, client_id: int, work_key_or_id: str | int, until: datetime, now: datetime
) -> DueWork:
    """Move a pending check-in to `until`; for one already sent, plan it once more at `until`."""
    if until <= now:
        raise ControlError(f"Snooze until {until.isoformat()} is not in the future")
    async with db.session() as s:
        work = await _work(s, client_id, work_key_or_id)
        if work.status == "pending":
            work.due_at = until
            work.updated_at = now
            s.add(work)
            return work
        key = f"snooze:{work.key}:{until.strftime('%Y%m%dT%H%M')}"
        item = PlannedItem(key, until, work.kind, {**work.payload, "snoozed": work.key})
        await upsert_items(s, [item], client_id, now)
        again = (await s.exec(select(DueWork).where(DueWork.key == key))).one()
        return again


async def pause_client(
    db: Database, client_id: int, until: datetime | None, now: datetime
) -> Client:
    """Pause check-ins until `until` (None: until resumed)."""
    if until is not None and until <= now:
        raise ControlError(f"Pause until {until.isoformat()} is not in the future")
    return await _set_status(db, client_id, "paused", until)


async def stop_client(db: Database, client_id: int, now: datetime) -> Client:
    """Stop check-ins for good (until the client starts them again)."""
    return await _set_status(db, client_id, "stopped", None)


async def resume_client(db: Database, client_id: int, now: datetime) -> Client:
    return await _set_status(db, client_id, "active", None)


async def _set_status(db: Database, client_id: int, status: str, until: datetime | None) -> Client:
    async with db.session() as s:
        client = await s.get(Client, client_id)
        if client is None:
            raise NotFoundError("client", client_id)
        client.status = status
        client.paused_until = until
        s.add(client)
        return client


async def _work(s: AsyncSession, client_id: int, key_or_id: str | int) -> DueWork:
    if isinstance(key_or_id, int) or key_or_id.isdigit():
        work = await s.get(DueWork, int(key_or_id))
    else:
        work = (await s.exec(select(DueWork).where(DueWork.key == key_or_id))).first()
    if work is None or work.client_id != client_id:
        raise NotFoundError("check-in", key_or_id, "It is not one of this client's check-ins.")
    return work
