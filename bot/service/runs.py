"""Runs of the dialogue engine against the database: start, feed events, apply the effects.

The engine decides; this module does what it asks: stores the run after every step, writes log
entries and settings, schedules timers as due-work rows (so a wait survives a restart), asks
triage, and collects the messages to send once the transaction has committed.
"""

from __future__ import annotations

import html
from collections import deque
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ScalarSelect, bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.dialogue import contracts as c
from bot.dialogue.countries import is_country
from bot.dialogue.engine import advance
from bot.dialogue.liveness import trim
from bot.dialogue.loader import FlowLibrary
from bot.service import texts
from bot.service.actions import MAX_NOTE_CHARS, run_action
from bot.service.alerts import record_triage, result_level
from bot.service.audit import audit
from bot.service.context import flow_context, language_code, therapist_contact
from bot.service.history import triage_and_alert, triage_client
from bot.service.measures import store_score
from bot.service.outgoing import Batch, Send, SetButtons
from bot.storage.core_rows import insert_row, save_changes
from bot.storage.models import Client, DueWork, FlowRun, LogEntry, Therapist

LOG_FIELDS = {
    "distress": int,
    "feelings": list,
    "feelings_other": str,
    "onset": str,
    "harder": list,
    "unable_to_function": bool,
    "partly_unable": bool,
    "note": str,
    "technique": str,
    "helped": bool,
    "distress_before": int,
    "distress_after": int,
    "minutes": int,
    "seconds": int,
    "completed": bool,
    "feeling": str,
    "body_place": str,
}
# A record with any of these runs triage at once (not only at the end of the after-session flow).
TRIAGE_FIELDS = frozenset(
    {
        "distress",
        "distress_before",
        "distress_after",
        "unable_to_function",
        "partly_unable",
        "helped",
        "note",
        "feelings_other",
    }
)
ENDED = "ended"
# Alert levels whose text says what the client was advised ("They were advised to contact you
# now/soon"); a crisis alert says they were shown the crisis lines, which screening did.
ADVISED_LEVELS = ("now", "soon")


# Every client update reads it: built once.
_OPEN_RUN = (
    select(FlowRun)
    .where(FlowRun.client_id == bindparam("client_id"), FlowRun.status != ENDED)
    .order_by(col(FlowRun.id).desc())
)


def open_run_id(client_id: Any) -> ScalarSelect[Any]:
    """The id of the client's open run (the latest not ended), for reading it with the client."""
    runs = aliased(FlowRun)
    return (
        select(func.max(runs.id))
        .where(runs.client_id == client_id, runs.status != ENDED)
        .correlate_except(runs)
        .scalar_subquery()
    )


class Unknown:
    """Not read yet (as opposed to None: read, and there is none)."""


UNKNOWN = Unknown()


class FlowDriver:
    def __init__(self, config: Config, flows: FlowLibrary) -> None:
        self.config = config
        self.flows = flows

    async def active_run(self, s: AsyncSession, client: Client) -> FlowRun | None:
        return (await s.exec(_OPEN_RUN, params={"client_id": client.id})).first()

    async def start(
        self,
        s: AsyncSession,
        batch: Batch,
        client: Client,
        therapist: Therapist,
        flow_id: str,
        now: datetime,
        memory: dict[str, Any] | None = None,
        *,
        open_run: FlowRun | Unknown | None = UNKNOWN,
    ) -> FlowRun:
        """Start `flow_id`, ending (quietly) whatever run was open. `memory`: more for the flow
        to know under memory.<field> (the measures due, for the measures flow). `open_run`: the
        client's open run when the caller read it in this transaction (saves reading it again)."""
        previous = await self.active_run(s, client) if isinstance(open_run, Unknown) else open_run
        if previous is not None and previous.status == ENDED:
            previous = None  # ended earlier in this step: nothing open to close
        if previous is not None:
            self.close_run(batch, client, previous, "replaced", now)
            s.add(previous)
        context = await flow_context(s, self.config, client, therapist)
        if memory:
            context["memory"] = {**context.get("memory", {}), **memory}
        state, effects = advance(self.flows, None, c.Start(flow_id, context), now)
        run = FlowRun(
            client_id=client.id,  # type: ignore[arg-type]
            flow_id=state.flow_id,
            flow_version=state.flow_version,
            step_id=state.step,
            status=state.status,
            state=state.to_json(),
            started_at=now,
            updated_at=now,
        )
        await insert_row(s, run, keep=True)  # its id now, for the prompts' outbox rows
        batch.run_id = run.id
        batch.prompt_messages = {}
        await self._apply(s, batch, client, therapist, run, state, effects, now)
        return run

    async def feed(
        self,
        s: AsyncSession,
        batch: Batch,
        client: Client,
        therapist: Therapist,
        run: FlowRun,
        event: c.Event,
        now: datetime,
    ) -> None:
        batch.run_id = run.id
        batch.prompt_messages = dict(run.prompt_messages or {})
        state = c.RunState.from_json(run.state)
        new_state, effects = advance(self.flows, state, event, now)
        await self._apply(s, batch, client, therapist, run, new_state, effects, now)

    def close_run(
        self, batch: Batch, client: Client, run: FlowRun, reason: str, now: datetime
    ) -> None:
        """End a run outside the engine (replaced, deleted): its open keyboard goes away."""
        run.status = ENDED
        run.ended_at = now
        run.end_reason = reason
        run.updated_at = now
        run.state = forget_answers(run.state)
        # A tap on an ended run's question is stale (its message is no run's open prompt) and
        # gets a short note, so removing these keyboards only tidies: skipped when a message
        # follows in this step (one rate-limited call, not one per question of the old run).
        for message_id in (run.prompt_messages or {}).values():
            batch.items.append(SetButtons(client.chat_id, message_id=message_id, tidy=True))
        run.prompt_messages = {}

    async def _apply(
        self,
        s: AsyncSession,
        batch: Batch,
        client: Client,
        therapist: Therapist,
        run: FlowRun,
        state: c.RunState,
        effects: list[c.Effect],
        now: datetime,
    ) -> None:
        queue: deque[c.Effect] = deque(effects)
        # An alert this step queued that says what the client was advised: where in the batch,
        # and at which level, until the flow's own triage step says it (then it is dropped).
        advice: tuple[int, str] | None = None
        while queue:
            effect = queue.popleft()
            if isinstance(effect, c.Say):
                batch.say(client.chat_id, effect.text, effect.buttons, effect.prompt)
            elif isinstance(effect, c.UpdateButtons):
                batch.items.append(SetButtons(client.chat_id, effect.prompt, None, effect.buttons))
            elif isinstance(effect, c.CloseButtons):
                batch.items.append(SetButtons(client.chat_id, effect.prompt, None, ()))
            elif isinstance(effect, c.StartTimer):
                await self._schedule_timer(s, client, run, effect, now)
            elif isinstance(effect, c.Record):
                await self._record(s, client, run, effect, now)  # written at once: triage reads it
                if TRIAGE_FIELDS & set(effect.fields):  # a rating or an answer triage reads
                    queued_before, batch.alerts_queued = batch.alerts_queued, False
                    result = await triage_and_alert(
                        s, self.config, client, therapist, "record", now, batch
                    )
                    level = result_level(result)
                    if batch.alerts_queued and level in ADVISED_LEVELS and advice is None:
                        advice = (len(batch.items), level)
                    batch.alerts_queued = batch.alerts_queued or queued_before
            elif isinstance(effect, c.Score):
                store_score(s, client, run.id, effect, now)
            elif isinstance(effect, c.UpdateClient):
                self._update_client(s, client, effect.fields, now)
                s.add(client)
            elif isinstance(effect, c.RunTriage):
                advice = None  # the flow's triage step advises the client, in this same step
                result = await triage_client(s, self.config, client, now)
                await record_triage(
                    s, self.config, client, therapist, result, source="flow", now=now, batch=batch
                )
                done = c.TriageDone(
                    result.contact_therapist,
                    result.crisis,
                    result.client_reasons,
                    urgent=result.urgency == "now",
                )
                state, more = advance(self.flows, state, done, now)
                queue.extend(more)
            elif isinstance(effect, c.Action):
                await run_action(s, batch, self.config, client, therapist, effect, now)
            elif isinstance(effect, c.Ended):
                run.ended_at = now
                run.end_reason = effect.reason
        if advice is not None:
            self._advise(batch, client, therapist, *advice)
        # Stored: only the answers a later step still reads (the rest is in the log, or nowhere).
        if state.status == ENDED:
            run.state = forget_answers(state.to_json())
        else:
            run.state = trim(self.flows, state).to_json()
        run.flow_id = state.flow_id
        run.flow_version = state.flow_version
        run.step_id = state.step
        run.status = state.status
        run.updated_at = now
        await save_changes(s, run)

    def _advise(
        self, batch: Batch, client: Client, therapist: Therapist, at: int, level: str
    ) -> None:
        """Tell the client what the alert queued at `at` says they were advised, in this step:
        before the step's next question (after what the flow said about the answer)."""
        text = texts.tr(
            texts.CONTACT_NOW if level == "now" else texts.CONTACT_SOON, client.language
        )
        contact = therapist_contact(self.config, therapist, client.language)
        line = text.format(
            name=html.escape(therapist.name, quote=False),
            contact=html.escape(contact, quote=False),
        )
        question = next(
            (
                i
                for i in range(at, len(batch.items))
                if isinstance(item := batch.items[i], Send) and item.buttons
            ),
            len(batch.items),
        )
        batch.items.insert(question, Send(client.chat_id, line))

    async def _schedule_timer(
        self, s: AsyncSession, client: Client, run: FlowRun, timer: c.StartTimer, now: datetime
    ) -> None:
        key = f"timer:{run.id}:{timer.token}"
        exists = (await s.exec(select(DueWork.id).where(DueWork.key == key))).first()
        if exists is None:
            s.add(
                DueWork(
                    key=key,
                    kind="timer",
                    client_id=client.id,
                    due_at=now + timedelta(seconds=timer.seconds),
                    payload={"run_id": run.id, "token": timer.token},
                    created_at=now,
                    updated_at=now,
                )
            )
            try:
                await s.flush()
            except IntegrityError:  # planned already by a concurrent replica: nothing to do
                await s.rollback()

    async def _record(
        self, s: AsyncSession, client: Client, run: FlowRun, record: c.Record, now: datetime
    ) -> None:
        values: dict[str, Any] = {}
        for name, value in record.fields.items():
            kind = LOG_FIELDS.get(name)
            if kind is None or value is None:
                continue
            values[name] = _coerce(value, kind)
        if isinstance(values.get("note"), str):
            values["note"] = values["note"][:MAX_NOTE_CHARS]
        if record.extra:
            values["extra"] = dict(record.extra)
        assert client.id is not None
        entry = LogEntry(
            client_id=client.id, run_id=run.id, kind=record.entry, recorded_at=now, **values
        )
        await insert_row(s, entry)

    def _update_client(self, s: AsyncSession, client: Client, fields: Any, now: datetime) -> None:
        for name, value in dict(fields).items():
            if name == "consent_checkins":
                client.consent_checkins = bool(value)
                client.consented_at = now if value else None
                audit(
                    s, now, "client", f"consent.checkins.{'yes' if value else 'no'}", client=client
                )
            elif name == "consent_alerts":
                client.consent_alerts = bool(value)
                audit(s, now, "client", f"consent.alerts.{'yes' if value else 'no'}", client=client)
            elif name == "timezone" and _is_zone(value):
                client.timezone = str(value)
            elif name == "country" and is_country(str(value)):
                client.country = str(value)
            elif name == "language":
                code = language_code(str(value), list(self.config.clinic.languages))
                client.language = code or client.language


def forget_answers(state: dict[str, Any]) -> dict[str, Any]:
    """An ended run keeps where it stood, not what was said: the log holds what was recorded.

    The answers, the copied context (names, contacts), the call stack's saved answers and any
    half-made selection go; flow, version, step and times stay (for 'already answered' and audit).
    """
    kept = {k: v for k, v in state.items() if k not in ("answers", "context", "stack", "selection")}
    return {**kept, "answers": {}, "context": {}, "stack": [], "selection": []}


def _is_zone(value: object) -> bool:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _coerce(value: Any, kind: type) -> Any:
    try:
        if kind is bool:
            if isinstance(value, str):
                return value.strip().lower() in ("yes", "true", "1", "y")
            return bool(value)
        if kind is int:
            return int(value)
        if kind is list:
            return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        return str(value)
    except (TypeError, ValueError):
        return None
