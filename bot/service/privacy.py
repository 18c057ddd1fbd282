"""The client's own data: see it, export it, delete it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import AuditLog, Client, FlowRun, LogEntry, TherapySession, TriageEvent

EXPORT_VERSION = 1


def _row(model: SQLModel, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in model.model_dump(mode="json").items() if k not in drop}


async def export_client(s: AsyncSession, client: Client, now: datetime) -> bytes:
    """Everything stored about the client, as readable JSON."""

    async def rows(model: Any, order: Any) -> list[Any]:
        query = select(model).where(model.client_id == client.id).order_by(order)
        return list((await s.exec(query)).all())

    document = {
        "export_version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "profile": _row(client, drop=("id", "therapist_id")),
        "log_entries": [
            _row(e, drop=("client_id",)) for e in await rows(LogEntry, col(LogEntry.recorded_at))
        ],
        "triage_events": [
            _row(e, drop=("client_id",)) for e in await rows(TriageEvent, col(TriageEvent.at))
        ],
        "sessions": [
            _row(e, drop=("client_id", "therapist_id"))
            for e in await rows(TherapySession, col(TherapySession.starts_at))
        ],
        "flow_runs": [
            {
                "flow": r.flow_id,
                "started_at": r.started_at.isoformat(),
                "status": r.status,
                "answers": r.state.get("answers", {}),
            }
            for r in await rows(FlowRun, col(FlowRun.started_at))
        ],
    }
    s.add(AuditLog(at=now, actor=f"client:{client.telegram_id}", action="data.export"))
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


async def delete_client(s: AsyncSession, client: Client, now: datetime) -> None:
    """Delete the client and (by cascade) every row of theirs; keep only an anonymous audit line."""
    s.add(AuditLog(at=now, actor="client", action="data.delete"))
    await s.delete(client)
