"""Engines and sessions for SQLite (the embedded default) and PostgreSQL (to scale)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, Executable, event, or_
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

import bot.storage.inline_sqlite  # noqa: F401  (registers the sqlite+inline driver)

SQLITE_BUSY_TIMEOUT_MS = 5000


def normalise_url(url: str) -> str:
    """Accept the sync spellings people paste (sqlite://, postgresql://) and pick async drivers."""
    parsed = make_url(url)
    driver = parsed.drivername
    if driver in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+inline")  # see bot/storage/inline_sqlite.py
    elif driver in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and foreign keys on every connection.

    Parameters are hidden from SQLAlchemy's errors and logs: they carry clients' (encrypted)
    words and ids, and a traceback in a log file must not.
    """
    url = normalise_url(url)
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        engine = create_async_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class TaskReentrantLock:
    """An asyncio lock that the task holding it may take again (nested sessions in one task)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if self._owner is task and task is not None:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        async with self._lock:
            self._owner, self._depth = task, 1
            try:
                yield
            finally:
                self._owner, self._depth = None, 0


def one_of(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN (values)` for a few constant values, written as equalities joined by OR.

    SQLAlchemy renders an IN of a list again on every execution (its "post-compile" expansion of
    the list), about 1.5% of a step's CPU for the two hot statements that had one; equalities are
    compiled once, and both databases plan them as the IN they are.
    """
    return or_(*(column == value for value in values))


async def run_core(s: AsyncSession, statement: Executable, params: Any = None) -> CursorResult[Any]:
    """Run a Core statement on the session's connection, in its transaction.

    Through the session, the ORM's execution path makes a one-row INSERT about 2.5 times as
    costly in CPU (bench/RESULTS.md), for nothing when the statement loads no mapped object.
    Only for statements that need no autoflush: they read or write nothing the session holds
    unflushed changes to (those are flushed at the commit, as ever).
    """
    connection = await s.connection()
    return await connection.execute(statement, params)


class Database:
    """One engine and its session factory; `async with db.session() as s:` commits on success.

    SQLite allows one writer at a time and makes the others wait in its busy handler, which
    sleeps in growing steps: under many concurrent chats that wastes most of the time. So on
    SQLite this process takes turns itself (an asyncio lock around each transaction; they are
    short, and no network call happens inside one). PostgreSQL runs them concurrently.
    """

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_url(url)
        self.engine = create_engine(self.url, **engine_kwargs)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        # Read on every step: parsed once here, not from the URL each time.
        self.is_sqlite = is_sqlite(self.url)
        self._turns = TaskReentrantLock() if self.is_sqlite else None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        if self._turns is None:
            async with self._transaction() as session:
                yield session
            return
        async with self._turns.hold(), self._transaction() as session:
            yield session

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def dispose(self) -> None:
        await self.engine.dispose()
