"""the inbox: every Telegram update stored before it is acknowledged

Revision ID: 0006_inbox
Revises: 0005_outbox
Create Date: 2026-11-30 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import bot.storage.types

revision: str = "0006_inbox"
down_revision: str | None = "0005_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("received_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("handled_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("update_id"),
    )
    with op.batch_alter_table("inbox_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_update_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_update_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inbox_update_received_at"), ["received_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inbox_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_update_received_at"))
        batch_op.drop_index(batch_op.f("ix_inbox_update_status"))
        batch_op.drop_index(batch_op.f("ix_inbox_update_chat_id"))
    op.drop_table("inbox_update")
