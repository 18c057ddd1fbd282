"""data key ids: which data keys the stored values are under (ids only, never a key), so that a
different CHECKIN_DATA_KEYS is refused instead of writing under a second key

Revision ID: 0014_data_key_ids
Revises: 0013_session_changes
Create Date: 2026-12-01 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0014_data_key_ids"
down_revision: str | None = "0013_session_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Left empty here: the first command that runs with keys fills it, from the key ids the
    # stored values carry (an existing database), or with its own newest key (a fresh one).
    # A migration has no business requiring the key.
    op.create_table(
        "data_key",
        sa.Column("key_id", sa.String(length=8), primary_key=True),
        sa.Column("first_used_at", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("data_key")
