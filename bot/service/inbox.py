"""The inbox: updates are stored as they arrive, then handled chat by chat in update id order.

- `store()` writes what a receiver got (polling or webhook) in one transaction; only after it
  returns does the receiver acknowledge (the next getUpdates offset, or the webhook's 200). A
  redelivered update is stored once (its update id is the key).
- `InboxWorker` handles stored rows. A chat's rows are taken strictly in update id order and one
  at a time, across replicas too: the step's own transaction locks the chat's first pending row
  (FOR UPDATE SKIP LOCKED on PostgreSQL; in-process locks on SQLite, which is one process), and
  marks it done when it commits. A replica that finds the row locked leaves the chat to the one
  holding it. A process that dies mid-step leaves the row pending (its transaction is rolled
  back), and any worker handles it again.
- Receivers `notify()` the worker of the chats they stored, so a reply does not wait for a poll;
  a slow poll picks up what other replicas stored and what a dead one left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, exists, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.service.outbox import UNFINISHED
from bot.service.ports import Incoming
from bot.storage.db import Database, one_of, run_core
from bot.storage.models import InboxUpdate, OutboxMessage
from bot.storage.sealing import new_uid, seal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    """One update as a receiver got it: its id, its chat, the raw JSON (what is stored) and,
    when the receiver parsed it, the parsed update (what this process hands to its worker)."""

    update_id: int
    chat_id: int
    payload: dict[str, Any]
    incoming: Incoming | None = field(default=None, compare=False)


async def store(db: Database, received: list[Received], now: datetime) -> None:
    """Store updates before they are acknowledged; an update stored before is left as it is."""
    if not received:
        return
    rows = []
    for r in received:
        uid = new_uid()  # the raw update holds the client's words: sealed to this row
        rows.append(
            {
                "update_id": r.update_id,
                "uid": uid,
                "chat_id": r.chat_id,
                "payload": seal(InboxUpdate.payload, r.payload, uid),
                "status": "pending",
                "received_at": now,
            }
        )
    async with db.session() as s:
        await run_core(s, _STORE[db.is_sqlite], rows)  # one statement, run for every row


# Built once per dialect with the rows as parameters (executemany): the rows written into the
# statement (a multi-row VALUES) made a new statement to compile for every batch received.
_STORE = {
    is_sqlite: insert(InboxUpdate).on_conflict_do_nothing(index_elements=["update_id"])
    for is_sqlite, insert in ((True, sqlite_insert), (False, pg_insert))
}


def _take_statement(is_sqlite: bool) -> Any:
    """UPDATE the update's row to done if it is its chat's first pending one (RETURNING it).

    On SQLite it also returns whether the chat has unfinished outbox rows, which the step's
    outbox would otherwise ask in a statement of its own: from this UPDATE on, the step's
    transaction is the only writer (SQLite's write lock, and this process's turns), so the
    answer holds until it commits. PostgreSQL asks later, after the chat's advisory lock:
    before it, another transaction may still be adding a row for the chat.

    Built once per dialect: the step's hottest statement is not rebuilt for every update.
    """
    row, earlier = aliased(InboxUpdate), aliased(InboxUpdate)
    head = select(row.update_id).where(
        row.update_id == bindparam("head_id"),
        row.status == "pending",
        ~exists(
            select(earlier.update_id).where(
                earlier.chat_id == bindparam("head_chat"),
                col(earlier.update_id) < bindparam("head_id"),
                earlier.status == "pending",
            )
        ),
    )
    returned: list[Any] = [col(InboxUpdate.update_id)]
    if is_sqlite:
        returned.append(
            exists(
                select(OutboxMessage.id).where(
                    OutboxMessage.chat_id == bindparam("head_chat"),
                    one_of(OutboxMessage.status, UNFINISHED),
                )
            )
        )
    else:  # another replica's step holds the row: skip it, never wait for it
        head = head.with_for_update(skip_locked=True)
    return (
        update(InboxUpdate)
        .where(col(InboxUpdate.update_id).in_(head.scalar_subquery()))
        .values(status="done", payload={}, handled_at=bindparam("handled"), error=None)
        .returning(*returned)
        .execution_options(synchronize_session=False)
    )


_TAKE = {True: _take_statement(True), False: _take_statement(False)}


@dataclass(frozen=True)
class Taken:
    """An update this step took. `outbox_busy`: whether its chat has unfinished outbox rows,
    when the take could tell (SQLite; None on PostgreSQL: the outbox asks for itself)."""

    outbox_busy: bool | None


async def take_head(
    s: AsyncSession, update_id: int, chat_id: int, is_sqlite: bool, now: datetime
) -> Taken | None:
    """In the step's transaction: take this update if it is its chat's first pending one.

    Taking it marks it done (its raw text is not kept) in the same statement: the step's
    transaction commits that with everything else, or rolls it back to pending if it fails,
    so the update is handled again. On PostgreSQL the row stays locked until then.

    None when it is done already, an earlier one is still pending, or another replica holds
    it (then that replica handles the chat, in order).
    """
    params = {"head_id": update_id, "head_chat": chat_id, "handled": now}
    row = (await run_core(s, _TAKE[is_sqlite], params)).first()
    if row is None:
        return None
    returned = tuple(row)
    return Taken(bool(returned[1]) if is_sqlite else None)


async def mark_done(
    s: AsyncSession, update_id: int, now: datetime, error: str | None = None, forget: bool = False
) -> None:
    """In the step's transaction: the update is handled (its raw text is not kept; with
    `forget`, for someone erased by this very update, the row goes altogether)."""
    if forget:
        await s.exec(delete(InboxUpdate).where(col(InboxUpdate.update_id) == update_id))
        return
    await s.exec(
        update(InboxUpdate)
        .where(col(InboxUpdate.update_id) == update_id)
        .values(status="done", payload={}, handled_at=now, error=error)
        .execution_options(synchronize_session=False)
    )


Handle = Callable[[Incoming], Awaitable[bool]]
Parse = Callable[[dict[str, Any]], Incoming | None]


class InboxWorker:
    """Handles stored updates: each chat in its own task, its updates one after another."""

    def __init__(
        self,
        db: Database,
        handle: Handle,
        parse: Parse,
        clock_now: Callable[[], datetime],
        *,
        idle_seconds: float = 1.0,
        scan: int = 500,
    ) -> None:
        self.db = db
        self.handle = handle  # CheckinService.handle_stored: False when the row was not ours
        self.parse = parse
        self.now = clock_now
        self.idle_seconds = idle_seconds
        self.scan = scan
        self._active: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()  # chats told about while their task was finishing
        self._fresh: dict[int, dict[int, Incoming]] = {}  # chat -> update id -> parsed update
        self._closing = False

    def notify(self, chat_ids: Iterable[int]) -> None:
        """Rows for these chats were just stored (or found pending): handle them now."""
        for chat_id in chat_ids:
            self._start(chat_id)

    def hand_over(self, received: Iterable[Received]) -> None:
        """These updates were just stored by this process: handle them now, from memory.

        Handing the parsed update over saves reading the row back (a transaction) and parsing
        it again. The row is still the truth: the step takes it only if it is its chat's first
        pending one, so order across replicas and restarts is kept, and when it is not, the
        chat's rows are read from the table as they would be without the hand-over.
        """
        chats = set()
        for r in received:
            if r.incoming is not None:
                self._fresh.setdefault(r.chat_id, {})[r.update_id] = r.incoming
            chats.add(r.chat_id)
        self.notify(chats)

    @property
    def busy(self) -> int:
        return len(self._active)

    async def run(self) -> None:
        """Look for pending rows nobody told this process about (other replicas', a dead
        process's) every `idle_seconds`."""
        while not self._closing:
            try:
                async with self.db.session() as s:
                    chats = (
                        await s.exec(
                            select(InboxUpdate.chat_id)
                            .where(col(InboxUpdate.status) == "pending")
                            .distinct()
                            .limit(self.scan)
                        )
                    ).all()
                # Chats in hand here are left to their task: it reads the table itself when a
                # row it was not handed comes first. Waking it for its own rows would only
                # make it read them back and find them done. A chat with rows handed over but
                # no task is not in hand: its task ended because another replica held an
                # earlier row, after those rows arrived; it is woken like any other.
                self.notify(c for c in chats if c not in self._active)
            except Exception as exc:
                log.error("inbox scan failed: %s", type(exc).__name__)
            await asyncio.sleep(self.idle_seconds)

    async def stop(self, grace: float) -> None:
        """Take nothing new; let steps in hand finish for up to `grace` seconds, then cancel.

        A cancelled step's transaction is rolled back: its update stays pending for the next
        process, and nothing it decided was sent.
        """
        self._closing = True
        self._fresh.clear()
        tasks = list(self._active.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=grace)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=1.0)

    def _start(self, chat_id: int) -> None:
        if self._closing:
            return
        if chat_id in self._active:
            self._again.add(chat_id)
            return
        task = asyncio.create_task(self._chat(chat_id), name=f"inbox-{chat_id}")
        self._active[chat_id] = task

    async def _chat(self, chat_id: int) -> None:
        try:
            while not self._closing:
                self._again.discard(chat_id)
                handled_all = await self._handle_pending(chat_id)
                if not handled_all or chat_id not in self._again:
                    break
        except Exception as exc:  # the database went away: the poll comes back for it
            log.error("inbox: chat %s: %s", chat_id, type(exc).__name__)
        finally:
            del self._active[chat_id]

    async def _handle_pending(self, chat_id: int) -> bool:
        """Handle the chat's pending rows in order; False when another replica has the chat."""
        fresh = self._fresh.pop(chat_id, {})
        for update_id in sorted(fresh):
            if self._closing:
                return False  # the rows stay pending for the next process
            if not await self.handle(fresh[update_id]):
                break  # an earlier row (another replica's, a dead process's) comes first
        else:
            if fresh:
                return True
        return await self._handle_stored(chat_id)

    async def _handle_stored(self, chat_id: int) -> bool:
        """The chat's pending rows as the table has them, in update id order."""
        self._fresh.pop(chat_id, None)  # read below as well
        async with self.db.session() as s:
            rows = (
                await s.exec(
                    select(InboxUpdate.update_id, InboxUpdate.payload)
                    .where(col(InboxUpdate.chat_id) == chat_id)
                    .where(col(InboxUpdate.status) == "pending")
                    .order_by(col(InboxUpdate.update_id))
                )
            ).all()
        for update_id, payload in rows:
            if self._closing:
                return False
            incoming = self.parse(dict(payload))
            if incoming is None or incoming.update_id != update_id:
                async with self.db.session() as s:
                    await mark_done(s, update_id, self.now(), "unreadable")
                continue
            # How many steps run at once is the service's business: it bounds the transactions,
            # not the deliveries after them, which may wait for Telegram's per-chat pacing.
            ours = await self.handle(incoming)
            if not ours:
                return False
        return True
