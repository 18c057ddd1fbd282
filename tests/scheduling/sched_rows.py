"""Rows the scheduling tests need: a therapist, clients, and due work."""

from __future__ import annotations

from datetime import datetime

from bot.storage import Database
from bot.storage.models import Client, DueWork, Therapist


async def make_therapist(db: Database, telegram_id: int = 500) -> Therapist:
    async with db.session() as s:
        therapist = Therapist(telegram_id=telegram_id, name="Dr. Rivera")
        s.add(therapist)
        await s.flush()
        return therapist


async def make_client(
    db: Database,
    therapist: Therapist,
    telegram_id: int = 1001,
    timezone: str = "Europe/London",
    **fields: object,
) -> Client:
    values: dict[str, object] = {
        "therapist_id": therapist.id,
        "telegram_id": telegram_id,
        "chat_id": telegram_id,
        "first_name": "Sam",
        "timezone": timezone,
        "consent_checkins": True,
    }
    values.update(fields)
    async with db.session() as s:
        client = Client(**values)  # type: ignore[arg-type]
        s.add(client)
        await s.flush()
        return client


async def add_due(
    db: Database, key: str, due_at: datetime, client: Client | None = None, kind: str = "followup"
) -> int:
    async with db.session() as s:
        row = DueWork(key=key, kind=kind, client_id=client.id if client else None, due_at=due_at)
        s.add(row)
        await s.flush()
        assert row.id is not None
        return row.id


async def rows(db: Database) -> dict[str, DueWork]:
    from sqlmodel import select

    async with db.session() as s:
        return {r.key: r for r in (await s.exec(select(DueWork))).all()}
