"""Partition leases as an operation's transaction reads them: who owns a partition, at which
epoch."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from shards import schema
from shards.store.rows import partition_in


def lease_epochs(
    conn: sa.Connection, partitions: Collection[int]
) -> dict[int, tuple[str | None, int]]:
    """(owner, epoch) of these partitions' leases, read in the caller's transaction and locked
    against change until it ends (FOR SHARE: a take of one of them waits for this transaction)."""
    L = schema.partition_leases
    rows = conn.execute(
        sa.select(L.c.partition, L.c.owner, L.c.epoch)
        .where(partition_in(L.c.partition, partitions, conn.dialect))
        .with_for_update(read=True)
    )
    return {r.partition: (r.owner, r.epoch) for r in rows}
