"""Cluster-wide settings stored in the database, fixed when the cluster is created."""

from __future__ import annotations

import sqlalchemy as sa

from shards import schema

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
        conn.execute(schema.cluster.insert().values(name=PARTITIONS, value=str(partitions)))
        return partitions
    if stored != partitions:
        raise ClusterMismatch(
            f"this cluster has {stored} partitions, fixed at its creation; "
            f"this process was started with {partitions}"
        )
    return stored
