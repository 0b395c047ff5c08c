"""The running count of each instance's recorded state, checked against the account's
max_instance_state_bytes. Existing instances are counted once, here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "instances",
        sa.Column("state_bytes", sa.BigInteger(), nullable=False, server_default="0"),
    )
    # Text columns count characters here, not bytes: close enough for instances made before
    # the count existed, and every later write keeps the count exactly.
    size = sa.func.coalesce
    steps = sa.table(
        "steps",
        sa.column("partition"),
        sa.column("uid"),
        sa.column("result"),
        sa.column("error_type"),
        sa.column("error_message"),
    )
    events = sa.table("events", sa.column("partition"), sa.column("uid"), sa.column("payload"))
    instances = sa.table(
        "instances",
        sa.column("partition"),
        sa.column("uid"),
        sa.column("params"),
        sa.column("state_bytes"),
    )
    of_instance = (steps.c.partition == instances.c.partition) & (steps.c.uid == instances.c.uid)
    step_bytes = (
        sa.select(
            size(
                sa.func.sum(
                    size(sa.func.length(steps.c.result), 0)
                    + size(sa.func.length(steps.c.error_type), 0)
                    + size(sa.func.length(steps.c.error_message), 0)
                ),
                0,
            )
        )
        .where(of_instance)
        .scalar_subquery()
    )
    event_bytes = (
        sa.select(size(sa.func.sum(sa.func.length(events.c.payload)), 0))
        .where((events.c.partition == instances.c.partition) & (events.c.uid == instances.c.uid))
        .scalar_subquery()
    )
    op.execute(
        instances.update().values(
            state_bytes=sa.func.length(instances.c.params) + step_bytes + event_bytes
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("state_bytes")
