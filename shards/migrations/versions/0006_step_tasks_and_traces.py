"""Step tasks: the attempts of CALL steps, served by step workers on step task queues; and the
trace context of each instance and call, so that all their work joins the creating call's trace.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "step_tasks",
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("task_queue", sa.String(length=100), nullable=False),
        sa.Column("step_type", sa.String(length=100), nullable=False),
        sa.Column("input", sa.LargeBinary(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("scheduled_at", sa.BigInteger(), nullable=False),
        sa.Column("ready_at", sa.BigInteger(), nullable=True),
        sa.Column("due_at", sa.BigInteger(), nullable=True),
        sa.Column("lease_token", sa.BigInteger(), nullable=True),
        sa.Column("lease_worker", sa.String(length=100), nullable=True),
        sa.Column("attempt_started_at", sa.BigInteger(), nullable=True),
        sa.Column("details", sa.LargeBinary(), nullable=True),
        sa.Column("retry_limit", sa.Integer(), nullable=False),
        sa.Column("retry_delay_us", sa.BigInteger(), nullable=False),
        sa.Column("retry_backoff", sa.String(length=16), nullable=False),
        sa.Column("retry_max_delay_us", sa.BigInteger(), nullable=True),
        sa.Column("timeout_us", sa.BigInteger(), nullable=False),
        sa.Column("heartbeat_timeout_us", sa.BigInteger(), nullable=True),
        sa.Column("trace_parent", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("partition", "uid", "name", "seq"),
    )
    op.create_index("ix_step_tasks_due", "step_tasks", ["due_at"])
    op.create_index("ix_step_tasks_state", "step_tasks", ["partition", "state", "ready_at"])
    op.add_column("instances", sa.Column("trace_parent", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("trace_parent")
    op.drop_index("ix_step_tasks_state", table_name="step_tasks")
    op.drop_index("ix_step_tasks_due", table_name="step_tasks")
    op.drop_table("step_tasks")
