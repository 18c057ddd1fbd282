"""The durable dispatcher: claim due rows atomically with a lease, act on each, record the outcome.

The `due_work` table is the only source of truth. A tick claims a batch (status `claimed`, a lease,
the worker's id, attempts + 1) in one statement, so two dispatchers never get the same row:
SQLite serialises writers and uses `UPDATE ... WHERE id IN (SELECT ...) RETURNING`; PostgreSQL
picks rows with `FOR UPDATE SKIP LOCKED` in a CTE and updates them. A claim whose lease has run
out (the process died before its handler committed) is claimable again; the lease is what keeps
it from being done twice.

After downtime several check-ins for one client can be due at once: only the newest useful one
is sent; the older ones (and reminders of earlier check-ins) are skipped as `merged`. Every row of
a batch is checked (late, blocked, merged, over the daily cap) before any is handled, so what one
row sends never changes another's check.

Work that sends messages is not `sent` when the handler returns: the handler stores them in the
outbox and marks the row `sending` in the same transaction, and the outbox sender marks it `sent`
(with Telegram's message id) only when Telegram accepted them, or `failed` when it never did.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.config import FollowUpConfig
from bot.scheduling.outcomes import Failed, Outcome, Queued, Retry, Sent, Skipped, TickReport
from bot.scheduling.planner import (
    PING_KINDS,
    START_KINDS,
    PlannedItem,
    apply_daily_cap,
    local_wall,
    to_utc,
)
from bot.scheduling.policy import Policy
from bot.scheduling.timing import load_policy
from bot.storage import Database
from bot.storage.models import Client, DueWork
from bot.storage.transient import DB_ATTEMPTS, is_transient_db_error, retry_delay

log = logging.getLogger(__name__)
Handler = Callable[[DueWork], Awaitable[Outcome]]
# Work that is never too late and never given up on: a therapist alert must reach someone.
PERSISTENT_KINDS = ("alert",)


class Dispatcher:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        handler: Handler,
        worker_id: str,
        lease: timedelta = timedelta(minutes=2),
        batch: int = 50,
        useful_window: timedelta = timedelta(hours=12),
        *,
        concurrency: int | None = None,
        max_attempts: int = 5,
        retry_base: timedelta = timedelta(seconds=30),
        clinic: FollowUpConfig | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.db = db
        self.clock = clock
        self.handler = handler
        self.worker_id = worker_id
        self.lease = lease
        self.batch = batch
        self.useful_window = useful_window
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.clinic = clinic  # when given, the daily ping cap is enforced per client policy
        self._limit = asyncio.Semaphore(concurrency or batch)
        self._sleep = sleep  # paces lease renewal; injectable so tests never wait

    async def tick(self, max_batches: int | None = None) -> TickReport:
        """Claim and handle due rows, batch after batch, until none is due (or `max_batches`)."""
        report = TickReport()
        done = 0
        while max_batches is None or done < max_batches:
            try:
                rows = await self.claim()
            except Exception as exc:
                if not is_transient_db_error(exc):
                    raise
                # Nothing was claimed; the next tick tries again (one line, not a traceback
                # every few seconds while the database is away).
                log.warning("dispatcher: database unavailable (%s)", type(exc).__name__)
                break
            done += 1
            report.claimed += len(rows)
            renewal = asyncio.create_task(self._keep_leases([r.id for r in rows if r.id]))
            try:
                # Every row is checked before any is handled: a check reads the batch as
                # claimed, so the newest check-in, once sent, cannot make an older one (or a
                # reminder of one) look unmerged and go out too.
                checked = await self._check_batch(rows)
                outcomes = await asyncio.gather(
                    *(self._handle(row, known) for row, known in zip(rows, checked, strict=True))
                )
            finally:
                renewal.cancel()
            for outcome in outcomes:
                report.count(outcome)
            if len(rows) < self.batch:
                break
        return report

    async def claim(self) -> list[DueWork]:
        """Claim up to `batch` due rows for this worker (one atomic statement) and return them."""
        now = self.clock.now()
        due = or_(
            and_(col(DueWork.status) == "pending", col(DueWork.due_at) <= now),
            and_(col(DueWork.status) == "claimed", col(DueWork.lease_until) < now),
        )
        pick = select(DueWork.id).where(due).order_by(col(DueWork.due_at)).limit(self.batch)
        target: Any
        if self.db.is_sqlite:
            target = col(DueWork.id).in_(pick.scalar_subquery())
        else:
            picked = pick.with_for_update(skip_locked=True).cte("picked")
            target = col(DueWork.id).in_(select(picked.c.id))
        stmt = (
            update(DueWork)
            .where(target)
            .values(
                status="claimed",
                lease_until=now + self.lease,
                claimed_by=self.worker_id,
                attempts=DueWork.attempts + 1,
                updated_at=now,
            )
            .returning(col(DueWork.id))
            .execution_options(synchronize_session=False)
        )
        async with self.db.session() as s:
            ids = list((await s.exec(stmt)).scalars())
            if not ids:
                return []
            found = await s.exec(
                select(DueWork)
                .where(col(DueWork.id).in_(ids))
                .order_by(col(DueWork.due_at))
                .execution_options(populate_existing=True)
            )
            return list(found.all())

    async def _keep_leases(self, ids: list[int]) -> None:
        """While a batch is in hand, extend its leases every third of a lease (slow sends under
        rate limits must not let another worker take rows this one is still sending)."""
        while ids:
            await self._sleep(self.lease.total_seconds() / 3)
            # Shielded: cancelling the renewal when the batch ends never cuts a write in half.
            await asyncio.shield(self._renew(ids))

    async def _renew(self, ids: list[int]) -> None:
        stmt = (
            update(DueWork)
            .where(
                col(DueWork.id).in_(ids),
                col(DueWork.status) == "claimed",
                col(DueWork.claimed_by) == self.worker_id,
            )
            .values(lease_until=self.clock.now() + self.lease)
            .execution_options(synchronize_session=False)
        )
        async with self.db.session() as s:
            await s.exec(stmt)

    async def _check_batch(self, rows: list[DueWork]) -> list[Outcome | None]:
        """What `_precheck` decides for each row (None: handle it), before any is handled. One
        client's rows are checked in due order, each counting the pings of the batch already
        let through toward the daily cap; different clients are checked at once."""
        decided: list[Outcome | None] = [None] * len(rows)
        by_client: dict[int | None, list[int]] = defaultdict(list)
        for n, row in enumerate(rows):
            by_client[row.client_id].append(n)

        async def check(indices: list[int]) -> None:
            let_through = 0
            for n in indices:
                async with self._limit:
                    decided[n] = await self._guarded(
                        rows[n], partial(self._precheck, in_batch=let_through)
                    )
                if decided[n] is None and rows[n].kind in PING_KINDS:
                    let_through += 1

        await asyncio.gather(*(check(indices) for indices in by_client.values()))
        return decided

    async def _handle(self, row: DueWork, known: Outcome | None) -> Outcome:
        """Hand the row to the handler unless its check already decided, then record."""
        async with self._limit:
            outcome = known if known is not None else await self._guarded(row, self.handler)
            assert outcome is not None  # a handler always answers with an outcome
            return await self._record(row, outcome)

    async def _guarded(
        self, row: DueWork, step: Callable[[DueWork], Awaitable[Outcome | None]]
    ) -> Outcome | None:
        try:
            return await step(row)
        except Exception as exc:
            if is_transient_db_error(exc):  # not the row's fault: again soon, never failed
                log.warning("due work %s: database unavailable (%s)", row.id, type(exc).__name__)
                return Retry("db_unavailable", after=self.retry_base, transient=True)
            # A bug in a check or a handler must not lose the row: retry, then fail.
            log.exception("due work %s (%s) raised %s", row.id, row.kind, type(exc).__name__)
            return Retry(f"error:{type(exc).__name__}")

    async def _precheck(self, row: DueWork, in_batch: int = 0) -> Outcome | None:
        """Skip late rows and rows for clients who paused, stopped, blocked us or never consented,
        merged rows, and pings over the daily cap (`in_batch`: the client's pings this batch is
        about to send, which count as sent today)."""
        now = self.clock.now()
        if row.due_at < now - self.useful_window and row.kind not in PERSISTENT_KINDS:
            return Skipped("late")
        if row.client_id is None or row.kind not in PING_KINDS:
            return None
        async with self.db.session() as s:
            client = await s.get(Client, row.client_id)
            if client is None:
                return Skipped("client_missing")
            reason = client_block_reason(client, now)
            if reason:
                return Skipped(reason)
            if await self._superseded(s, row, now):
                return Skipped("merged")
            if self.clinic is not None:
                policy = await load_policy(s, self.clinic, client)
                if await _over_daily_cap(s, row, client, policy, now, in_batch):
                    return Skipped("daily_cap")
        return None

    async def _superseded(self, s: AsyncSession, row: DueWork, now: datetime) -> bool:
        """Whether a newer check-in for the same client is due too, as after downtime: the
        client then gets that one only, not one now and another when this is answered. An older
        check-in, and a reminder of an earlier one, are merged into the newest due check-in."""
        if row.kind not in PING_KINDS or row.kind == "measure":
            return False  # a questionnaire is its own thing: a check-in due too does not replace it
        newer = select(DueWork.id).where(
            col(DueWork.client_id) == row.client_id,
            col(DueWork.id) != row.id,
            col(DueWork.kind).in_(START_KINDS),
            col(DueWork.status).in_(("pending", "claimed")),
            col(DueWork.due_at) <= now,
            col(DueWork.due_at) >= now - self.useful_window,  # the one sent must still be useful
        )
        if row.kind in START_KINDS:  # ties by id, so exactly one of equals is kept
            newer = newer.where(
                or_(
                    col(DueWork.due_at) > row.due_at,
                    and_(col(DueWork.due_at) == row.due_at, col(DueWork.id) > row.id),
                )
            )
        return (await s.exec(newer.limit(1))).first() is not None

    async def _record(self, row: DueWork, outcome: Outcome) -> Outcome:
        if isinstance(outcome, Queued):
            return outcome  # the handler marked it `sending` with its messages; the outbox ends it
        now = self.clock.now()
        values: dict[str, object] = {"lease_until": None, "updated_at": now}
        if isinstance(outcome, Sent):
            values.update(status="sent", outcome="sent", message_id=outcome.message_id)
        elif isinstance(outcome, Skipped):
            values.update(status="skipped", outcome=outcome.reason)
        elif isinstance(outcome, Failed):
            values.update(status="failed", outcome=outcome.reason)
        elif (
            row.attempts >= self.max_attempts
            and not outcome.transient
            and row.kind not in PERSISTENT_KINDS
        ):
            outcome = Failed(f"{outcome.reason} (after {row.attempts} attempts)")
            values.update(status="failed", outcome=outcome.reason)
        else:
            wait = outcome.after or self.retry_base * 2 ** (row.attempts - 1)
            values.update(status="pending", outcome=outcome.reason, due_at=now + wait)
        stmt = (
            update(DueWork)
            .where(
                col(DueWork.id) == row.id,
                col(DueWork.status) == "claimed",
                col(DueWork.claimed_by) == self.worker_id,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        for attempt in range(1, DB_ATTEMPTS + 1):
            try:
                async with self.db.session() as s:
                    await s.exec(stmt)
                break
            except Exception as exc:
                # The work is done (perhaps sent): recording it must outlast a dropped
                # connection, or the lease runs out and the row is done a second time.
                if attempt == DB_ATTEMPTS or not is_transient_db_error(exc):
                    raise
                await self._sleep(retry_delay(attempt))
        return outcome


def client_block_reason(client: Client, now: datetime) -> str | None:
    """Why a client must not be pinged now (None when they may be)."""
    if client.status in ("stopped", "unreachable"):
        return client.status
    if client.status == "paused" and (client.paused_until is None or client.paused_until > now):
        return "paused"
    if not client.consent_checkins:
        return "no_consent"
    return None


async def _over_daily_cap(
    s: AsyncSession, row: DueWork, client: Client, policy: Policy, now: datetime, in_batch: int
) -> bool:
    """Whether one more ping today (client's local day, counting sends) would pass the cap."""
    tz = ZoneInfo(client.timezone)
    today: date = local_wall(now, tz).date()
    start = to_utc(datetime.combine(today, datetime.min.time()), tz)
    end = to_utc(datetime.combine(today + timedelta(days=1), datetime.min.time()), tz)
    count = await s.exec(
        select(func.count())
        .select_from(DueWork)
        .where(
            col(DueWork.client_id) == client.id,
            col(DueWork.status).in_(("sent", "sending")),
            col(DueWork.kind).in_(PING_KINDS),
            col(DueWork.updated_at) >= start,
            col(DueWork.updated_at) < end,
        )
    )
    sent_today = int(count.one()) + in_batch
    item = PlannedItem(row.key, now, row.kind)
    _, over = apply_daily_cap([item], policy, tz, {today: sent_today})
    return bool(over)
