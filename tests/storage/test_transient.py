"""One predicate decides which database errors are retried: the drivers' real exception types."""

from __future__ import annotations

import sqlite3

import asyncpg.exceptions as pg
import psycopg
import psycopg.errors
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from bot.storage.transient import is_transient_db_error


def adapted(driver_error: Exception) -> Exception:
    """What SQLAlchemy's asyncpg adapter does: its own DB-API error, raised from asyncpg's."""
    try:
        try:
            raise driver_error
        except Exception as exc:
            raise RuntimeError("adapted DB-API error") from exc
    except RuntimeError as adapted_error:
        return adapted_error


TRANSIENT = {
    "SQLite busy past its timeout": OperationalError(
        "INSERT", {}, sqlite3.OperationalError("database is locked")
    ),
    "psycopg lost its server": OperationalError(
        "SELECT 1", {}, psycopg.OperationalError("server closed the connection unexpectedly")
    ),
    "psycopg admin shutdown (57P01)": psycopg.errors.AdminShutdown("terminating connection"),
    "asyncpg connection invalidated": DBAPIError(
        "INSERT", {}, adapted(pg.AdminShutdownError("terminating connection")), True
    ),
    "asyncpg connection does not exist (08003)": DBAPIError(
        "SELECT 1", {}, adapted(pg.ConnectionDoesNotExistError("connection was closed"))
    ),
    "asyncpg cannot connect now (57P03)": DBAPIError(
        "SELECT 1", {}, adapted(pg.CannotConnectNowError("the database system is starting up"))
    ),
    "asyncpg too many connections (53300)": pg.TooManyConnectionsError("too many clients"),
    "asyncpg serialization failure (40001)": pg.SerializationError("could not serialize"),
    "SQLAlchemy InterfaceError": InterfaceError("SELECT 1", {}, Exception("connection is closed")),
    "asyncpg InterfaceError": pg.InterfaceError("connection is closed"),
    "connection refused while connecting": ConnectionRefusedError(111, "Connection refused"),
    "socket reset": ConnectionResetError(104, "Connection reset by peer"),
    "timeout": TimeoutError(),
}

PERMANENT = {
    "a NUL PostgreSQL refuses (22021)": DBAPIError(
        "INSERT", {}, adapted(pg.CharacterNotInRepertoireError("invalid byte sequence"))
    ),
    "a duplicate key (23505)": IntegrityError(
        "INSERT", {}, adapted(pg.UniqueViolationError("duplicate key"))
    ),
    "a syntax error (42601)": DBAPIError("SELEC 1", {}, adapted(pg.PostgresSyntaxError("syntax"))),
    "a bug": RuntimeError("boom"),
    "a missing file": FileNotFoundError(2, "No such file"),
}


@pytest.mark.parametrize("error", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_outages_are_transient(error: Exception) -> None:
    assert is_transient_db_error(error)


@pytest.mark.parametrize("error", PERMANENT.values(), ids=PERMANENT.keys())
def test_errors_that_would_repeat_are_not(error: Exception) -> None:
    assert not is_transient_db_error(error)


def test_a_transient_error_anywhere_in_the_chain_counts() -> None:
    """An error raised while handling a dropped connection is still about the dropped connection."""
    outer = ValueError("while reading the client")
    outer.__context__ = pg.ConnectionDoesNotExistError("connection was closed")
    assert is_transient_db_error(outer)
