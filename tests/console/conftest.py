"""The console on the real bot (harness, emulator, SQLite), reached over HTTP on localhost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from console_helpers import FLOWS, OTHER, THERAPIST

from bot.config import Config, ConsoleConfig
from bot.testing.harness import BotHarness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    config = Config(flows_dir=FLOWS, console=ConsoleConfig(enabled=True, port=0))
    async with BotHarness(tmp_path, config=config) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        await h.add_therapist(OTHER, "Dr. Other")
        yield h
