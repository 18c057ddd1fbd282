"""Column types: aware UTC datetimes, and text or JSON encrypted at rest, bound to their row.

One aware-datetime column type: every instant is stored in UTC and read back aware.

SQLite has no time zones, so there the value is stored as naive UTC text; PostgreSQL gets
`timestamp with time zone`. Either way the application only ever sees aware UTC datetimes.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Text, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.storage.crypto import UndecryptableError, active_keyring

UID_COLUMN = "uid"  # every table with encrypted columns has it: the row's own random id
# A raw update may hold lone surrogates (they are stripped only when it is parsed): they are
# stored as they came, not refused.
SURROGATES = "surrogatepass"

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


class Sealed(str):
    """A ciphertext already bound to its column and row: the only value an encrypted column
    accepts. The ORM seals each row's values as it writes the row (bot/storage/sealing.py);
    a Core statement seals with `EncryptedText.seal` or `EncryptedJSON.seal` itself."""


class Encrypted(TypeDecorator[Any]):
    """A value a client wrote or revealed, encrypted at rest (see bot/storage/crypto.py).

    `where` is the column's `table.column`. Every ciphertext is bound to it and to the row's
    `uid` (associated data), so a value moved to another column or another row does not decrypt.
    Reading needs the row's uid beside the value: every SELECT of the column fetches
    `uid || '|' || value` (`column_expression`), and the result processor opens it with both.
    Above this type the application sees plain values; below it the database sees only
    `v2.<key id>.<ciphertext>`. A value that does not decrypt raises, it is never shown raw.

    With `empty_as_null` (inbox and outbox payloads), an emptied value `{}` is stored as NULL
    and read back as `{}`: a cleared payload holds nothing to encrypt, and statements that clear
    many rows at once need no row's uid.
    """

    impl = Text
    cache_ok = True

    def __init__(self, where: str, *, empty_as_null: bool = False) -> None:
        super().__init__()
        self.where = where
        self.empty_as_null = empty_as_null

    def encode(self, value: Any) -> bytes:
        raise NotImplementedError

    def decode(self, plain: bytes) -> Any:
        raise NotImplementedError

    def seal(self, value: Any, uid: str) -> Sealed | None:
        """The stored form of `value` in this column of the row whose uid is `uid`."""
        if value is None or (self.empty_as_null and value == {}):
            return None
        return Sealed(active_keyring().seal(self.encode(value), self.where, uid))

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or (self.empty_as_null and value == {}):
            return None
        if isinstance(value, Sealed):
            return str(value)
        # Never store clear text because a write went around the sealing.
        raise TypeError(
            f"{self.where}: an encrypted value must be sealed to its row before it is written "
            "(write the row through the ORM, or seal the value with the column type's seal())"
        )

    def column_expression(self, colexpr: Any) -> Any:
        uid = colexpr.table.c[UID_COLUMN]
        return type_coerce(type_coerce(uid, Text) + "|" + type_coerce(colexpr, Text), self)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return {} if self.empty_as_null else None
        uid, separator, token = value.partition("|")
        if not separator:
            raise UndecryptableError(self.where, "-", "read without its row's uid")
        try:
            plain = active_keyring().open(token, self.where, uid)
        except UndecryptableError as exc:
            # Loudly, with where and which key, never the value: the read fails, nothing raw
            # is shown.
            log.error("undecryptable value in %s (key id %s)", exc.where, exc.key_id)
            raise
        return self.decode(plain)


class EncryptedText(Encrypted):
    """Text a client wrote or revealed (notes, names, typed feelings)."""

    cache_ok = True

    def encode(self, value: Any) -> bytes:
        return str(value).encode("utf-8", SURROGATES)

    def decode(self, plain: bytes) -> str:
        return plain.decode("utf-8", SURROGATES)


class EncryptedJSON(Encrypted):
    """A JSON value (answers, word lists, reasons, raw updates); None is stored as NULL."""

    cache_ok = True

    def encode(self, value: Any) -> bytes:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8", SURROGATES)

    def decode(self, plain: bytes) -> Any:
        return json.loads(plain.decode("utf-8", SURROGATES))
