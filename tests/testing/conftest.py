"""Fixtures: an emulator (limits off), a PTB app polling against it, raw HTTP access."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from ptb_helpers import RawApi, Recorder, build_app, polling

from bot.testing import BotApiEmulator, Limits


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns on every RetryAfter unless time periods are timedeltas; warnings are errors."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(limits=Limits(enforce=False)) as emulator:
        yield emulator


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def running_app(emu: BotApiEmulator, recorder: Recorder) -> AsyncIterator[object]:
    async with polling(build_app(emu, recorder)) as app:
        yield app


@pytest.fixture
async def api(emu: BotApiEmulator) -> AsyncIterator[RawApi]:
    async with aiohttp.ClientSession() as session:
        yield RawApi(emu, session)
