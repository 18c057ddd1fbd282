"""The client's own data: export all of it, erase all of it, and keep it no longer than needed.

Which rows are the client's is decided table by table in bot/storage/client_data.py, so export,
erasure and retention can never disagree, and a new table without a rule stops them.
The export's format is documented in docs/privacy.md ("The export").
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.service.alerts import therapist_zone
from bot.service.audit import audit
from bot.service.measures_summary import measure_name
from bot.service.names import client_title
from bot.storage.client_data import (
    AuditTrail,
    NotClientData,
    Owned,
    Unlinked,
    model_for,
    rule_for,
    tables_children_first,
)
from bot.storage.models import AuditLog, Client, DueWork, Therapist, TriageEvent

log = logging.getLogger(__name__)

EXPORT_FORMAT = "checkin-client-export"
EXPORT_VERSION = 2


def _about_client(model: type[SQLModel], client: Client) -> Any:
    """The WHERE clause that finds `client`'s rows in `model`'s table (None: no such rows)."""
    table = model.__table__  # type: ignore[attr-defined]
    rule = rule_for(table.name)
    if isinstance(rule, Owned):
        return table.c[rule.column] == getattr(client, rule.key)
    if isinstance(rule, Unlinked):
        return table.c[rule.column] == client.id
    if isinstance(rule, AuditTrail):
        # Entries from before audit_log.client_id existed named the client by Telegram id.
        legacy = f"client:{client.telegram_id}"
        return or_(
            col(AuditLog.client_id) == client.id,
            col(AuditLog.actor) == legacy,
            col(AuditLog.target) == legacy,
        )
    return None


async def client_rows(s: AsyncSession, client: Client) -> dict[str, list[SQLModel]]:
    """Every row held about the client, decrypted, by table (tables with none included, empty)."""
    found: dict[str, list[SQLModel]] = {}
    for table in sorted(tables_children_first(), key=lambda t: t.name):
        if isinstance(rule_for(table.name), NotClientData):
            continue
        model = model_for(table)
        where = _about_client(model, client)
        key = table.primary_key.columns.values()[0]
        found[table.name] = list((await s.exec(select(model).where(where).order_by(key))).all())
    return found


async def export_client(
    s: AsyncSession, client: Client, now: datetime, *, actor: str = "client"
) -> tuple[bytes, str]:
    """Everything stored about the client: a JSON document and a readable text summary."""
    rows = await client_rows(s, client)
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "client_id": client.id,
        "tables": {
            name: [row.model_dump(mode="json") for row in found] for name, found in rows.items()
        },
    }
    audit(s, now, actor, "data.export", client=client)
    content = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
    return content, summary_text(client, rows, now)


def summary_text(client: Client, rows: dict[str, list[SQLModel]], now: datetime) -> str:
    """The export in words, for a person rather than a program."""
    lines = [
        f"Everything checkin holds about you, as of {now:%Y-%m-%d %H:%M} UTC.",
        "The attached JSON file has every detail; this is the short version.",
        "",
        f"Name: {client.first_name or '-'}"
        + (f" · your therapist's name for you: {client.label}" if client.label else "")
        + f" · language {client.language} · "
        f"time zone {client.timezone} · status {client.status}",
        f"Check-ins: {'yes' if client.consent_checkins else 'no'}"
        + (f" (agreed {client.consented_at:%Y-%m-%d})" if client.consented_at else "")
        + f" · alerts to your therapist: {'yes' if client.consent_alerts else 'no'}",
        f"Joined: {client.created_at:%Y-%m-%d}",
    ]
    entries = rows.get("log_entry", [])
    if entries:
        lines += ["", f"Your entries ({len(entries)}):"]
        for e in entries:
            lines.append("  " + _entry_line(e.model_dump()))
    scores = rows.get("measure_score", [])
    if scores:
        lines += ["", f"Your questionnaires ({len(scores)}):"]
        for score in scores:
            d = score.model_dump()
            lines.append(
                f"  {d['recorded_at']:%Y-%m-%d %H:%M} · {measure_name(str(d['measure']))} total "
                f"{d['total']} ({str(d['band']).replace('_', ' ')}) · answers: "
                + ", ".join(f"{k} {v}" for k, v in (d.get("items") or {}).items())
            )
    titles = {
        "measure_schedule": "questionnaire schedules",
        "therapy_session": "sessions",
        "due_work": "planned and sent check-ins",
        "policy_override": "timing settings",
        "flow_run": "conversations (flow runs)",
        "triage_event": "times the bot advised contacting your therapist",
        "audit_log": "records of who looked at or changed your data",
        "invite": "invites",
    }
    lines.append("")
    for name, found in rows.items():
        if name in ("client", "log_entry", "measure_score"):
            continue
        lines.append(f"{titles.get(name, name.replace('_', ' '))}: {len(found)}")
    return "\n".join(lines) + "\n"


def _entry_line(e: dict[str, Any]) -> str:
    parts = [f"{e['recorded_at']:%Y-%m-%d %H:%M}", str(e["kind"]).replace("_", " ")]
    for key in ("distress", "distress_before", "distress_after"):
        if e.get(key) is not None:
            parts.append(f"{key.replace('_', ' ')} {e[key]}/10")
    for key in ("feelings", "harder"):
        if e.get(key):
            parts.append(f"{key}: {', '.join(e[key])}")
    for key in ("feelings_other", "feeling", "onset", "technique", "body_place", "note"):
        if e.get(key):
            parts.append(f"{key.replace('_', ' ')}: {e[key]}")
    for key, value in (e.get("extra") or {}).items():  # fields the clinic's own flows declared
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return " · ".join(parts)


async def erasure_note(s: AsyncSession, client: Client, therapist: Therapist) -> str | None:
    """What the therapist is told when a client with an open alert erases their data, read
    before the erasure (after it there is nothing left to read); None when no alert is open.

    Content-free: who left, the kind of the alert (crisis or contact advised) and when, in the
    therapist's zone. Never the client's words or the crisis category."""
    assert client.id is not None
    opened = (
        await s.exec(
            select(TriageEvent)
            .where(
                TriageEvent.client_id == client.id,
                col(TriageEvent.acknowledged_at).is_(None),
                col(TriageEvent.alerted_at).is_not(None),
            )
            .order_by(col(TriageEvent.at))
        )
    ).all()
    if not client.consent_alerts or not opened:
        return None
    zone = therapist_zone(therapist, client)
    kind = "crisis alert" if any(e.crisis for e in opened) else "alert (contact advised)"
    later = f" (and {len(opened) - 1} later)" if len(opened) > 1 else ""
    return (
        f"ℹ️ {await client_title(s, client)} deleted all their data from checkin and left. "
        f"Their open {kind} from {opened[0].at.astimezone(zone):%a %d %b %H:%M} ({zone.key})"
        f"{later} was closed by the deletion; nothing of it is kept. "
        "You may want to reach out to them directly."
    )


async def erase_client(
    s: AsyncSession, client: Client, now: datetime, *, actor: str = "client"
) -> dict[str, int]:
    """Delete every row about the client (every table, by its rule); return counts by table.

    The audit entries about them go too, replaced by one line that says a client of therapist
    N was erased and how many entries it stands for, without any id of the client.
    """
    await s.flush()  # pending changes first: the deletes below run as SQL, past the session
    therapist_id, counts = client.therapist_id, {}
    for table in tables_children_first():
        rule = rule_for(table.name)
        if isinstance(rule, NotClientData) or table.name == "client":
            continue
        model = model_for(table)
        where = _about_client(model, client)
        if isinstance(rule, Unlinked):
            statement: Any = update(model).where(where).values({rule.column: None})
        else:
            statement = delete(model).where(where)
        counts[table.name] = int((await s.exec(statement)).rowcount or 0)
    await s.exec(delete(Client).where(col(Client.id) == client.id))
    counts["client"] = 1
    counts["due_work"] += await _forget_in_snapshots(s, therapist_id, client.id)
    s.expunge_all()  # the objects of this turn describe rows that are gone
    audit(
        s,
        now,
        actor,
        "client.erased",
        target=f"therapist:{therapist_id}",
        count=counts.get("audit_log", 0),
    )
    log.info("client data erased: %s", {k: v for k, v in counts.items() if v})
    return counts


async def _forget_in_snapshots(s: AsyncSession, therapist_id: int, client_id: int | None) -> int:
    """The therapist's engagement digests keep a snapshot per client id: drop the erased one's."""
    rows = (
        await s.exec(
            select(DueWork).where(
                DueWork.kind == "engagement",
                col(DueWork.key).startswith(f"engagement:{therapist_id}:"),
            )
        )
    ).all()
    changed = 0
    for work in rows:
        snapshot = dict(work.payload.get("snapshot") or {})
        if snapshot.pop(str(client_id), None) is not None:
            work.payload = {**work.payload, "snapshot": snapshot}
            s.add(work)
            changed += 1
    await s.flush()
    return changed


async def stale_stopped_clients(s: AsyncSession, now: datetime, keep: timedelta) -> list[Client]:
    """Stopped clients with no activity (a flow step, a log entry) for longer than `keep`."""
    from bot.storage.models import FlowRun, LogEntry

    stopped = (await s.exec(select(Client).where(Client.status == "stopped"))).all()
    stale = []
    for client in stopped:
        last_step = (
            await s.exec(select(func.max(FlowRun.updated_at)).where(FlowRun.client_id == client.id))
        ).one()
        last_entry = (
            await s.exec(
                select(func.max(LogEntry.recorded_at)).where(LogEntry.client_id == client.id)
            )
        ).one()
        last = max(d for d in (client.created_at, last_step, last_entry) if d is not None)
        if last < now - keep:
            stale.append(client)
    return stale
