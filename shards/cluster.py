"""Cluster-wide settings stored in the database, fixed when the cluster is created."""

from __future__ import annotations

import sqlalchemy as sa

from shards import schema
from shards.db import insert_missing

PARTITIONS = "partitions"


class ClusterMismatch(Exception):
    """A process was started with settings that contradict the cluster's."""


def read_partitions(conn: sa.Connection) -> int | None:
    """The cluster's partition count, or None before the first shard server started."""
    value = (
        conn.execute(sa.select(schema.cluster.c.value).where(schema.cluster.c.name == PARTITIONS))
    ).scalar()
    return None if value is None else int(value)


def ensure_partitions(conn: sa.Connection, partitions: int) -> int:
    """Records the partition count on first use; refuses a different one later."""
    if partitions < 1:
        raise ClusterMismatch(f"the partition count must be positive, not {partitions}")
    stored = read_partitions(conn)
    if stored is None:
        # Several processes may start on a new database at once: the first count stays.
        insert_missing(conn, schema.cluster, [{"name": PARTITIONS, "value": str(partitions)}])
        stored = read_partitions(conn)
        assert stored is not None
        if stored == partitions:
            # Every partition gets its lease row now, unowned, so that taking one is an update.
            insert_missing(
                conn,
                schema.partition_leases,
                [
                    {"partition": p, "owner": None, "epoch": 0, "taken_at": 0}
                    for p in range(partitions)
                ],
            )
    if stored != partitions:
        raise ClusterMismatch(
            f"this cluster has {stored} partitions, fixed at its creation; "
            f"this process was started with {partitions}"
        )
    return stored
