"""/measures: a therapist schedules the PHQ-9 and GAD-7 for one client or as their default.

/measures                                 -> the default in force, and how to set it
/measures Sam                             -> Sam's schedule and when the next one comes
/measures Sam phq9,gad7 every 2 weeks     -> fortnightly, the evening before the session
/measures default gad7 weekly fixed       -> every client, weekly on this weekday
/measures Sam off                         -> none for Sam, whatever the default
"""

from __future__ import annotations

import html
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.dialogue.loader import FlowLibrary
from bot.dialogue.scoring import measure_flows
from bot.measures.schedule import MEASURE, MeasurePlan
from bot.measures.words import USAGE, read_measure_words
from bot.scheduling.measures import plan_in_force, therapist_default
from bot.scheduling.sessions import SessionService
from bot.service.audit import audit, therapist_actor
from bot.service.clients import local_time
from bot.service.identity import find_client_of
from bot.service.outgoing import Batch
from bot.service.ports import Incoming
from bot.service.therapists import TherapistCommands
from bot.storage.models import Client, DueWork, Therapist

DEFAULT_WORDS = ("default", "all", "everyone")


def register_measure_commands(
    commands: TherapistCommands, sessions: SessionService, flows: FlowLibrary
) -> None:
    commands.extra["measures"] = MeasureCommands(sessions, flows).measures


class MeasureCommands:
    def __init__(self, sessions: SessionService, flows: FlowLibrary) -> None:
        self.sessions = sessions
        self.flows = flows

    async def measures(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        chat, words = incoming.chat_id, incoming.text.split()
        known = measure_flows(self.flows.flows)
        assert therapist.id is not None
        if not words:
            default = await _default(s, therapist.id)
            shown = default.describe() if default and default.measures else "none"
            batch.say(chat, f"Your default measures: {html.escape(shown)}.\n{USAGE}")
            return
        client = None
        if words[0].lower() not in DEFAULT_WORDS:
            client = await find_client_of(s, therapist, words[0])
        if len(words) == 1:
            if client is not None:  # a read of the client's data, audited like /summary
                audit(s, now, therapist_actor(therapist), "measures.read", client=client)
            batch.say(chat, await _describe(s, therapist, client, now))
            return
        wanted = read_measure_words(words[1:], known)
        await s.commit()  # the session service writes (and re-plans) in its own transactions
        await self.sessions.set_measures(
            therapist.id,
            wanted.measures,
            known,
            now,
            client_id=client.id if client else None,
            every_weeks=wanted.every_weeks,
            anchor=wanted.anchor,
        )
        batch.say(chat, await _describe(s, therapist, client, now))


async def _default(s: AsyncSession, therapist_id: int) -> MeasurePlan | None:
    return await therapist_default(s, therapist_id)


async def _describe(
    s: AsyncSession, therapist: Therapist, client: Client | None, now: datetime
) -> str:
    if client is None:
        assert therapist.id is not None
        default = await _default(s, therapist.id)
        shown = default.describe() if default and default.measures else "none"
        return f"Your default measures (every client without their own): {html.escape(shown)}."
    plan, source = await plan_in_force(s, client)
    name = html.escape(client.first_name or str(client.telegram_id))
    if plan is None or not plan.measures:
        return f"No measures for {name}."
    whose = "their own" if source == "client" else "your default"
    due = (
        await s.exec(
            select(DueWork.due_at)
            .where(
                DueWork.client_id == client.id,
                DueWork.kind == MEASURE,
                DueWork.status == "pending",
                col(DueWork.due_at) >= now,
            )
            .order_by(col(DueWork.due_at))
        )
    ).first()
    when = local_time(client, due) if due else "not planned yet (no session in a measure week)"
    return f"Measures for {name} ({whose}): {html.escape(plan.describe())}.\nNext: {when}."
