"""Schedules: a row per schedule, in the partition of its account and id.

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
    op.create_table(
        "schedules",
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("schedule_id", sa.String(80), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("workflow", sa.String(100), nullable=False),
        sa.Column("params", sa.LargeBinary(), nullable=False),
        sa.Column("task_queue", sa.String(100), nullable=False),
        sa.Column("retention_us", sa.BigInteger(), nullable=True),
        sa.Column("overlap", sa.String(24), nullable=False),
        sa.Column("catchup_window_us", sa.BigInteger(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("next_fire_at", sa.BigInteger(), nullable=True),
        sa.Column("due_at", sa.BigInteger(), nullable=True),
        sa.Column("last_workflow", sa.String(100), nullable=True),
        sa.Column("last_instance_id", sa.String(100), nullable=True),
        sa.Column("buffered_at", sa.BigInteger(), nullable=True),
        sa.Column("recent_runs", sa.Text(), nullable=False),
        sa.Column("fired", sa.BigInteger(), nullable=False),
        sa.Column("skipped", sa.BigInteger(), nullable=False),
        sa.Column("missed", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("partition", "account_id", "schedule_id"),
        sa.UniqueConstraint("account_id", "schedule_id", name="uq_schedules_key"),
    )
    op.create_index("ix_schedules_due", "schedules", ["partition", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_schedules_due", table_name="schedules")
    op.drop_table("schedules")
