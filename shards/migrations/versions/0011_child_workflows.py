"""Child workflows: an instance's parent and count of children, the parent's child links and
the outbox of messages between shard servers.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("instances", sa.Column("parent", sa.Text(), nullable=True))
    op.add_column(
        "instances", sa.Column("children", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_table(
        "child_links",
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("workflow", sa.String(100), nullable=False),
        sa.Column("instance_id", sa.String(100), nullable=False),
        sa.Column("parent_close", sa.String(16), nullable=False),
        sa.Column("wait", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("partition", "uid", "name", "seq"),
    )
    op.create_table(
        "outbox",
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("workflow", sa.String(100), nullable=False),
        sa.Column("instance_id", sa.String(100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("next_at", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("partition", "id"),
    )
    op.create_index("ix_outbox_due", "outbox", ["partition", "next_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("child_links")
    op.drop_column("instances", "children")
    op.drop_column("instances", "parent")
