"""session changes: occurrences of a weekly series cancelled or moved one by one; the typed answer
a therapist's button waits for

Revision ID: 0013_session_changes
Revises: 0012_measure_bands
Create Date: 2026-12-01 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_session_changes"
down_revision: str | None = "0012_measure_bands"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default): existing series have no changed occurrences, and
    # no therapist is waiting for a typed answer.
    op.add_column("therapy_session", sa.Column("changes", sa.JSON(), nullable=True))
    op.add_column("therapist", sa.Column("awaiting", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), not a batch copy: on SQLite a batch copy drops the
    # table, and dropping it would cascade to every row that points at it.
    for table, column in (("therapist", "awaiting"), ("therapy_session", "changes")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
