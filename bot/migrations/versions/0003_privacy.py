"""privacy: client text encrypted at rest (AES-GCM, keys from the environment); audit by client

The audit log gains `client_id` (whom an entry is about) and `count` (for pseudonymous summary
lines that stand in for an erased client's entries).

The columns become TEXT holding `v1.<key id>.<ciphertext>`, and rows already stored in plain
text are encrypted here, in the same transaction (so a database is never half plain, half
encrypted, and the column type never has to guess which a value is). That needs the data keys
(CHECKIN_DATA_KEYS) only when there are rows to encrypt; a new database migrates without them.

On SQLite the declared types stay as they are: SQLite stores any text in any column, and
changing a type there means copying the table, whose DROP would cascade to the client's rows.

Revision ID: 0003_privacy
Revises: 0002_triage_alerts
Create Date: 2026-11-30 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.crypto import active_keyring

revision: str = "0003_privacy"
down_revision: str | None = "0002_triage_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, was JSON): the columns as this migration found them.
COLUMNS = [
    ("client", "first_name", False),
    ("flow_run", "state", True),
    ("log_entry", "feelings", True),
    ("log_entry", "feelings_other", False),
    ("log_entry", "onset", False),
    ("log_entry", "harder", True),
    ("log_entry", "technique", False),
    ("log_entry", "feeling", False),
    ("log_entry", "body_place", False),
    ("log_entry", "note", False),
    ("triage_event", "reasons", True),
    ("triage_event", "category", False),  # a crisis category, tied to the client: health data
]


def upgrade() -> None:
    bind = op.get_bind()
    # The audit log says which client an entry is about, so erasure can find and count them.
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("count", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_log_client_id"), ["client_id"], unique=False)
    if bind.dialect.name == "postgresql":
        for table, column, _ in COLUMNS:
            op.alter_column(table, column, type_=sa.Text(), postgresql_using=f"{column}::text")
    for table, column, was_json in COLUMNS:
        rows = bind.execute(
            sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
        ).all()
        for row_id, value in rows:
            if was_json and value == "null":
                new = None  # the JSON type stored None as 'null'; the encrypted type uses NULL
            else:
                plain = value if isinstance(value, str) else str(value)
                new = active_keyring().encrypt(plain.encode("utf-8"), f"{table}.{column}")
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                {"value": new, "id": row_id},
            )


def downgrade() -> None:
    bind = op.get_bind()
    for table, column, _ in COLUMNS:
        rows = bind.execute(
            sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
        ).all()
        for row_id, value in rows:
            plain = active_keyring().decrypt(value, f"{table}.{column}").decode("utf-8")
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                {"value": plain, "id": row_id},
            )
    if bind.dialect.name == "postgresql":
        for table, column, was_json in COLUMNS:
            if was_json:
                op.alter_column(table, column, type_=sa.JSON(), postgresql_using=f"{column}::json")
            else:
                op.alter_column(table, column, type_=sa.String())
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_client_id"))
        batch_op.drop_column("count")
        batch_op.drop_column("client_id")
