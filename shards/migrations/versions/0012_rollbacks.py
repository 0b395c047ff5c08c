"""Saga rollbacks: an instance's rollback outcome, and the step whose rollback failed with the
error of its last attempt.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("instances", sa.Column("rollback", sa.String(16), nullable=True))
    op.add_column("instances", sa.Column("rollback_step", sa.String(200), nullable=True))
    op.add_column("instances", sa.Column("rollback_step_seq", sa.Integer(), nullable=True))
    op.add_column("instances", sa.Column("rollback_error_type", sa.String(200), nullable=True))
    op.add_column("instances", sa.Column("rollback_error_message", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("rollback_error_message")
        batch.drop_column("rollback_error_type")
        batch.drop_column("rollback_step_seq")
        batch.drop_column("rollback_step")
        batch.drop_column("rollback")
