"""log entries keep the fields a clinic's own flow declares (`record_fields`), encrypted

Revision ID: 0010_log_entry_extra
Revises: 0009_client_label
Create Date: 2026-11-30 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_log_entry_extra"
down_revision: str | None = "0009_client_label"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # TEXT holding `v1.<key id>.<ciphertext>` of the JSON, like every other client answer.
    with op.batch_alter_table("log_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("log_entry", schema=None) as batch_op:
        batch_op.drop_column("extra")
