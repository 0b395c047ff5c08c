"""Instance control, listings and retention: retention and expiry columns, listing indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("retention_us", sa.BigInteger(), nullable=True))
    op.add_column(
        "instances",
        sa.Column("retention_us", sa.BigInteger(), nullable=False, server_default="2592000000000"),
    )
    op.add_column("instances", sa.Column("expires_at", sa.BigInteger(), nullable=True))
    op.create_index("ix_instances_expires", "instances", ["expires_at"], unique=False)
    op.create_index(
        "ix_instances_account_created",
        "instances",
        ["account_id", "created_at", "uid"],
        unique=False,
    )
    op.create_index(
        "ix_instances_workflow_created",
        "instances",
        ["account_id", "workflow", "created_at", "uid"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_instances_workflow_created", table_name="instances")
    op.drop_index("ix_instances_account_created", table_name="instances")
    op.drop_index("ix_instances_expires", table_name="instances")
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("retention_us")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("retention_us")
