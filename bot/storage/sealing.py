"""Row-bound encryption: each row's encrypted values are sealed to the row's own `uid`.

Why a random `uid` and not the primary key: a row gets its id only from the INSERT, but its
values must be encrypted before they are sent. Encrypting after the INSERT would store the row
twice (an INSERT, then an UPDATE with the ciphertexts) and leave a moment where the row holds
no value or a placeholder. A random 128-bit uid, fixed when the row is made and never changed,
is known before the INSERT, costs one short column, and names the row as well as its id does:
a ciphertext copied into another row (another uid) fails to decrypt.

What it does not catch: a row whose `client_id` is edited still decrypts (the uid travels with
the row, not with its owner). docs/privacy.md says so.

How: mapper events on each model with encrypted columns. Before the row is written, every
encrypted value that is new or changed is replaced by its `Sealed` ciphertext (the column type
refuses anything else, so nothing reaches the database in clear); after the write, the plain
value is put back as the committed value, so the application never sees a ciphertext. If the
flush fails in between, a rollback puts the plain values back too.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, SessionTransaction
from sqlalchemy.orm.attributes import set_attribute, set_committed_value
from sqlalchemy.orm.state import InstanceState

from bot.storage.types import UID_COLUMN, Encrypted, Sealed

_PLAIN = "checkin.plain"  # InstanceState.info: the plain values while the row is being written
_SEALING = "checkin.sealing"  # Session.info: states holding ciphertexts until the flush ends


def new_uid() -> str:
    """A row's uid: 128 random bits, base64url."""
    return secrets.token_urlsafe(16)


def seal(attribute: Any, value: Any, uid: str) -> Sealed | None:
    """For a Core INSERT: `value` as stored in `attribute`'s column (e.g. `InboxUpdate.payload`)
    of the row whose uid is `uid`."""
    column_type = inspect(attribute).property.columns[0].type
    if not isinstance(column_type, Encrypted):
        raise TypeError(f"{attribute} is not an encrypted column")
    return column_type.seal(value, uid)


def encrypted_attributes(mapper: Mapper[Any]) -> list[tuple[str, Encrypted]]:
    return [
        (prop.key, column.type)
        for prop in mapper.column_attrs
        for column in prop.columns
        if isinstance(column.type, Encrypted)
    ]


def register(model: type[Any]) -> None:
    """Seal `model`'s encrypted columns to its rows (it must have a `uid` column)."""
    mapper = inspect(model)
    assert isinstance(mapper, Mapper)
    columns = encrypted_attributes(mapper)
    if UID_COLUMN not in mapper.columns:
        raise TypeError(f"{model.__name__} has encrypted columns but no {UID_COLUMN} column")

    def seal(_mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
        state: InstanceState[Any] = inspect(target)
        uid = state.dict.get(UID_COLUMN)
        if not uid:
            uid = new_uid()
            set_attribute(target, UID_COLUMN, uid)
        inserting = state.key is None
        plain: dict[str, Any] = state.info.setdefault(_PLAIN, {})
        for key, column_type in columns:
            value = state.dict.get(key)
            if value is None or isinstance(value, Sealed):
                continue
            if not inserting and not state.attrs[key].history.added:
                continue  # unchanged: not written
            sealed = column_type.seal(value, uid)
            if sealed is None:  # an emptied payload: stored as NULL, nothing to seal
                continue
            plain[key] = value
            set_attribute(target, key, sealed)
        if plain:
            session = state.session
            if session is not None:
                session.info.setdefault(_SEALING, set()).add(state)

    def unseal(_mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
        state: InstanceState[Any] = inspect(target)
        for key, value in state.info.pop(_PLAIN, {}).items():
            set_committed_value(target, key, value)
        session = state.session
        if session is not None:
            session.info.get(_SEALING, set()).discard(state)

    event.listen(model, "before_insert", seal)
    event.listen(model, "before_update", seal)
    event.listen(model, "after_insert", unseal)
    event.listen(model, "after_update", unseal)


@event.listens_for(Session, "after_soft_rollback")
def _unseal_after_rollback(session: Session, _previous: SessionTransaction) -> None:
    """A failed flush: rows keep the plain values the application gave them, not ciphertexts."""
    for state in session.info.pop(_SEALING, set()):
        for key, value in state.info.pop(_PLAIN, {}).items():
            if isinstance(state.dict.get(key), Sealed):  # not expired by the rollback
                state.dict[key] = value
