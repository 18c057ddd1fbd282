"""triage alerts: delivery state, level and category, what the therapist did; therapist zone
and on-call contact; the "Partly" answer on log entries

Revision ID: 0002_triage_alerts
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import bot.storage.types

revision: str = "0002_triage_alerts"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_UTC = bot.storage.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("therapist", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", _STR(), nullable=True))
        batch_op.add_column(sa.Column("on_call", _STR(), nullable=True))
    with op.batch_alter_table("log_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partly_unable", sa.Boolean(), nullable=True))
    with op.batch_alter_table("triage_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", _STR(), nullable=False, server_default="soon"))
        batch_op.add_column(sa.Column("category", _STR(), nullable=True))
        batch_op.add_column(sa.Column("delivery", _STR(), nullable=False, server_default="none"))
        batch_op.add_column(sa.Column("delivered_at", _UTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("delivered_to", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("message_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("last_error", _STR(), nullable=True))
        batch_op.add_column(sa.Column("contacted_at", _UTC(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_triage_event_delivery"), ["delivery"], unique=False)
    # Alerts recorded before this revision were counted as sent without any proof: say so.
    op.execute(
        "UPDATE triage_event SET delivery = 'unverified', level = "
        "CASE WHEN crisis THEN 'crisis' ELSE 'soon' END WHERE alerted_at IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("triage_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_triage_event_delivery"))
        for name in (
            "contacted_at",
            "last_error",
            "attempts",
            "message_id",
            "delivered_to",
            "delivered_at",
            "delivery",
            "category",
            "level",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("log_entry", schema=None) as batch_op:
        batch_op.drop_column("partly_unable")
    with op.batch_alter_table("therapist", schema=None) as batch_op:
        batch_op.drop_column("on_call")
        batch_op.drop_column("timezone")
