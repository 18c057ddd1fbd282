"""standard measures: scores (PHQ-9, GAD-7, any score step) and the therapist's schedules

Revision ID: 0007_measures
Revises: 0006_inbox
Create Date: 2026-11-30 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import bot.storage.types

revision: str = "0007_measures"
down_revision: str | None = "0006_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "measure_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("measure", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("band", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),  # EncryptedJSON
        sa.Column("flags", sa.Text(), nullable=False),  # EncryptedJSON
        sa.Column("reliable_change", sa.Float(), nullable=True),
        sa.Column("cutoff", sa.Float(), nullable=True),
        sa.Column("recorded_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measure_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_score_client_id"), ["client_id"])
        batch_op.create_index(batch_op.f("ix_measure_score_measure"), ["measure"])
        batch_op.create_index(batch_op.f("ix_measure_score_recorded_at"), ["recorded_at"])
    op.create_table(
        "measure_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("anchor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("starts_on", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["therapist_id"], ["therapist.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("therapist_id", "client_id"),
    )
    with op.batch_alter_table("measure_schedule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_schedule_client_id"), ["client_id"])
        batch_op.create_index(batch_op.f("ix_measure_schedule_therapist_id"), ["therapist_id"])


def downgrade() -> None:
    op.drop_table("measure_schedule")
    op.drop_table("measure_score")
