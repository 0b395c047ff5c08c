"""A DO step's running attempt (its start time and lease), and the order in which an
instance's events arrived.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("steps", sa.Column("attempt_started_at", sa.BigInteger(), nullable=True))
    op.add_column("steps", sa.Column("attempt_lease", sa.BigInteger(), nullable=True))
    # Events received before the column existed keep their old order: by received_at and id.
    op.add_column("events", sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("seq")
    with op.batch_alter_table("steps") as batch:
        batch.drop_column("attempt_lease")
        batch.drop_column("attempt_started_at")
