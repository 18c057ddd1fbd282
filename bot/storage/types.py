"""Column types: aware UTC datetimes, and text or JSON encrypted at rest.

One aware-datetime column type: every instant is stored in UTC and read back aware.

SQLite has no time zones, so there the value is stored as naive UTC text; PostgreSQL gets
`timestamp with time zone`. Either way the application only ever sees aware UTC datetimes.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.storage.crypto import UndecryptableError, active_keyring

log = logging.getLogger(__name__)


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                f"naive datetime {value.isoformat()} cannot be stored; pass an aware one (tzinfo=UTC)"
            )
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EncryptedText(TypeDecorator[str]):
    """Text a client wrote or revealed, encrypted at rest (see bot/storage/crypto.py).

    `where` is the column's `table.column`, bound into every ciphertext as associated data.
    Above this type the application sees plain `str`; below it the database sees only
    `v1.<key id>.<ciphertext>`. A value that does not decrypt raises, it is never shown raw.
    """

    impl = Text
    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return active_keyring().encrypt(str(value).encode("utf-8"), self.where)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _decrypt(value, self.where).decode("utf-8")


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value (answers, word lists, reasons) encrypted at rest; None is stored as NULL."""

    impl = Text
    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return active_keyring().encrypt(plain.encode("utf-8"), self.where)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(_decrypt(value, self.where))


def _decrypt(value: str, where: str) -> bytes:
    try:
        return active_keyring().decrypt(value, where)
    except UndecryptableError as exc:
        # Loudly, with where and which key, never the value: the read fails, nothing raw is shown.
        log.error("undecryptable value in %s (key id %s)", exc.where, exc.key_id)
        raise
