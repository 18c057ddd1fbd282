"""client label: what the therapist calls a client, set at invite, encrypted like names;
the therapist's caseload digest time and pre-session summary lead

Revision ID: 0009_client_label
Revises: 0008_row_bound_ciphertexts
Create Date: 2026-11-30 23:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009_client_label"
down_revision: str | None = "0008_row_bound_ciphertexts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    # Ciphertexts sealed to their row (bot/storage/sealing.py); existing clients have none, and
    # are named by their Telegram name until the therapist renames them.
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label", sa.Text(), nullable=True))
    # The invite gains an encrypted column, so a uid to seal it to, as 0008 gave the others:
    # '' for a moment, then a real uid for each invite already there.
    op.add_column("invite", sa.Column("uid", sa.String(), nullable=False, server_default=""))
    op.add_column("invite", sa.Column("label", sa.Text(), nullable=True))
    for (key,) in bind.execute(sa.text("SELECT id FROM invite")).all():
        bind.execute(
            sa.text("UPDATE invite SET uid = :uid WHERE id = :id"),
            {"uid": secrets.token_urlsafe(16), "id": key},
        )
    if bind.dialect.name == "postgresql":  # invites written from now on bring their own uid
        op.alter_column("invite", "uid", server_default=None)
    # The morning caseload digest's time ("08:00" or "off"); None: when the working day starts.
    with op.batch_alter_table("therapist", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("caseload_time", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("summary_lead_minutes", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), not a batch copy: on SQLite a batch copy drops the
    # table, and dropping `client` would cascade to every row that points at it.
    for table, column in (
        ("therapist", "summary_lead_minutes"),
        ("therapist", "caseload_time"),
        ("invite", "label"),
        ("invite", "uid"),
        ("client", "label"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
