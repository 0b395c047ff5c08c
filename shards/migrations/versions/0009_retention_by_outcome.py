"""Retention by outcome: a workflow's retentions for instances that complete and for those that
end errored or terminated, and an instance's retention once errored or terminated.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workflows", sa.Column("success_retention_us", sa.BigInteger(), nullable=True))
    op.add_column("workflows", sa.Column("error_retention_us", sa.BigInteger(), nullable=True))
    # Instances created before keep one retention for every outcome: NULL means retention_us.
    op.add_column("instances", sa.Column("error_retention_us", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("error_retention_us")
    with op.batch_alter_table("workflows") as batch:
        batch.drop_column("error_retention_us")
        batch.drop_column("success_retention_us")
