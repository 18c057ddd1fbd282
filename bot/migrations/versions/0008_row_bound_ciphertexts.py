"""row-bound ciphertexts: every encrypted value bound to its row; payloads and reasons encrypted

Each table with encrypted columns gains `uid`, the row's own random id (see
bot/storage/sealing.py for why not the primary key). Every stored value is re-encrypted with
`table.column#uid` as associated data (`v2`), so a ciphertext moved to another row no longer
decrypts. Three columns that were still in clear are encrypted too: the raw Telegram update in
`inbox_update.payload`, the message text in `outbox_message.payload`, and the screening reason
in `log_entry.reason`. An emptied payload (`{}`, a handled update or a sent message) becomes
NULL: there is nothing left to encrypt.

Like 0003, this runs in one transaction and needs the data keys (CHECKIN_DATA_KEYS) only when
there are rows to re-encrypt. On SQLite only the two queue tables are copied (to allow NULL
payloads); no foreign key points at them, so the copy cascades nowhere.

Revision ID: 0008_row_bound_ciphertexts
Revises: 0007_measures
Create Date: 2026-11-30 23:00:00
"""

import json
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.crypto import active_keyring

revision: str = "0008_row_bound_ciphertexts"
down_revision: str | None = "0007_measures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> its primary key
TABLES = {
    "client": "id",
    "flow_run": "id",
    "log_entry": "id",
    "triage_event": "id",
    "outbox_message": "id",
    "inbox_update": "update_id",
    "measure_score": "id",
}
# (table, column): encrypted (v1, bound to the column only) before this migration.
BOUND_TO_COLUMN = [
    ("client", "first_name"),
    ("flow_run", "state"),
    ("log_entry", "feelings"),
    ("log_entry", "feelings_other"),
    ("log_entry", "onset"),
    ("log_entry", "harder"),
    ("log_entry", "technique"),
    ("log_entry", "feeling"),
    ("log_entry", "body_place"),
    ("log_entry", "note"),
    ("triage_event", "reasons"),
    ("triage_event", "category"),
    ("measure_score", "items"),
    ("measure_score", "flags"),
]
# (table, column, JSON?): in clear before this migration.
CLEAR = [
    ("log_entry", "reason", False),
    ("outbox_message", "payload", True),
    ("inbox_update", "payload", True),
]
PAYLOADS = ("outbox_message", "inbox_update")


def _uid() -> str:
    return secrets.token_urlsafe(16)


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for table in TABLES:
        # NOT NULL needs a value for the rows already there: '' for a moment, then a real uid.
        op.add_column(
            table,
            sa.Column("uid", sa.String(), nullable=False, server_default=""),
        )
    if postgres:
        op.alter_column("log_entry", "reason", type_=sa.Text())
        for table in PAYLOADS:
            op.alter_column(
                table, "payload", type_=sa.Text(), nullable=True, postgresql_using="payload::text"
            )
    else:
        for table in PAYLOADS:
            with op.batch_alter_table(table) as batch_op:
                batch_op.alter_column("payload", existing_type=sa.JSON(), nullable=True)
    ring = active_keyring
    for table, key in TABLES.items():
        bound = [c for t, c in BOUND_TO_COLUMN if t == table]
        clear = [(c, is_json) for t, c, is_json in CLEAR if t == table]
        names = bound + [c for c, _ in clear]
        rows = bind.execute(sa.text(f"SELECT {key}, {', '.join(names)} FROM {table}")).all()
        for row in rows:
            uid = _uid()
            values: dict[str, str | None] = {"uid": uid}
            for column in bound:
                old = getattr(row, column)
                if old is not None:
                    where = f"{table}.{column}"
                    values[column] = ring().seal(ring().decrypt(old, where), where, uid)
            for column, is_json in clear:
                old = getattr(row, column)
                text = old if isinstance(old, str) or old is None else json.dumps(old)
                if text is None or (is_json and text.replace(" ", "") in ("{}", "null")):
                    values[column] = None  # emptied: nothing to encrypt
                else:
                    plain = text.encode("utf-8")
                    values[column] = ring().seal(plain, f"{table}.{column}", uid)
            assignments = ", ".join(f"{name} = :{name}" for name in values)
            bind.execute(
                sa.text(f"UPDATE {table} SET {assignments} WHERE {key} = :row_key"),
                {**values, "row_key": getattr(row, key)},
            )
    if postgres:  # rows written from now on bring their own uid
        for table in TABLES:
            op.alter_column(table, "uid", server_default=None)


def downgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    ring = active_keyring
    for table, key in TABLES.items():
        bound = [c for t, c in BOUND_TO_COLUMN if t == table]
        clear = [(c, is_json) for t, c, is_json in CLEAR if t == table]
        names = bound + [c for c, _ in clear]
        rows = bind.execute(sa.text(f"SELECT {key}, uid, {', '.join(names)} FROM {table}")).all()
        for row in rows:
            values: dict[str, str | None] = {}
            for column in names:
                old = getattr(row, column)
                if old is None:
                    continue
                where = f"{table}.{column}"
                plain = ring().open(old, where, row.uid)
                values[column] = (
                    ring().encrypt(plain, where) if column in bound else plain.decode("utf-8")
                )
            for column, is_json in clear:
                if is_json and getattr(row, column) is None:
                    values[column] = "{}"
            if values:
                assignments = ", ".join(f"{name} = :{name}" for name in values)
                bind.execute(
                    sa.text(f"UPDATE {table} SET {assignments} WHERE {key} = :row_key"),
                    {**values, "row_key": getattr(row, key)},
                )
    if postgres:
        op.alter_column("log_entry", "reason", type_=sa.String())
        for table in PAYLOADS:
            op.alter_column(
                table, "payload", type_=sa.JSON(), nullable=False, postgresql_using="payload::json"
            )
    else:
        for table in PAYLOADS:
            with op.batch_alter_table(table) as batch_op:
                batch_op.alter_column("payload", existing_type=sa.JSON(), nullable=False)
    for table in TABLES:
        # In place (SQLite 3.35+): copying `client` would cascade its DROP to every client row.
        op.execute(f"ALTER TABLE {table} DROP COLUMN uid")
