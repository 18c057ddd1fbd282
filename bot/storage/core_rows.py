"""Mapped rows written with Core statements on the hot path, sealed as the ORM's flush seals them.

Each client step writes a log entry and its flow run. Through the unit of work that is about a
tenth of a step's CPU (bench/RESULTS.md); one Core statement per row does the same writes. The
rows keep their models (and everything else still writes them through the ORM): these helpers
take a model instance, seal its encrypted columns to its `uid` with the column's own type (the
same `v2.<key id>.<ciphertext>` the ORM's sealing stores, bot/storage/sealing.py), and leave the
instance as the ORM would after a flush: plain values, nothing pending.

Only for rows nothing else in the transaction holds unflushed changes to (see `run_core`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, insert, inspect, update
from sqlalchemy.orm import Mapper, make_transient_to_detached
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.db import run_core
from bot.storage.types import UID_COLUMN, Encrypted

_ROW_ID = "row_id_"  # the UPDATE's key parameter: named unlike any column


class _Shape:
    """A model's table, its columns by attribute, and the statements written for it (built once)."""

    def __init__(self, model: type[Any]) -> None:
        mapper = inspect(model)
        assert isinstance(mapper, Mapper)
        table = mapper.local_table
        assert isinstance(table, Table)
        (key_column,) = table.primary_key.columns
        self.key = key_column.name
        # (attribute, column, its encrypted type or None); the mapped attributes are the columns'
        self.columns = [
            (prop.key, prop.columns[0].name, _encrypted(prop.columns[0].type))
            for prop in mapper.column_attrs
        ]
        self.insert = insert(table).returning(key_column)
        self.insert_no_key = insert(table)
        self.update = update(table).where(key_column == bindparam(_ROW_ID))


def _encrypted(column_type: Any) -> Encrypted | None:
    return column_type if isinstance(column_type, Encrypted) else None


_SHAPES: dict[type[Any], _Shape] = {}


def _shape(model: type[Any]) -> _Shape:
    shape = _SHAPES.get(model)
    if shape is None:
        shape = _SHAPES[model] = _Shape(model)
    return shape


def _stored(row: Any, column_type: Encrypted | None, value: Any) -> Any:
    if column_type is None:
        return value
    return column_type.seal(value, getattr(row, UID_COLUMN))


async def insert_row(s: AsyncSession, row: Any, *, keep: bool = False) -> None:
    """INSERT `row` (a new model instance, never added to a session) with one Core statement.

    `keep`: the row is then part of the session, as if loaded (its id set, nothing pending), for
    a caller that changes it later in the transaction; without it, the row is written and left
    out of the session (nothing else in the step reads it through the session).
    """
    shape = _shape(type(row))
    values = {
        column: _stored(row, column_type, getattr(row, key))
        for key, column, column_type in shape.columns
        if not (column == shape.key and getattr(row, key) is None)
    }
    if not keep:
        await run_core(s, shape.insert_no_key, values)
        return
    row_id = (await run_core(s, shape.insert, values)).scalar_one()
    setattr(row, shape.key, row_id)
    make_transient_to_detached(row)  # its values count as loaded, none as changed
    s.add(row)  # persistent, in the identity map: no statement


async def save_changes(s: AsyncSession, row: Any) -> None:
    """UPDATE the columns of persistent `row` that changed since it was loaded or saved, with one
    Core statement (none when nothing changed, as the ORM's flush would write none); the row is
    then clean, as after a flush. The other rows of the session are left to the flush."""
    shape = _shape(type(row))
    state = inspect(row)
    values: dict[str, Any] = {}
    for key, column, column_type in shape.columns:
        history = state.attrs[key].history
        if not history.added:
            continue
        value = history.added[0]
        if history.deleted and history.deleted[0] == value:
            continue  # set to what it was: nothing to write
        values[column] = _stored(row, column_type, value)
    if values:
        await run_core(s, shape.update, {**values, _ROW_ID: getattr(row, shape.key)})
    # Every column change is written now. Marked clean as a flush marks it (SQLAlchemy has no
    # public call for that): a row left flagged "modified" would cost the commit a flush of it.
    state._commit_all(state.dict, state._instance_dict())
