"""The service behind every transport: one entry point for what people do, one for due work.

Order of business for any update: take the chat's turn, store the update id (once only), route
it, and store what it sends in the outbox, all in one transaction; deliver after the commit.
Routing: therapists to their commands, strangers to the invite, clients to `ClientTurns` (crisis
screening FIRST, then taps, commands and the open flow).
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from sqlalchemy import bindparam, func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.config import Config
from bot.dialogue.loader import FlowLibrary
from bot.safety import screen_text
from bot.scheduling.sessions import SessionService
from bot.service import texts
from bot.service.clients import ClientTurns
from bot.service.context import client_country, crisis_text
from bot.service.history import know_triage_override, therapist_default
from bot.service.identity import (
    InviteError,
    redeem_invite,
    therapist_by_telegram_id,
)
from bot.service.inbox import mark_done, take_head
from bot.service.locks import ChatLocks
from bot.service.outbox import OutboxSender, OutboxSettings, queue
from bot.service.outgoing import Batch, Send, merge_sends
from bot.service.ports import BotApi, Incoming
from bot.service.runs import FlowDriver, open_run_id
from bot.service.turn import Turn
from bot.storage.db import Database, run_core
from bot.storage.models import (
    Client,
    FlowRun,
    OutboxMessage,
    PolicyOverride,
    ProcessedUpdate,
    Therapist,
)
from bot.storage.transient import DB_ATTEMPTS, is_transient_db_error, retry_delay

log = logging.getLogger(__name__)

MAX_REMEMBERED = 100_000  # clients whose country is kept in memory (about 10 MB at most)
# Step transactions in flight at once: more would only wait for a database connection (the
# PostgreSQL pool holds 15; SQLite takes turns anyway). Deliveries are outside this bound: one
# waiting for a chat's pacing must not hold up other people's steps.
STEP_CONCURRENCY = 8


# Every step runs it: built once (a Core INSERT, no unit of work for a row nothing reads back).
_PROCESSED = insert(ProcessedUpdate).values(
    update_id=bindparam("done_id"), processed_at=bindparam("done_at")
)


# A client's step reads, in one statement: the client, their therapist, their open run (if
# any) and the therapist's own triage thresholds (if any; triage reads them on most steps).
_CLIENT_TURN = (
    select(Client, Therapist, FlowRun, PolicyOverride.triage)
    .join(Therapist, col(Therapist.id) == Client.therapist_id)
    .outerjoin(FlowRun, col(FlowRun.id) == open_run_id(Client.id))
    .outerjoin(PolicyOverride, therapist_default(Client.therapist_id))
    .where(Client.telegram_id == bindparam("user_id"))
)


class DuplicateUpdateError(Exception):
    """This update id was handled before (Telegram delivered it again)."""


class CheckinService:
    def __init__(
        self,
        config: Config,
        db: Database,
        flows: FlowLibrary,
        api: BotApi,
        clock: Clock,
        *,
        worker_id: str = "bot",
        outbox: OutboxSettings | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.flows = flows
        self.api = api
        self.clock = clock
        self.sender = OutboxSender(db, api, clock, worker_id, outbox)
        self.driver = FlowDriver(config, flows)
        self.locks = ChatLocks()
        self._steps = asyncio.Semaphore(STEP_CONCURRENCY)
        self.therapist_handler: TherapistHandler | None = None
        self.on_alert: Callable[[], Awaitable[object]] | None = None  # the dispatcher's tick
        self.sessions = SessionService(db, config.followups)
        self.clients = ClientTurns(config, flows, self.sessions)
        # Each client's country and language as last read from the database, so a crisis text
        # while the database is down still shows their own lines (never another country's).
        self.remembered: dict[int, tuple[str | None, str]] = {}

    # ------------------------------------------------------------------ entry points

    async def handle(self, incoming: Incoming, *, stored: bool = False) -> bool:
        """Handle one update exactly once, in order within its chat; never leave the person unanswered.

        `stored`: the update is in the inbox; this step takes its row (False when it is not its
        chat's first pending one, or another replica has it) and marks it done when it commits.
        An alert queued by the update goes out right after (outside the chat's lock), through the
        dispatcher like every alert, so its delivery is recorded and retried.
        """
        ours, batch = await self._handle_in_order(incoming, stored)
        if batch is not None and batch.alerts_queued and self.on_alert is not None:
            await self.on_alert()
        return ours

    async def _handle_in_order(self, incoming: Incoming, stored: bool) -> tuple[bool, Batch | None]:
        async with self.locks.hold(incoming.chat_id):
            helped = False  # the crisis lines went out while the database was away
            rows: list[OutboxMessage] = []
            for attempt in range(1, DB_ATTEMPTS + 1):
                batch = Batch()
                try:
                    async with self._steps, self.db.session() as s:
                        known_busy: dict[int, bool] = {}
                        if stored:
                            taken = await take_head(
                                s,
                                incoming.update_id,
                                incoming.chat_id,
                                self.db.is_sqlite,
                                self.clock.now(),
                            )
                            if taken is None:
                                return False, None
                            if taken.outbox_busy is not None:  # read by the take (SQLite)
                                known_busy[incoming.chat_id] = taken.outbox_busy
                        if not self.db.is_sqlite:
                            # Replicas (webhook mode, one PostgreSQL) take one chat's updates
                            # one at a time too: the lock lasts until this transaction ends.
                            await s.exec(select(func.pg_advisory_xact_lock(incoming.chat_id)))
                        # The update id is stored in the same transaction as what it changed:
                        # a failure rolls both back, so a retry is not taken for a duplicate.
                        params = {"done_id": incoming.update_id, "done_at": self.clock.now()}
                        try:
                            await run_core(s, _PROCESSED, params)
                        except IntegrityError:
                            raise DuplicateUpdateError(incoming.update_id) from None
                        await self._route(s, batch, incoming)
                        # What the step sends is stored with what it changed (the outbox).
                        rows = await self.queue(s, batch, known_busy=known_busy)
                        if stored and incoming.chat_id in batch.forget_chats:
                            # Taken (marked done) above; for someone this very update erased,
                            # the row goes altogether.
                            await mark_done(s, incoming.update_id, self.clock.now(), forget=True)
                    break
                except DuplicateUpdateError:
                    log.info(
                        "update %s was delivered again; handled once already", incoming.update_id
                    )
                    if stored:
                        async with self.db.session() as s:
                            await mark_done(s, incoming.update_id, self.clock.now(), "duplicate")
                    return True, None
                except Exception as exc:
                    if attempt < DB_ATTEMPTS and is_transient_db_error(exc):
                        # Busy, restarting or a dropped connection: the transaction rolled back,
                        # so the whole update is tried again (the person waits, nothing is lost).
                        log.warning(
                            "update %s: database unavailable (%s), attempt %d",
                            incoming.update_id,
                            type(exc).__name__,
                            attempt,
                        )
                        if not helped:  # a crisis never waits for the database to come back
                            await self.send_direct(self._help_now(incoming))
                            helped = True
                        await asyncio.sleep(retry_delay(attempt))
                        continue
                    log.error("update %s failed: %s", incoming.update_id, type(exc).__name__)
                    batch, rows = await self._apologise(
                        incoming, with_help=not helped, stored=stored, error=type(exc).__name__
                    )
                    break
            await self.send_now(batch, rows)
            return True, batch

    async def queue(
        self,
        s: AsyncSession,
        batch: Batch,
        work_id: int | None = None,
        known_busy: Mapping[int, bool] | None = None,
    ) -> list[OutboxMessage]:
        """Write what `batch` sends into the outbox, in the caller's transaction."""
        return await queue(
            s,
            batch,
            now=self.clock.now(),
            worker_id=self.sender.worker_id,
            settings=self.sender.settings,
            work_id=work_id,
            known_busy=known_busy,
        )

    async def send_now(self, batch: Batch, rows: list[OutboxMessage]) -> None:
        """After the commit: stop the tapped button's spinner, then deliver the step's rows."""
        if not batch.tap_answers:
            await self.sender.deliver(rows)
            return
        # The spinner's stop and the answer go out side by side: neither waits for the other.
        answers = [self.api.answer_tap(cid, note) for cid, note in batch.tap_answers]
        await asyncio.gather(*answers, self.sender.deliver(rows))

    async def _apologise(
        self, incoming: Incoming, *, with_help: bool, stored: bool, error: str
    ) -> tuple[Batch, list[OutboxMessage]]:
        """When handling failed: say so (through the outbox when the database lets us)."""
        batch = self._apology(incoming, with_help=with_help)
        try:
            async with self.db.session() as s:
                if stored:  # handled, badly: not taken again (the person got the apology)
                    await mark_done(s, incoming.update_id, self.clock.now(), error)
                return batch, await self.queue(s, batch)
        except Exception as exc:
            # The database is away: the apology goes out directly, unrecorded, rather than never.
            log.error("update %s: apology not stored (%s)", incoming.update_id, type(exc).__name__)
            await self.send_direct(batch)
            return Batch(tap_answers=batch.tap_answers), []

    async def send_direct(self, batch: Batch) -> None:
        """Send without the database (it is away): only for the crisis lines and the apology.

        Nothing is recorded, so this is never used for what the database could hold.
        """
        for item in merge_sends(batch.items):
            if isinstance(item, Send):
                try:
                    await self.api.send(item.chat_id, item.text, item.buttons)
                except Exception as exc:  # one failed send must not stop the others
                    log.error("direct send to chat %s failed: %s", item.chat_id, type(exc).__name__)

    def _help_now(self, incoming: Incoming) -> Batch:
        """The crisis lines at once if the words signal danger (empty otherwise)."""
        batch = Batch()
        screened = screen_text(incoming.text) if incoming.kind != "tap" else None
        if screened is not None and screened.level == "crisis":
            # Without the database: the client's country if we remember it, else the
            # international fallback (112 and a directory), never another country's numbers.
            language = incoming.language_code or self.config.clinic.default_language
            country, language = self.remembered.get(incoming.user_id, (None, language))
            kind = screened.response_kind or "suicidal"
            text = crisis_text(self.config, None, None, kind, country=country, language=language)
            batch.say(incoming.chat_id, text)
        return batch

    def _apology(self, incoming: Incoming, *, with_help: bool = True) -> Batch:
        """When handling failed: say so, and if the words signal danger, still show help."""
        batch = self._help_now(incoming) if with_help else Batch()
        batch.answer_tap(incoming.callback_id)
        language = incoming.language_code or self.config.clinic.default_language
        _, language = self.remembered.get(incoming.user_id, (None, language))
        batch.say(incoming.chat_id, texts.tr(texts.SORRY, language))
        return batch

    # ------------------------------------------------------------------ routing

    async def _route(self, s: AsyncSession, batch: Batch, incoming: Incoming) -> None:
        found = (await s.exec(_CLIENT_TURN, params={"user_id": incoming.user_id})).first()
        therapist = None if found else await therapist_by_telegram_id(s, incoming.user_id)
        if therapist is not None:
            batch.answer_tap(incoming.callback_id)
            if self.therapist_handler is not None:
                await self.therapist_handler.handle(s, batch, therapist, incoming)
            else:
                batch.say(
                    incoming.chat_id,
                    texts.tr(texts.BLOCKED_ELSEWHERE, incoming.language_code or "en"),
                )
            return
        if found is None:
            await self._stranger(s, batch, incoming)
            return
        client, therapist, run, own_triage = found
        know_triage_override(s, client.therapist_id, own_triage)
        self.remember(client)
        if client.status == "unreachable":  # they wrote again, so they unblocked us
            client.status = "active"
            s.add(client)
        turn = Turn(s, batch, client, therapist, run, self.clock.now(), self.driver)
        await self.clients.handle(turn, incoming)
        self.remember(client)  # again: /country or onboarding may have just changed it

    def remember(self, client: Client) -> None:
        if len(self.remembered) >= MAX_REMEMBERED and client.telegram_id not in self.remembered:
            self.remembered.pop(next(iter(self.remembered)))  # the oldest entry
        self.remembered[client.telegram_id] = (client_country(self.config, client), client.language)

    async def _stranger(self, s: AsyncSession, batch: Batch, incoming: Incoming) -> None:
        # Someone we do not know (never invited, or erased by /delete) may be in danger too:
        # their words are screened like a client's, and /sos always gives the lines.
        language = incoming.language_code or self.config.clinic.default_language
        if incoming.command == "sos":
            batch.say(
                incoming.chat_id,
                crisis_text(self.config, None, None, opened_by_client=True, language=language),
            )
            return
        help_now = self._help_now(incoming)
        if help_now.items:
            batch.items.extend(help_now.items)
            return
        code = incoming.text.strip() if incoming.command == "start" else ""
        if not code:
            batch.say(incoming.chat_id, texts.tr(texts.STRANGER, incoming.language_code or "en"))
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


class TherapistHandler(Protocol):
    """The therapists' command handler (bot.service.therapists.TherapistCommands)."""

    async def handle(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming
    ) -> None: ...
