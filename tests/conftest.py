"""Shared fixtures: a migrated database on SQLite (always) and PostgreSQL (when configured).

PostgreSQL tests run when CHECKIN_TEST_DATABASE_URL is set (`.ci/run` sets it); each test run
creates its own database on that server and drops it afterwards, so runs never see each other.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine.url import make_url
from sqlmodel import SQLModel

from bot.storage import Database, normalise_url, upgrade_database
from bot.storage.crypto import KEYS_ENV, load_keyring, new_key, use_keyring

PG_ENV = "CHECKIN_TEST_DATABASE_URL"
PG_SKIP = f"PostgreSQL tests skipped: {PG_ENV} is not set (bash .ci/run sets it)"
os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 22's future duration type, as in production
ROOT = Path(__file__).resolve().parent.parent
# Tests make their own data key (as the demo does), in the environment so that the `checkin`
# processes they start read it too; a clinic's comes from its own CHECKIN_DATA_KEYS.
os.environ.setdefault(KEYS_ENV, new_key())
TEST_KEYS = load_keyring(os.environ)
use_keyring(TEST_KEYS)


@pytest.fixture(autouse=True)
def _test_keys() -> Iterator[None]:
    """Every test starts and ends with the run's key ring (rotation tests change it)."""
    use_keyring(TEST_KEYS)
    yield
    use_keyring(TEST_KEYS)


def pytest_report_header(config: pytest.Config) -> str:
    if os.environ.get(PG_ENV):
        return f"PostgreSQL tests: ON ({PG_ENV} is set)"
    return f"PostgreSQL tests: SKIPPED (set {PG_ENV}=postgresql+asyncpg://user@host/db to run them)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Fold every skipped PostgreSQL test into one line of the short summary (not one per test):
    they share one reason, so they get one location, the fixture that skips them."""
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple) and PG_SKIP in str(longrepr[2]):
            report.longrepr = (__file__, pg_url.__wrapped__.__code__.co_firstlineno, longrepr[2])


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test run (skips when not configured)."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_SKIP)
    url = make_url(normalise_url(base))
    name = f"checkin_test_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        db = Database(url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
        try:
            async with db.engine.connect() as conn:
                await conn.execute(text(sql))
        finally:
            await db.dispose()

    _run_in_thread(admin(f'CREATE DATABASE "{name}"'))
    test_url = url.set(database=name).render_as_string(hide_password=False)

    async def migrate() -> None:
        db = Database(test_url)
        try:
            await upgrade_database(db)
        finally:
            await db.dispose()

    _run_in_thread(migrate())
    yield test_url
    _run_in_thread(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _run_in_thread(coro: Coroutine[Any, Any, None]) -> None:
    """Run set-up work on its own loop: this session fixture may be reached from a running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coro).result()


async def _truncate_all(db: Database) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    async with db.engine.begin() as conn:
        if db.is_sqlite:
            for table in tables:
                await conn.execute(text(f'DELETE FROM "{table}"'))
        else:
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database: a new SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        await upgrade_database(database)
    else:
        database = Database(request.getfixturevalue("pg_url"))
        await _truncate_all(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database only (for tests that are about SQLite itself)."""
    database = Database(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    await upgrade_database(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def summary_shot() -> Callable[[str, bytes], None]:
    """Keeps a summary chart where a person can look at it: `screenshots/summary/NAME.png` (or
    under CHECKIN_SUMMARY_SCREENSHOTS), like the console's browser screenshots."""
    folder = Path(
        os.environ.get(
            "CHECKIN_SUMMARY_SCREENSHOTS",
            Path(__file__).resolve().parents[1] / "screenshots" / "summary",
        )
    )

    def write(name: str, png: bytes) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(png)

    return write
