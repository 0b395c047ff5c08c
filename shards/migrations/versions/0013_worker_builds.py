"""Worker builds: the build each instance runs on, what blocks it, and each workflow's builds.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("instances", sa.Column("build_id", sa.String(100), nullable=True))
    op.add_column("instances", sa.Column("blocked", sa.Text(), nullable=True))
    op.create_table(
        "workflow_builds",
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("workflow", sa.String(100), nullable=False),
        sa.Column("build_id", sa.String(100), nullable=False),
        sa.Column("first_registered_at", sa.BigInteger(), nullable=False),
        sa.Column("last_registered_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "workflow", "build_id"),
    )


def downgrade() -> None:
    op.drop_table("workflow_builds")
    op.drop_column("instances", "blocked")
    op.drop_column("instances", "build_id")
