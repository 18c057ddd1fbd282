"""Which database errors are worth retrying: the one predicate the service and dispatcher share.

A transient error says nothing about the work itself: the database was busy, restarting, or
dropped the connection. Retrying the whole transaction a moment later is then right. Anything
else (a constraint, a bug in a query) would fail the same way again and is not retried.

The drivers report the same outage in different ways, so the whole chain of causes is examined:
- SQLite: `OperationalError` (database locked or busy past its timeout);
- psycopg: `OperationalError` (SQLAlchemy wraps it as such);
- asyncpg: `DBAPIError` with `connection_invalidated`, `InterfaceError` ("connection is closed"),
  or the asyncpg error under it, known by its SQLSTATE (`ConnectionDoesNotExistError` 08003,
  `CannotConnectNowError` 57P03, `AdminShutdownError` 57P01, ...);
- a refused or reset socket while connecting: `OSError` (ConnectionRefusedError, TimeoutError).
"""

from __future__ import annotations

from asyncpg.exceptions import (  # type: ignore[import-untyped]  # asyncpg has no type hints
    InterfaceError as AsyncpgInterfaceError,
)
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

# Transient errors are retried for about 15 s in all (0.25, 0.5, 1, 2, 4, 8 s between tries):
# long enough for a dropped connection or a PostgreSQL restart, short enough that a person is
# not left waiting in silence for long.
DB_ATTEMPTS = 7


def retry_delay(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    return 0.25 * 2.0 ** (attempt - 1)


# SQLSTATE codes (PostgreSQL appendix A) meaning "try again": the connection classes, shutdowns
# and start-ups, too many connections, and the conflicts PostgreSQL asks clients to retry.
TRANSIENT_SQLSTATE_CLASSES = ("08",)  # connection exception
TRANSIENT_SQLSTATES = frozenset(
    {
        "57P01",  # admin_shutdown (also pg_terminate_backend)
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now (starting up)
        "53300",  # too_many_connections
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
    }
)


def is_transient_db_error(exc: BaseException) -> bool:
    """Whether `exc` (or anything that caused it) means the database was briefly unavailable."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if _transient_itself(current):
            return True
        todo.extend([current.__cause__, current.__context__])
        orig = getattr(current, "orig", None)  # SQLAlchemy keeps the driver's error here
        if isinstance(orig, BaseException):
            todo.append(orig)
    return False


def _transient_itself(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError | AsyncpgInterfaceError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | PermissionError):
        return True
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate in TRANSIENT_SQLSTATES or sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES
    return False
