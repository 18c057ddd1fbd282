"""The queue of updates waiting for the bot, read by long polling or drained by webhook delivery."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.testing.errors import ApiError

# Telegram leaves these out unless the bot asks for them by name.
_OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MAX_LIMIT = 100


def update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Pending updates in update_id order, acknowledged by `offset`, waited for with a Condition."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._next_id = first_update_id
        self.pending: list[dict[str, Any]] = []
        # Updates re-sent on purpose (to test de-duplication): go out once, ahead of the rest.
        self.redelivered: list[dict[str, Any]] = []
        self.allowed: frozenset[str] | None = None
        self.history: dict[int, dict[str, Any]] = {}
        self.queued_at: dict[int, float] = {}  # time.perf_counter() per update, for latency
        self.changed = asyncio.Condition()
        self._poll_generation = 0
        self.pollers_waiting = 0

    def _is_allowed(self, kind: str) -> bool:
        if self.allowed is None:
            return kind not in _OPT_IN_TYPES
        return kind in self.allowed

    async def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Create an update of `kind` (for example "message") and queue it; return its update_id."""
        update_id = self._next_id
        self._next_id += 1
        update = {"update_id": update_id, kind: payload}
        self.history[update_id] = update
        self.queued_at[update_id] = time.perf_counter()
        if self._is_allowed(kind):
            async with self.changed:
                self.pending.append(update)
                self.changed.notify_all()
        return update_id

    async def redeliver(self, update_id: int) -> None:
        update = self.history.get(update_id)
        if update is None:
            known = sorted(self.history)[-5:]
            raise LookupError(f"No update {update_id} was ever queued; the latest ids are {known}")
        async with self.changed:
            self.redelivered.append(update)
            self.changed.notify_all()

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember the filter like Telegram does; an empty list means the default set."""
        if allowed is None:
            return
        self.allowed = frozenset(allowed) if allowed else None

    def acknowledge(self, offset: int) -> None:
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def drop_pending(self) -> None:
        self.pending.clear()
        self.redelivered.clear()

    def has_work(self) -> bool:
        return bool(self.pending or self.redelivered)

    def peek(self) -> dict[str, Any] | None:
        """The next update to deliver by webhook, redelivered ones first."""
        if self.redelivered:
            return self.redelivered[0]
        return self.pending[0] if self.pending else None

    def delivered(self, update: dict[str, Any]) -> None:
        """The webhook accepted `update`: forget it."""
        if self.redelivered and self.redelivered[0] is update:
            self.redelivered.pop(0)
        elif update in self.pending:
            self.pending.remove(update)

    def take_batch(self, limit: int) -> list[dict[str, Any]]:
        batch = self.redelivered + self.pending[: max(0, limit - len(self.redelivered))]
        self.redelivered = []
        return batch

    async def get_updates(self, offset: int | None, limit: int, wait: float) -> list[Any]:
        """Long polling: answer at once if something is pending, else wait up to `wait` seconds."""
        if offset is not None:
            self.acknowledge(offset)
        limit = min(max(limit, 1), MAX_LIMIT)
        async with self.changed:
            self._poll_generation += 1
            generation = self._poll_generation
            if not self.has_work() and wait > 0:
                self.pollers_waiting += 1
                self.changed.notify_all()  # wakes an older poller, and `wait_for_poller`
                # A newer getUpdates call ends this one, as Telegram does.
                try:
                    await asyncio.wait_for(
                        self.changed.wait_for(
                            lambda: self.has_work() or generation != self._poll_generation
                        ),
                        wait,
                    )
                except TimeoutError:
                    return []
                finally:
                    self.pollers_waiting -= 1
            else:
                self.changed.notify_all()
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            return self.take_batch(limit)

    async def interrupt_pollers(self) -> None:
        """Wake a waiting long poll so it sees a newer call (or a shutdown)."""
        async with self.changed:
            self.changed.notify_all()

    async def end_pollers(self) -> None:
        """End a waiting long poll at shutdown (its client may be gone without closing it)."""
        async with self.changed:
            self._poll_generation += 1
            self.changed.notify_all()
