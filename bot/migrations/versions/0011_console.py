"""the therapist console: one-time login links and browser sessions (hashes only)

Revision ID: 0011_console
Revises: 0010_log_entry_extra
Create Date: 2026-11-30 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import bot.storage.types

revision: str = "0011_console"
down_revision: str | None = "0010_log_entry_extra"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_login",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["therapist_id"], ["therapist.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("console_login", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_console_login_token_hash"), ["token_hash"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_console_login_therapist_id"), ["therapist_id"], unique=False
        )
    op.create_table(
        "console_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("via", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["therapist_id"], ["therapist.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("console_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_console_session_token_hash"), ["token_hash"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_console_session_therapist_id"), ["therapist_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("console_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_console_session_therapist_id"))
        batch_op.drop_index(batch_op.f("ix_console_session_token_hash"))
    op.drop_table("console_session")
    with op.batch_alter_table("console_login", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_console_login_therapist_id"))
        batch_op.drop_index(batch_op.f("ix_console_login_token_hash"))
    op.drop_table("console_login")
