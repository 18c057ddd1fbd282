"""End-to-end fixtures: the real bot (PTB, service, SQLite) on the loopback Bot API emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.testing.harness import BotHarness

THERAPIST = 1
CLIENT = 1001


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with BotHarness(tmp_path) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        await h.runtime.bot.set_my_commands([])  # noop: proves the bot is live
        yield h
