"""measure scores keep their measure's severity bands, for the charts' band lines

Revision ID: 0012_measure_bands
Revises: 0011_console
Create Date: 2026-12-01 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_measure_bands"
down_revision: str | None = "0011_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The published bands of the shipped measures (flows/phq9.yaml, flows/gad7.yaml), for scores
# taken before bands were stored. Another measure's old scores stay without band lines.
PUBLISHED = {
    "phq9": [
        [0, "minimal"],
        [5, "mild"],
        [10, "moderate"],
        [15, "moderately_severe"],
        [20, "severe"],
    ],
    "gad7": [[0, "minimal"], [5, "mild"], [10, "moderate"], [15, "severe"]],
}


def upgrade() -> None:
    with op.batch_alter_table("measure_score", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bands", sa.JSON(), nullable=True))
    scores = sa.table(
        "measure_score", sa.column("measure", sa.String()), sa.column("bands", sa.JSON())
    )
    for measure, bands in PUBLISHED.items():
        op.execute(scores.update().where(scores.c.measure == measure).values(bands=bands))
    op.execute(scores.update().where(scores.c.bands.is_(None)).values(bands=[]))
    with op.batch_alter_table("measure_score", schema=None) as batch_op:
        batch_op.alter_column("bands", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("measure_score", schema=None) as batch_op:
        batch_op.drop_column("bands")
