"""What flows ask the host to do outside the dialogue (`kind: action` steps)."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config, QuietHours
from bot.dialogue import contracts as c
from bot.dialogue.contracts import Button
from bot.scheduling.planner import after_quiet_hours
from bot.scheduling.timing import load_policy
from bot.service import texts
from bot.service.audit import audit
from bot.service.context import country_lines_text, crisis_text
from bot.service.measures import record_safety_event
from bot.service.names import client_title
from bot.service.outgoing import Batch
from bot.storage.models import Client, DueWork, FlowRun, LogEntry, Therapist

NOTE_PREVIEW_CHARS = 300
MAX_NOTE_CHARS = 4000  # a note is stored cut to this length
TOPICS = {
    "thinking_of_stopping": "is thinking about ending therapy and would like to talk about it",
    "wants_to_talk": "would like to talk with you about their answer to PHQ-9 item 9",
}


async def run_action(
    s: AsyncSession,
    batch: Batch,
    config: Config,
    client: Client,
    therapist: Therapist,
    action: c.Action,
    now: datetime,
) -> None:
    name, args = action.name, dict(action.args)
    if name == "pause_checkins":
        pause_client(client, now, days=int(args.get("days", 3)))
    elif name == "resume_checkins":
        client.status, client.paused_until = "active", None
    elif name == "stop_checkins":
        client.status = "stopped"
    if name in ("pause_checkins", "resume_checkins", "stop_checkins"):
        audit(
            s,
            now,
            "client",
            f"checkins.{name.split('_')[0]}",
            client=client,
            target=pause_end(client),
        )
    elif name == "show_notes":
        await show_notes(s, batch, client)
    elif name == "notify_therapist":
        topic = str(args.get("topic", "general"))
        who = await client_title(s, client)
        batch.say(
            therapist.telegram_id, f"💬 {who} {TOPICS.get(topic, 'asked you to get in touch')}."
        )
        audit(s, now, "client", f"notify.{topic}", client=client)
    elif name == "safety_event":
        await record_safety_event(s, config, client, therapist, args, now, batch)
    elif name == "show_crisis_resources":
        batch.say(client.chat_id, crisis_text(config, client, therapist))
    elif name == "show_crisis_lines":
        batch.say(client.chat_id, country_lines_text(config, client))
    elif name == "schedule_checkin":
        # The client's own quiet hours (their override, else their therapist's, else the clinic's).
        policy = await load_policy(s, config.followups, client)
        due = outside_quiet_hours(
            now + timedelta(hours=float(args.get("in_hours", 3))),
            policy.quiet_hours,
            client.timezone,
        )
        key = f"checkin:{client.id}:{due.isoformat()}"
        if (await s.exec(select(DueWork.id).where(DueWork.key == key))).first() is None:
            s.add(DueWork(key=key, kind="checkin", client_id=client.id, due_at=due, created_at=now))
    s.add(client)


def snooze_until(choice: str, now: datetime, zone: str, quiet: QuietHours) -> datetime:
    """When a snoozed check-in comes back: in 1 hour, this evening (19:00) or tomorrow (09:00)."""
    local = now.astimezone(ZoneInfo(zone))
    if choice == "eve":
        due = local.replace(hour=19, minute=0, second=0, microsecond=0)
        if due <= local + timedelta(minutes=30):  # evening already here: an hour from now
            due = local + timedelta(hours=1)
    elif choice == "tom":
        due = (local + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    else:
        due = local + timedelta(hours=1)
    return outside_quiet_hours(due.astimezone(now.tzinfo), quiet, zone)


def pause_client(client: Client, now: datetime, days: int) -> None:
    client.status = "paused"
    client.paused_until = now + timedelta(days=max(1, min(days, 60)))


def pause_end(client: Client) -> str | None:
    """The audit target of a pause: until when (the summary lists pauses with their dates)."""
    if client.status != "paused" or client.paused_until is None:
        return None
    return f"until:{client.paused_until.isoformat()}"


def outside_quiet_hours(due: datetime, quiet: QuietHours, zone: str) -> datetime:
    """Move a time that falls in the client's quiet hours to their end (local time), by the
    planner's one rule (`after_quiet_hours`), so a snoozed check-in and a follow-up agree."""
    return after_quiet_hours(due, quiet, ZoneInfo(zone)).astimezone(due.tzinfo)


async def show_notes(s: AsyncSession, batch: Batch, client: Client) -> None:
    notes = (
        await s.exec(
            select(LogEntry)
            .where(LogEntry.client_id == client.id, LogEntry.kind == "session_note")
            .order_by(col(LogEntry.recorded_at))
        )
    ).all()
    if not notes:
        batch.say(client.chat_id, texts.tr(texts.NO_NOTES, client.language))
        return
    lines = [texts.tr(texts.NOTES_TITLE, client.language)]
    buttons = []
    for number, note in enumerate(notes, start=1):
        text = (note.note or "").strip()
        if len(text) > NOTE_PREVIEW_CHARS:
            text = text[:NOTE_PREVIEW_CHARS] + "…"
        lines.append(f"{number}. {html.escape(text)}")
        label = texts.tr(texts.DELETE_NOTE_LABEL, client.language).format(number=number)
        buttons.append((Button(label, f"nd:{note.id}"),))
    batch.say(client.chat_id, "\n".join(lines), tuple(buttons))


async def delete_note(s: AsyncSession, client: Client, note_id: int, now: datetime) -> bool:
    """Delete one of the client's own session notes; another person's note is never touched."""
    note = await s.get(LogEntry, note_id)
    if note is None or note.client_id != client.id or note.kind != "session_note":
        return False
    await s.delete(note)
    audit(s, now, "client", "note.delete", client=client, target=f"log_entry:{note_id}")
    if note.note:
        await forget_text_in_runs(s, client, note.note)
    return True


async def forget_text_in_runs(s: AsyncSession, client: Client, text: str) -> None:
    """A deleted note is gone from the flow runs too (an open run may still hold the answer)."""
    runs = (await s.exec(select(FlowRun).where(FlowRun.client_id == client.id))).all()
    for run in runs:
        cleaned = _without(run.state, text)
        if cleaned != run.state:
            run.state = cleaned
            s.add(run)


def _without(value: Any, text: str) -> Any:
    """`value` with every string equal to `text` (or that `text` was cut from) replaced by None."""
    if isinstance(value, str):
        cut_from = len(text) == MAX_NOTE_CHARS and value.startswith(text)
        return None if value == text or cut_from else value
    if isinstance(value, dict):
        return {k: _without(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_without(v, text) for v in value]
    return value
