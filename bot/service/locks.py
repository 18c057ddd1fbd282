"""One conversation step at a time per chat, while different chats run concurrently.

asyncio.Lock wakes waiters in FIFO order, so one chat's updates are handled in arrival order.
This serialises within one process; several replicas rely on Telegram sending one chat's updates
to one webhook at a time and on the database's row claims (see DESIGN.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ChatLocks:
    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            if self._users[chat_id] == 0:  # forget idle chats so memory stays flat
                del self._users[chat_id]
                del self._locks[chat_id]
