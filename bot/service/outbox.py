"""The transactional outbox: what a step sends is stored with the step, then delivered.

A reply sent after the commit is lost if the process dies in between; one sent before the commit
may describe a change that was rolled back. So `queue()` writes each Bot API call of a step into
`outbox_message` inside the step's own transaction, and `OutboxSender` delivers after the commit:

- Order: a chat's rows go out strictly in id order; a row is taken only while no earlier row of
  its chat is unfinished.
- Fast path: when the chat has nothing unfinished, the step's rows are inserted already claimed
  by this worker and `deliver()` sends them right after the commit (no polling delay).
- Everything else (retries, rows a dead process left) is claimed by `drain()`, which a background
  loop runs: FOR UPDATE SKIP LOCKED on PostgreSQL, one UPDATE ... RETURNING on SQLite.
- Retries: network errors, 5xx and 429 make the row wait (exponential backoff with jitter, or
  Telegram's retry_after plus jitter) until it is delivered or its deadline passes; then it is
  `failed`, logged at ERROR with its ids, and the due work it carried is `failed` too.
- Delivered: status `sent` with Telegram's message id, the flow run learns which message carries
  which prompt, and due work becomes `sent` once all of its rows are; the text is emptied.
- Crash: a row whose sender died is claimed again when its lease runs out. Telegram may already
  have accepted it, so that claim may duplicate it once; it is counted in `resends` and logged.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, exists, func, insert, or_, text, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.dialogue.contracts import Button, Keyboard
from bot.service.drawings import Drawing, drawing_from_json, drawing_json, render
from bot.service.outgoing import (
    Batch,
    Outgoing,
    Send,
    SendFile,
    SendPhoto,
    SetButtons,
    merge_sends,
)
from bot.service.ports import (
    SCHEDULED_SEND,
    BotApi,
    ChatNotFoundError,
    RecipientBlockedError,
    SendFailedError,
    SendRejectedError,
)
from bot.storage.db import Database, run_core
from bot.storage.models import Client, DueWork, FlowRun, OutboxMessage
from bot.storage.sealing import new_uid, seal

log = logging.getLogger(__name__)

UNFINISHED = ("pending", "sending")


@dataclass(frozen=True)
class OutboxSettings:
    lease: timedelta = timedelta(minutes=5)  # longer than one call with its in-call retries
    deadline: timedelta = timedelta(hours=1)  # after this a message is failed, not sent late
    retry_base: timedelta = timedelta(seconds=2)
    retry_max: timedelta = timedelta(minutes=2)
    batch: int = 200  # rows claimed per drain round
    idle_seconds: float = 1.0  # how often the background loop looks for leftovers


# ---- what one call came to ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Done:
    message_id: int | None


@dataclass(frozen=True)
class _Later:
    reason: str
    retry_after: float | None = None


@dataclass(frozen=True)
class _Never:
    reason: str  # blocked, or rejected as malformed


_Result = _Done | _Later | _Never


# ---- writing: inside the step's transaction ----------------------------------------------------
def _keyboard_json(buttons: Keyboard) -> list[list[list[str]]]:
    # [label, data], plus the kind for buttons that open something (web_app, url).
    return [
        [[b.label, b.data] if b.kind == "callback" else [b.label, b.data, b.kind] for b in row]
        for row in buttons
    ]


def _keyboard(data: Any) -> Keyboard:
    return tuple(tuple(Button(*button) for button in row) for row in data or ())


def _row_fields(item: Outgoing, batch: Batch) -> dict[str, Any]:
    if isinstance(item, Send):
        return {
            "kind": "send",
            "payload": {"text": item.text, "buttons": _keyboard_json(item.buttons)},
            "run_id": batch.run_id if item.prompt is not None else None,
            "prompt": item.prompt,
        }
    if isinstance(item, SetButtons):
        target = item.message_id
        if target is None and item.prompt is not None:
            target = batch.prompt_messages.get(str(item.prompt))
        return {
            "kind": "buttons",
            "payload": {"message_id": target, "buttons": _keyboard_json(item.buttons)},
            # Unresolved here (its question is still in the outbox): resolved when sent.
            "run_id": batch.run_id if target is None else None,
            "prompt": item.prompt if target is None else None,
        }
    assert isinstance(item, SendPhoto | SendFile)
    return {
        "kind": "photo" if isinstance(item, SendPhoto) else "document",
        "payload": {"filename": item.filename, "caption": item.caption, **_content(item.content)},
    }


def _content(content: bytes | Drawing) -> dict[str, Any]:
    """Bytes as base64; a drawing as what to draw (drawn by the sender, after the commit)."""
    if isinstance(content, bytes):
        return {"content": base64.b64encode(content).decode("ascii")}
    return {"drawing": drawing_json(content)}


async def _bytes(payload: dict[str, Any]) -> bytes:
    if "drawing" in payload:
        return await render(drawing_from_json(payload["drawing"]))
    return base64.b64decode(payload["content"])


async def queue(
    s: AsyncSession,
    batch: Batch,
    *,
    now: datetime,
    worker_id: str,
    settings: OutboxSettings,
    work_id: int | None = None,
    known_busy: Mapping[int, bool] | None = None,
) -> list[OutboxMessage]:
    """Store what `batch` sends, in the caller's transaction; return the rows in order.

    Rows of a chat with nothing unfinished come back claimed by `worker_id` (status `sending`):
    the caller passes them to `OutboxSender.deliver` after the commit. `known_busy`: chats whose
    unfinished rows the caller already read in this transaction, when nothing else can have
    changed them since (the inbox's take on SQLite); the others are read here.
    """
    items = merge_sends(batch.items)
    if not items:
        return []
    known = known_busy or {}
    busy = {chat for chat, has_rows in known.items() if has_rows}
    chats = list({item.chat_id for item in items if item.chat_id not in known})
    if chats:
        busy.update((await run_core(s, _BUSY_CHATS, {"chats": chats})).scalars())
    rows = []
    for item in items:
        fast = item.chat_id not in busy
        row = OutboxMessage(
            uid=new_uid(),
            chat_id=item.chat_id,
            work_id=work_id,
            status="sending" if fast else "pending",
            attempts=1 if fast else 0,
            resends=0,
            next_attempt_at=now,
            deadline=now + settings.deadline,
            lease_until=now + settings.lease if fast else None,
            claimed_by=worker_id if fast else None,
            created_at=now,
            **_row_fields(item, batch),
        )
        if item.chat_id in batch.forget_chats:  # the person asked to be forgotten
            row.payload = {**row.payload, "forget": True}
        # A Core INSERT (the payload sealed to the row here, as the ORM's sealing would): the
        # rows are only handed to the sender, so the unit of work would be pure cost.
        values = {name: getattr(row, name) for name in _INSERTED}
        values["payload"] = seal(OutboxMessage.payload, row.payload, row.uid)
        row.id = (await run_core(s, _INSERT_ROW, values)).scalar_one()
        rows.append(row)
    return rows


_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_INSERTED = [c.name for c in _OUTBOX.columns if c.name != "id"]
_INSERT_ROW = insert(_OUTBOX).returning(_OUTBOX.c.id)
_BUSY_CHATS = (
    select(OutboxMessage.chat_id)
    .where(col(OutboxMessage.chat_id).in_(bindparam("chats", expanding=True)))
    .where(col(OutboxMessage.status).in_(UNFINISHED))
    .distinct()
)


def claimable(now: datetime) -> Any:
    """Rows a sender may take now: due, and first among their chat's unfinished rows."""
    earlier = aliased(OutboxMessage)
    nothing_before = ~exists(
        select(earlier.id).where(
            earlier.chat_id == OutboxMessage.chat_id,
            col(earlier.id) < OutboxMessage.id,
            col(earlier.status).in_(UNFINISHED),
        )
    )
    ready = or_(
        and_(col(OutboxMessage.status) == "pending", col(OutboxMessage.next_attempt_at) <= now),
        and_(col(OutboxMessage.status) == "sending", col(OutboxMessage.lease_until) < now),
    )
    return and_(ready, nothing_before)


# ---- sending: after the commit -----------------------------------------------------------------
class OutboxSender:
    def __init__(
        self,
        db: Database,
        api: BotApi,
        clock: Clock,
        worker_id: str,
        settings: OutboxSettings | None = None,
        *,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.db = db
        self.api = api
        self.clock = clock
        self.worker_id = worker_id
        self.settings = settings or OutboxSettings()
        self._jitter = jitter
        self._in_flight: set[int] = set()  # rows whose call is under way (for shutdown)
        self._held: set[int] = set()  # rows claimed by this worker and not yet recorded
        self._wake = asyncio.Event()
        # Chats with rows queued behind a message this process is sending: when that one is
        # recorded, the rows behind it become claimable, and the background loop is woken for
        # them at once (waiting for its idle poll cost up to a second per such step).
        self._behind: set[int] = set()
        # SQLite: plain deliveries of many chats recorded together (see `_DeliveryLog`).
        self._log = _DeliveryLog(db, worker_id) if db.is_sqlite else None
        self.delivered = 0
        self.failed = 0

    def wake(self) -> None:
        """Rows were queued behind others: let the background loop look now."""
        self._wake.set()

    async def deliver(self, rows: Sequence[OutboxMessage]) -> None:
        """Send the rows this worker claimed (in order per chat, chats side by side)."""
        mine = [r for r in rows if r.status == "sending" and r.claimed_by == self.worker_id]
        self._held.update(r.id for r in mine if r.id is not None)
        if len(mine) < len(rows):
            self._behind.update(r.chat_id for r in rows if r.status == "pending")
            self.wake()
        chats: dict[int, list[OutboxMessage]] = {}
        for row in mine:
            chats.setdefault(row.chat_id, []).append(row)
        if len(chats) == 1:
            await self._deliver_chat(next(iter(chats.values())))
        elif chats:
            await asyncio.gather(*(self._deliver_chat(chat) for chat in chats.values()))

    async def drain(self) -> int:
        """Claim and deliver every row that is due (retries, leftovers), round after round."""
        total = 0
        while True:
            rows = await self.claim()
            if not rows:
                return total
            total += len(rows)
            await self.deliver(rows)

    async def run(self) -> None:
        """The background loop: drain now and whenever woken, and every `idle_seconds` anyway."""
        while True:
            self._wake.clear()
            try:
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: try again on the next round
                log.error("outbox drain failed: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.idle_seconds)

    async def claim(self) -> list[OutboxMessage]:
        """Claim the first unfinished row of each chat that is due (one statement)."""
        now = self.clock.now()
        pick = (
            select(OutboxMessage.id)
            .where(claimable(now))
            .order_by(col(OutboxMessage.id))
            .limit(self.settings.batch)
        )
        target: Any
        if self.db.is_sqlite:
            target = col(OutboxMessage.id).in_(pick.scalar_subquery())
        else:
            picked = pick.with_for_update(skip_locked=True).cte("picked")
            target = col(OutboxMessage.id).in_(select(picked.c.id))
        stmt = (
            update(OutboxMessage)
            .where(target)
            .values(
                # A row still `sending` belonged to a sender that died mid-call: Telegram may
                # have accepted it, so this claim may duplicate it. Counted, never hidden.
                resends=OutboxMessage.resends
                + case((col(OutboxMessage.status) == "sending", 1), else_=0),
                status="sending",
                claimed_by=self.worker_id,
                lease_until=now + self.settings.lease,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(col(OutboxMessage.id))
            .execution_options(synchronize_session=False)
        )
        async with self.db.session() as s:
            ids = list((await s.exec(stmt)).scalars())
            if not ids:
                return []
            rows = list(
                (
                    await s.exec(
                        select(OutboxMessage)
                        .where(col(OutboxMessage.id).in_(ids))
                        .order_by(col(OutboxMessage.id))
                        .execution_options(populate_existing=True)
                    )
                ).all()
            )
        for row in rows:
            if row.resends:
                log.warning(
                    "outbox message %s (chat %s) taken over from a stopped sender: "
                    "it may reach the chat twice (resend %d)",
                    row.id,
                    row.chat_id,
                    row.resends,
                )
        return rows

    async def release(self) -> None:
        """On shutdown: give this worker's claimed rows back at once (not after the lease)."""
        if self._log is not None:  # deliveries being recorded are recorded, not given back
            await self._log.finished()
        if not self._held:
            return
        in_flight = list(self._in_flight)
        async with self.db.session() as s:
            mine = (
                col(OutboxMessage.id).in_(list(self._held)),
                col(OutboxMessage.claimed_by) == self.worker_id,
                col(OutboxMessage.status) == "sending",
            )
            await s.exec(
                update(OutboxMessage)
                .where(*mine, col(OutboxMessage.id).in_(in_flight))
                .values(resends=OutboxMessage.resends + 1)
                .execution_options(synchronize_session=False)
            )
            await s.exec(
                update(OutboxMessage)
                .where(*mine)
                .values(status="pending", claimed_by=None, lease_until=None)
                .execution_options(synchronize_session=False)
            )

    # ---- one chat's rows ---------------------------------------------------------------------
    async def _deliver_chat(self, rows: list[OutboxMessage]) -> None:
        results: list[tuple[OutboxMessage, _Result]] = []
        known: dict[tuple[int, int], int] = {}  # (run, prompt) -> message id, sent just now
        for i, row in enumerate(rows):
            result = await self._call(row, known)
            results.append((row, result))
            if not isinstance(result, _Done):
                await self._record(results, rows[i + 1 :])
                return
        await self._record(results, [])

    async def _call(self, row: OutboxMessage, known: dict[tuple[int, int], int]) -> _Result:
        assert row.id is not None
        payload = row.payload
        self._in_flight.add(row.id)
        # Rows of due work (check-ins, digests) yield Telegram's overall rate to answers.
        scheduled = SCHEDULED_SEND.set(row.work_id is not None)
        try:
            if row.kind == "send":
                message_id = await self.api.send(
                    row.chat_id, payload["text"], _keyboard(payload.get("buttons"))
                )
                if row.run_id is not None and row.prompt is not None:
                    known[(row.run_id, row.prompt)] = message_id
                return _Done(message_id)
            if row.kind == "buttons":
                target = payload.get("message_id")
                if target is None and row.run_id is not None and row.prompt is not None:
                    target = known.get((row.run_id, row.prompt))
                    if target is None:
                        target = await self._prompt_message(row.run_id, row.prompt)
                if target is not None:
                    await self.api.set_buttons(
                        row.chat_id, int(target), _keyboard(payload.get("buttons"))
                    )
                return _Done(None)
            if row.kind == "document":
                message_id = await self.api.send_document(
                    row.chat_id, payload["filename"], await _bytes(payload), payload["caption"]
                )
                return _Done(message_id)
            if row.kind == "photo":
                message_id = await self.api.send_photo(
                    row.chat_id, payload["filename"], await _bytes(payload), payload["caption"]
                )
                return _Done(message_id)
            return _Never(f"unknown kind {row.kind}")
        except RecipientBlockedError:
            return _Never("blocked")
        except ChatNotFoundError:
            # The person never opened the bot, or their account is gone: no retry can help,
            # so the message fails now (with its ERROR line) instead of after an hour of them.
            return _Never("chat not found")
        except SendRejectedError as exc:
            return _Never(f"rejected: {exc.reason}")
        except SendFailedError as exc:
            return _Later(exc.reason, exc.retry_after)
        except Exception as exc:  # unexpected: keep the message and try again, loudly
            log.error("outbox message %s: %s while sending", row.id, type(exc).__name__)
            return _Later(type(exc).__name__)
        finally:
            SCHEDULED_SEND.reset(scheduled)
            self._in_flight.discard(row.id)

    async def _prompt_message(self, run_id: int, prompt: int) -> int | None:
        async with self.db.session() as s:
            run = await s.get(FlowRun, run_id)
        found = (run.prompt_messages or {}).get(str(prompt)) if run is not None else None
        return int(found) if found is not None else None

    def _retry_at(self, row: OutboxMessage, result: _Later, now: datetime) -> datetime:
        if result.retry_after is not None:
            wait = result.retry_after * (1 + 0.2 * self._jitter())
        else:
            step = self.settings.retry_base * 2 ** max(0, row.attempts - 1)
            wait = min(step, self.settings.retry_max).total_seconds() * (0.5 + self._jitter() / 2)
        return now + timedelta(seconds=wait)

    async def _record(
        self, results: list[tuple[OutboxMessage, _Result]], waiting: list[OutboxMessage]
    ) -> None:
        """One transaction: what happened to each row, the run's prompts, the work's status."""
        now = self.clock.now()
        chat_id = results[0][0].chat_id
        if self._log is not None and _plain(results, waiting):
            # Delivered, no due work to settle, nothing to erase: written with other chats'
            # deliveries. Returns once committed, as the transaction below would.
            delivered = [(row, done) for row, done in results if isinstance(done, _Done)]
            await self._log.record(delivered, now)
            self.delivered += len(results)
            self._recorded(chat_id, results, waiting)
            return
        works: set[int] = set()
        async with self.db.session() as s:
            if not self.db.is_sqlite:  # the same per-chat lock the update handling takes
                await s.exec(select(func.pg_advisory_xact_lock(chat_id)))
            for row, result in results:
                if row.work_id is not None:
                    works.add(row.work_id)
                await self._record_one(s, row, result, now)
            if waiting:  # behind a row that must wait: back in the queue, in order
                await s.exec(
                    update(OutboxMessage)
                    .where(
                        col(OutboxMessage.id).in_([r.id for r in waiting]),
                        col(OutboxMessage.claimed_by) == self.worker_id,
                    )
                    .values(
                        status="pending",
                        claimed_by=None,
                        lease_until=None,
                        attempts=OutboxMessage.attempts - 1,
                    )
                    .execution_options(synchronize_session=False)
                )
            for work_id in works:
                await _settle_work(s, work_id, now)
        self._recorded(chat_id, results, waiting)

    def _recorded(
        self,
        chat_id: int,
        results: list[tuple[OutboxMessage, _Result]],
        waiting: list[OutboxMessage],
    ) -> None:
        self._held.difference_update(r.id for r, _ in results)
        self._held.difference_update(r.id for r in waiting)
        if chat_id in self._behind:
            self._behind.discard(chat_id)
            self.wake()

    async def _record_one(
        self, s: AsyncSession, row: OutboxMessage, result: _Result, now: datetime
    ) -> None:
        values: dict[str, Any]
        if isinstance(result, _Done):
            self.delivered += 1
            values = {"status": "sent", "message_id": result.message_id, "sent_at": now}
            values.update(payload={}, error=None)  # delivered: the text need not be kept
            run_id, prompt, message_id = row.run_id, row.prompt, result.message_id
            if row.kind == "send" and run_id is not None and prompt is not None and message_id:
                await _remember_prompt(s, self.db.is_sqlite, run_id, prompt, message_id)
        elif isinstance(result, _Later) and now < row.deadline:
            values = {
                "status": "pending",
                "error": result.reason,
                "next_attempt_at": self._retry_at(row, result, now),
            }
            log.warning(
                "outbox message %s (chat %s, work %s): %s; retrying (attempt %d)",
                row.id,
                row.chat_id,
                row.work_id,
                result.reason,
                row.attempts,
            )
        else:
            self.failed += 1
            reason = result.reason if isinstance(result, _Never) else f"deadline: {result.reason}"
            values = {"status": "failed", "error": reason[:200], "payload": {}}  # text not kept
            log.error(
                "outbox message %s (chat %s, work %s) NOT delivered after %d attempts: %s",
                row.id,
                row.chat_id,
                row.work_id,
                row.attempts,
                reason,
            )
            if reason == "blocked":
                await _chat_blocked(s, row.chat_id, now)
        mine = (
            col(OutboxMessage.id) == row.id,
            col(OutboxMessage.status) == "sending",
            col(OutboxMessage.claimed_by) == self.worker_id,
        )
        if row.payload.get("forget") and values["status"] != "pending":
            # The last words to someone who asked to be erased: nothing of the chat is kept.
            await s.exec(delete(OutboxMessage).where(*mine))
            return
        if isinstance(result, _Done):  # the common case, once per step: a statement built once
            params = {"row_id": row.id, "worker": self.worker_id, "sent_id": result.message_id}
            await run_core(s, _MARK_SENT, {**params, "sent_when": now})
            return
        await s.exec(
            update(OutboxMessage)
            .where(*mine)
            .values(lease_until=None, claimed_by=None, **values)
            .execution_options(synchronize_session=False)
        )


_MARK_SENT = (
    update(OutboxMessage)
    .where(
        col(OutboxMessage.id) == bindparam("row_id"),
        col(OutboxMessage.status) == "sending",
        col(OutboxMessage.claimed_by) == bindparam("worker"),
    )
    .values(
        status="sent",
        message_id=bindparam("sent_id"),
        sent_at=bindparam("sent_when"),
        payload={},  # delivered: the text need not be kept
        error=None,
        lease_until=None,
        claimed_by=None,
    )
    .execution_options(synchronize_session=False)
)


def _plain(results: list[tuple[OutboxMessage, _Result]], waiting: list[OutboxMessage]) -> bool:
    """Every row delivered, none carrying due work or the last words to an erased person."""
    return not waiting and all(
        isinstance(result, _Done) and row.work_id is None and not row.payload.get("forget")
        for row, result in results
    )


# Rows delivered, when, and the future their caller waits on.
_Waiting = tuple[list[tuple[OutboxMessage, _Done]], datetime, asyncio.Future[None]]


class _DeliveryLog:
    """On SQLite: deliveries of many chats recorded in one transaction (a group commit).

    SQLite runs one transaction at a time, so a burst's deliveries queue for it anyway; those
    that finish while one is being written are written together by the next, each UPDATE run
    once for all their rows. The first is written at once (nothing waits for company), and
    every caller returns only when its rows are committed, as with a transaction of its own:
    a chat's next step still finds its earlier messages recorded.
    """

    def __init__(self, db: Database, worker_id: str) -> None:
        self.db = db
        self.worker_id = worker_id
        self._queue: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, delivered: list[tuple[OutboxMessage, _Done]], now: datetime) -> None:
        future = asyncio.get_running_loop().create_future()
        self._queue.append((delivered, now, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(), name="outbox-delivery-log")
        # A caller cancelled while it waits (shutdown) leaves its rows to be written anyway:
        # Telegram accepted them.
        await future

    async def finished(self) -> None:
        """Wait until what is queued is written (or has failed)."""
        if self._writer is not None:
            await asyncio.wait([self._writer])

    async def _write_all(self) -> None:
        while self._queue:
            batch: list[_Waiting] = []
            try:
                async with self.db.session() as s:
                    # Taken once the database is ours: whatever queued while it was busy.
                    batch, self._queue = self._queue, []
                    await self._write(s, batch)
            except Exception as exc:  # each caller fails as its own transaction would have
                if not batch:  # before they were taken: those queued fail with it
                    batch, self._queue = self._queue, []
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for _, _, future in batch:
                if not future.done():
                    future.set_result(None)

    async def _write(self, s: AsyncSession, batch: list[_Waiting]) -> None:
        sent: list[dict[str, Any]] = []
        prompts: list[dict[str, Any]] = []
        for delivered, now, _ in batch:
            for row, result in delivered:
                sent.append(
                    {
                        "row_id": row.id,
                        "worker": self.worker_id,
                        "sent_id": result.message_id,
                        "sent_when": now,
                    }
                )
                if _learns_prompt(row, result):
                    path = f'$."{row.prompt}"'
                    prompts.append(
                        {"path": path, "message_id": result.message_id, "run_id": row.run_id}
                    )
        # On the connection: one executemany each (the ORM would take a list of rows for an
        # UPDATE by primary key, which these are not).
        connection = await s.connection()
        await connection.execute(_MARK_SENT, sent)
        if prompts:
            await connection.execute(_PROMPT_SQLITE, prompts)


def _learns_prompt(row: OutboxMessage, result: _Done) -> bool:
    """A delivered question: its run learns which message carries it."""
    return (
        row.kind == "send"
        and row.run_id is not None
        and row.prompt is not None
        and bool(result.message_id)
    )


# The run learns which message carries a prompt in one statement (no read of the run first);
# other prompts' entries are kept, and a run that is gone is simply not updated.
_PROMPT_SQLITE = text(
    "UPDATE flow_run SET prompt_messages = json_set("
    "CASE WHEN json_type(prompt_messages) = 'object' THEN prompt_messages ELSE '{}' END,"
    " :path, :message_id) WHERE id = :run_id"
)
_PROMPT_POSTGRES = text(
    "UPDATE flow_run SET prompt_messages = ("
    "CASE WHEN json_typeof(prompt_messages) = 'object' THEN prompt_messages::jsonb"
    " ELSE '{}'::jsonb END"
    " || jsonb_build_object(CAST(:key AS text), CAST(:message_id AS bigint)))::json"
    " WHERE id = :run_id"
)


async def _remember_prompt(
    s: AsyncSession, is_sqlite: bool, run_id: int, prompt: int, message_id: int
) -> None:
    if is_sqlite:
        params: dict[str, Any] = {"path": f'$."{prompt}"', "message_id": message_id}
        await run_core(s, _PROMPT_SQLITE, {**params, "run_id": run_id})
    else:
        params = {"key": str(prompt), "message_id": message_id, "run_id": run_id}
        await run_core(s, _PROMPT_POSTGRES, params)


async def _chat_blocked(s: AsyncSession, chat_id: int, now: datetime) -> None:
    """The person blocked the bot: nothing more reaches them, and check-ins stop."""
    await s.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.chat_id) == chat_id, col(OutboxMessage.status) == "pending")
        .values(status="failed", error="blocked", payload={})
        .execution_options(synchronize_session=False)
    )
    client = (await s.exec(select(Client).where(Client.chat_id == chat_id))).first()
    if client is not None and client.status != "unreachable":
        client.status = "unreachable"
        s.add(client)
        log.info("client %s blocked the bot; check-ins stop", client.id)
    await s.exec(
        update(DueWork)
        .where(
            col(DueWork.id).in_(
                select(OutboxMessage.work_id).where(
                    col(OutboxMessage.chat_id) == chat_id, col(OutboxMessage.error) == "blocked"
                )
            ),
            col(DueWork.status) == "sending",
        )
        .values(status="failed", outcome="unreachable", updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def _settle_work(s: AsyncSession, work_id: int, now: datetime) -> None:
    """Due work is sent when every message it queued was accepted, failed when one was not."""
    rows = (
        await s.exec(
            select(OutboxMessage.status, OutboxMessage.message_id, OutboxMessage.error).where(
                OutboxMessage.work_id == work_id
            )
        )
    ).all()
    statuses = {status for status, _, _ in rows}
    values: dict[str, Any]
    if "failed" in statuses:
        error = next(e for status, _, e in rows if status == "failed") or "failed"
        outcome = "unreachable" if error == "blocked" else f"not delivered: {error}"[:200]
        values = {"status": "failed", "outcome": outcome}
    elif statuses == {"sent"}:
        ids = [m for _, m, _ in rows if m is not None]
        values = {"status": "sent", "outcome": "sent", "message_id": max(ids) if ids else None}
    else:
        return
    await s.exec(
        update(DueWork)
        .where(col(DueWork.id) == work_id, col(DueWork.status) == "sending")
        .values(lease_until=None, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
