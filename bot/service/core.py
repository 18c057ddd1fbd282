"""The service behind every transport: one entry point for what people do, one for due work.

Order of business for a client's message, always: de-duplicate the update, take the chat's turn,
screen any text for crisis FIRST, then commands, then the open flow.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.config import Config
from bot.dialogue import contracts as c
from bot.dialogue.contracts import Button
from bot.dialogue.loader import FlowLibrary
from bot.safety import TriageResult, screen_text
from bot.scheduling.sessions import SessionService
from bot.service import texts
from bot.service.actions import delete_note, pause_client, snooze_until
from bot.service.alerts import record_triage
from bot.service.context import crisis_text
from bot.service.identity import (
    InviteError,
    redeem_invite,
    therapist_by_telegram_id,
)
from bot.service.locks import ChatLocks
from bot.service.outgoing import Batch, Send, SendFile, SetButtons, merge_sends
from bot.service.ports import Incoming, Outbox, RecipientBlockedError
from bot.service.privacy import delete_client, export_client
from bot.service.runs import FlowDriver
from bot.storage.db import Database
from bot.storage.models import Client, DueWork, FlowRun, ProcessedUpdate, Therapist

log = logging.getLogger(__name__)

FLOW_COMMANDS = {
    "checkin": "after_session",
    "log": "log",
    "selfcare": "self_care",
    "sit": "sit_with_it",
    "note": "next_session_note",
    "about": "about",
    "stopping": "thinking_of_stopping",
    "pass": "it_will_pass",
}
# 'I want to stop therapy' and the like, outside a flow, opens the thinking_of_stopping flow.
STOPPING_THERAPY = re.compile(
    r"\b(stop|quit|end|leave|give up|drop out of|done with)\s+(my\s+|the\s+)?(therapy|sessions)\b",
    re.IGNORECASE,
)
DB_ATTEMPTS = 3
# Commands a client who has not finished onboarding may still use.
BEFORE_CONSENT = {"start", "help", "about", "sos", "mydata", "delete"}


class CheckinService:
    def __init__(
        self, config: Config, db: Database, flows: FlowLibrary, outbox: Outbox, clock: Clock
    ) -> None:
        self.config = config
        self.db = db
        self.flows = flows
        self.outbox = outbox
        self.clock = clock
        self.driver = FlowDriver(config, flows)
        self.locks = ChatLocks()
        self.therapist_handler: TherapistHandler | None = None
        self.sessions = SessionService(db, config.followups)

    # ------------------------------------------------------------------ entry points

    async def handle(self, incoming: Incoming) -> None:
        """Handle one update exactly once, in order within its chat; never leave the person unanswered."""
        async with self.locks.hold(incoming.chat_id):
            for attempt in range(1, DB_ATTEMPTS + 1):
                batch = Batch()
                try:
                    async with self.db.session() as s:
                        # The update id is stored in the same transaction as what it changed:
                        # a failure rolls both back, so a retry is not taken for a duplicate.
                        s.add(
                            ProcessedUpdate(
                                update_id=incoming.update_id, processed_at=self.clock.now()
                            )
                        )
                        await s.flush()
                        await self._route(s, batch, incoming)
                    break
                except IntegrityError:
                    log.info(
                        "update %s was delivered again; handled once already", incoming.update_id
                    )
                    return
                except OperationalError as exc:  # e.g. a database busy past its timeout
                    log.warning(
                        "update %s: database error %s (attempt %d)",
                        incoming.update_id,
                        type(exc).__name__,
                        attempt,
                    )
                    if attempt == DB_ATTEMPTS:
                        batch = self._apology(incoming)
                    else:
                        await asyncio.sleep(0.2 * attempt)
                except Exception as exc:
                    log.error("update %s failed: %s", incoming.update_id, type(exc).__name__)
                    batch = self._apology(incoming)
                    break
            await self.flush(batch)

    def _apology(self, incoming: Incoming) -> Batch:
        batch = Batch()
        batch.say(incoming.chat_id, texts.SORRY)
        return batch

    async def flush(self, batch: Batch) -> dict[str, int]:
        """Send what a handler decided, then remember which message carries which prompt."""
        prompts = dict(batch.prompt_messages)
        blocked: set[int] = set()
        for item in merge_sends(batch.items):
            if item.chat_id in blocked:
                continue
            try:
                if isinstance(item, Send):
                    message_id = await self.outbox.send(item.chat_id, item.text, item.buttons)
                    if item.prompt is not None:
                        prompts[str(item.prompt)] = message_id
                elif isinstance(item, SetButtons):
                    target = item.message_id
                    if target is None and item.prompt is not None:
                        target = prompts.get(str(item.prompt))
                    if target is not None:
                        await self.outbox.set_buttons(item.chat_id, target, item.buttons)
                elif isinstance(item, SendFile):
                    await self.outbox.send_document(
                        item.chat_id, item.filename, item.content, item.caption
                    )
            except RecipientBlockedError:
                blocked.add(item.chat_id)
            except Exception as exc:  # one failed send must not stop the others (the crisis text)
                log.warning("send to chat %s failed: %s", item.chat_id, type(exc).__name__)
        if batch.run_id is not None and prompts != batch.prompt_messages:
            async with self.db.session() as s:
                await s.exec(
                    update(FlowRun)
                    .where(col(FlowRun.id) == batch.run_id)
                    .values(prompt_messages=prompts)
                )
        for chat_id in blocked:
            await self.mark_unreachable(chat_id)
        return prompts

    async def mark_unreachable(self, chat_id: int) -> None:
        async with self.db.session() as s:
            client = (await s.exec(select(Client).where(Client.chat_id == chat_id))).first()
            if client is not None and client.status != "unreachable":
                client.status = "unreachable"
                s.add(client)
                log.info("client %s blocked the bot; check-ins stop", client.id)

    # ------------------------------------------------------------------ routing

    async def _route(self, s: AsyncSession, batch: Batch, incoming: Incoming) -> None:
        found = (
            await s.exec(
                select(Client, Therapist)
                .join(Therapist, col(Therapist.id) == Client.therapist_id)
                .where(Client.telegram_id == incoming.user_id)
            )
        ).first()
        therapist = None if found else await therapist_by_telegram_id(s, incoming.user_id)
        if therapist is not None:
            if incoming.callback_id:
                await self.outbox.answer_tap(incoming.callback_id)
            if self.therapist_handler is not None:
                await self.therapist_handler.handle(s, batch, therapist, incoming)
            else:
                batch.say(incoming.chat_id, texts.BLOCKED_ELSEWHERE)
            return
        if found is None:
            await self._stranger(s, batch, incoming)
            return
        client, therapist = found
        if client.status == "unreachable":  # they wrote again, so they unblocked us
            client.status = "active"
            s.add(client)
        await self._client(s, batch, client, therapist, incoming)

    async def _stranger(self, s: AsyncSession, batch: Batch, incoming: Incoming) -> None:
        code = incoming.text.strip() if incoming.command == "start" else ""
        if not code:
            batch.say(incoming.chat_id, texts.STRANGER)
            return
        now = self.clock.now()
        try:
            language = incoming.language_code if incoming.language_code else ""
            client = await redeem_invite(
                s,
                code,
                telegram_id=incoming.user_id,
                chat_id=incoming.chat_id,
                first_name=incoming.first_name[:64],
                language=language
                if language in self.config.clinic.languages
                else self.config.clinic.default_language,
                timezone=self.config.clinic.timezone,
                now=now,
            )
        except InviteError as exc:
            batch.say(incoming.chat_id, html.escape(str(exc)))
            return
        therapist = await s.get(Therapist, client.therapist_id)
        assert therapist is not None
        await self.driver.start(s, batch, client, therapist, "onboarding", now)

    async def _client(
        self,
        s: AsyncSession,
        batch: Batch,
        client: Client,
        therapist: Therapist,
        incoming: Incoming,
    ) -> None:
        now = self.clock.now()
        run = await self.driver.active_run(s, client)
        # Safety first: any words the client sends are screened before anything else happens.
        words = incoming.text if incoming.kind != "tap" else ""
        screened = screen_text(words) if words else None
        if screened is not None and screened.level == "crisis":
            await self._crisis(s, batch, client, therapist, run, screened.reasons, now)
            return
        if incoming.kind == "edited":
            return  # an edited message is screened (above) but never answers a question twice
        if incoming.kind == "tap":
            await self._tap(s, batch, client, therapist, run, incoming, now)
        elif incoming.kind == "command":
            await self._command(s, batch, client, therapist, run, incoming, now)
        elif incoming.kind == "unsupported":
            if run is not None:
                await self.driver.feed(
                    s,
                    batch,
                    client,
                    therapist,
                    run,
                    c.Unsupported(incoming.unsupported or "other"),
                    now,
                )
            else:
                batch.say(client.chat_id, texts.ONLY_TEXT)
        elif run is not None:
            await self.driver.feed(s, batch, client, therapist, run, c.Text(incoming.text), now)
        elif client.consent_checkins and screened is not None and screened.level == "concern":
            buttons = tuple(Button(label, data) for label, data in texts.CONCERN_LABELS)
            batch.say(client.chat_id, texts.CONCERN, (buttons,))
        elif client.consent_checkins and STOPPING_THERAPY.search(incoming.text):
            await self.driver.start(s, batch, client, therapist, "thinking_of_stopping", now)
        elif not client.consent_checkins:
            batch.say(client.chat_id, texts.FINISH_SETUP)
        else:
            batch.say(client.chat_id, texts.NOTHING_OPEN)

    async def _crisis(
        self,
        s: AsyncSession,
        batch: Batch,
        client: Client,
        therapist: Therapist,
        run: FlowRun | None,
        reasons: tuple[str, ...],
        now: datetime,
    ) -> None:
        """Crisis resources at once; the open flow waits, and can be resumed later."""
        buttons: c.Keyboard = ()
        if run is not None:
            await self.driver.feed(s, batch, client, therapist, run, c.Interrupt(), now)
            # The engine's own lines for an interrupt would come before the resources: drop them.
            batch.items = [i for i in batch.items if not isinstance(i, Send)]
            buttons = ((Button(texts.RESUME_LABEL, "r:resume"),),)
        batch.say(client.chat_id, crisis_text(self.config, client, therapist), buttons)
        result = TriageResult(contact_therapist=True, crisis=True, reasons=("crisis",), details=())
        await record_triage(
            s, batch, self.config, client, therapist, result, source="screening", now=now
        )
        log.info("crisis screening matched for client %s (%s)", client.id, ",".join(reasons))

    async def _tap(
        self,
        s: AsyncSession,
        batch: Batch,
        client: Client,
        therapist: Therapist,
        run: FlowRun | None,
        incoming: Incoming,
        now: datetime,
    ) -> None:
        data = incoming.data or ""
        if incoming.callback_id:
            await self.outbox.answer_tap(incoming.callback_id)
        if data[:1].isdigit():
            prompt = data.split(":", 1)[0]
            current = (run.prompt_messages or {}).get(prompt) if run is not None else None
            if run is None or current != incoming.message_id:
                # A button from an older message: never applied to the current step.
                if incoming.message_id is not None:
                    batch.items.append(SetButtons(client.chat_id, message_id=incoming.message_id))
                return
            await self.driver.feed(s, batch, client, therapist, run, c.Tap(data), now)
            return
        if incoming.message_id is not None:
            batch.items.append(SetButtons(client.chat_id, message_id=incoming.message_id))
        await self._host_button(s, batch, client, therapist, run, data, now)

    async def _host_button(
        self,
        s: AsyncSession,
        batch: Batch,
        client: Client,
        therapist: Therapist,
        run: FlowRun | None,
        data: str,
        now: datetime,
    ) -> None:
        """Buttons the service itself sends (not the engine): resume, pause, stop, delete, notes."""
        kind, _, arg = data.partition(":")
        if kind == "r":
            if run is not None and run.status == "interrupted":
                await self.driver.feed(s, batch, client, therapist, run, c.Resume(), now)
            else:
                batch.say(client.chat_id, texts.NOTHING_TO_RESUME)
        elif kind == "p" and arg.isdigit():
            pause_client(client, now, int(arg))
            s.add(client)
            batch.say(
                client.chat_id, texts.PAUSED.format(until=self._local(client, client.paused_until))
            )
        elif kind == "sc":
            if arg == "yes":
                client.status = "stopped"
                s.add(client)
                batch.say(client.chat_id, texts.STOPPED_CHECKINS)
            else:
                batch.say(client.chat_id, texts.KEPT)
        elif kind == "del":
            if arg == "yes":
                if run is not None:
                    self.driver.close_run(batch, client, run, "deleted", now)
                chat_id = client.chat_id
                await delete_client(s, client, now)
                batch.say(chat_id, texts.DELETED)
            else:
                batch.say(client.chat_id, texts.KEPT)
        elif kind == "nd" and arg.isdigit():
            gone = await delete_note(s, client, int(arg))
            batch.say(client.chat_id, texts.NOTE_DELETED if gone else texts.NOTE_GONE)
        elif kind == "z":
            due = snooze_until(arg, now, client.timezone, self.config.followups.quiet_hours)
            if run is not None and run.flow_id == "after_session":
                self.driver.close_run(batch, client, run, "snoozed", now)
                s.add(run)
            key = f"snooze:{client.id}:{due.isoformat()}"
            if (await s.exec(select(DueWork.id).where(DueWork.key == key))).first() is None:
                s.add(
                    DueWork(
                        key=key, kind="checkin", client_id=client.id, due_at=due, created_at=now
                    )
                )
            batch.say(client.chat_id, texts.SNOOZED.format(when=self._local(client, due)))
        elif kind == "sos":
            batch.say(client.chat_id, crisis_text(self.config, client, therapist))
        elif kind == "go" and arg in self.flows.flows:
            await self.driver.start(s, batch, client, therapist, arg, now)

    async def _command(
        self,
        s: AsyncSession,
        batch: Batch,
        client: Client,
        therapist: Therapist,
        run: FlowRun | None,
        incoming: Incoming,
        now: datetime,
    ) -> None:
        name = incoming.command or ""
        chat = client.chat_id
        if not client.consent_checkins and name not in BEFORE_CONSENT:
            if run is not None and run.flow_id == "onboarding":
                await self.driver.feed(s, batch, client, therapist, run, c.Repeat(), now)
            else:
                batch.say(chat, texts.FINISH_SETUP)
            return
        if name == "start":
            if client.consent_checkins:
                batch.say(chat, texts.CLIENT_HELP)
            else:
                await self.driver.start(s, batch, client, therapist, "onboarding", now)
        elif name == "help":
            batch.say(chat, texts.CLIENT_HELP)
            if run is not None and run.status != "interrupted":
                await self.driver.feed(s, batch, client, therapist, run, c.Repeat(), now)
        elif name == "sos":
            batch.say(chat, crisis_text(self.config, client, therapist))
        elif name in FLOW_COMMANDS:
            await self.driver.start(s, batch, client, therapist, FLOW_COMMANDS[name], now)
        elif name == "stop":
            if run is not None:
                await self.driver.feed(s, batch, client, therapist, run, c.Stop(), now)
            else:
                yes_no = ((Button("Stop check-ins", "sc:yes"), Button("Keep them", "sc:no")),)
                batch.say(chat, texts.STOP_ASK, yes_no)
        elif name == "pause":
            days = ((Button("1 day", "p:1"), Button("3 days", "p:3"), Button("1 week", "p:7")),)
            batch.say(chat, texts.PAUSE_ASK, days)
        elif name == "resume":
            client.status, client.paused_until = "active", None
            s.add(client)
            batch.say(chat, texts.RESUMED)
            if run is not None and run.status == "interrupted":
                await self.driver.feed(s, batch, client, therapist, run, c.Resume(), now)
        elif name == "next":
            batch.say(chat, await self._next_checkin(s, client, now))
        elif name == "mydata":
            content = await export_client(s, client, now)
            batch.items.append(
                SendFile(chat, "checkin-my-data.json", content, texts.EXPORT_CAPTION)
            )
        elif name == "delete":
            yes_no = ((Button("Yes, delete all", "del:yes"), Button("No, keep it", "del:no")),)
            batch.say(chat, texts.DELETE_ASK, yes_no)
        elif name == "aftersession":
            await self._after_session(s, batch, client, therapist, now)
        else:
            batch.say(chat, texts.NOTHING_OPEN)

    async def _after_session(
        self, s: AsyncSession, batch: Batch, client: Client, therapist: Therapist, now: datetime
    ) -> None:
        assert client.id is not None
        await s.commit()  # the session service writes in its own transaction
        await self.sessions.client_aftersession(client.id, now)
        await self.driver.start(s, batch, client, therapist, "after_session", now)

    async def _next_checkin(self, s: AsyncSession, client: Client, now: datetime) -> str:
        due = (
            await s.exec(
                select(DueWork.due_at)
                .where(
                    DueWork.client_id == client.id,
                    col(DueWork.kind).in_(("followup", "checkin")),
                    DueWork.status == "pending",
                    DueWork.due_at >= now,
                )
                .order_by(col(DueWork.due_at))
            )
        ).first()
        if due is None or client.status in ("paused", "stopped"):
            return texts.NO_NEXT
        return texts.NEXT.format(when=self._local(client, due))

    def _local(self, client: Client, when: datetime | None) -> str:
        if when is None:
            return "-"
        return when.astimezone(ZoneInfo(client.timezone)).strftime("%a %d %b, %H:%M")


class TherapistHandler(Protocol):
    """The therapists' command handler (bot.service.therapists.TherapistCommands)."""

    async def handle(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming
    ) -> None: ...
