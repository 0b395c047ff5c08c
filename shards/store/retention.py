"""Retention: finished instances whose retention has run out, an account's retention, and
deleting instances with everything they own."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import sqlalchemy as sa

from shards import schema
from shards.store.rows import BY_KEYS, INST, ST, E, H, Key, S, bp, keys_params, of_partitions


def delete_instances(conn: sa.Connection, keys: Sequence[Key]) -> None:
    """Deletes instances with their steps, events and history."""
    if not keys:
        return
    params = keys_params(keys)
    for table in (S, E, H, ST):
        # The partition and uid lists are matched as pairs through the uid, which is unique.
        conn.execute(
            table.delete().where(
                table.c.partition.in_(bp("k_partitions", expanding=True)),
                table.c.uid.in_(bp("k_uids", expanding=True)),
            ),
            params,
        )
    conn.execute(INST.delete().where(*BY_KEYS), params)


def expired_instances(
    conn: sa.Connection, now: int, limit: int, partitions: Collection[int]
) -> list[Key]:
    """Keys of finished instances of these partitions whose retention has run out, oldest
    expiry first."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(INST.c.partition, INST.c.uid)
        .where(INST.c.expires_at.is_not(None), INST.c.expires_at <= now, of_partitions(partitions))
        .order_by(INST.c.expires_at)
        .limit(limit)
    )
    return [(r.partition, r.uid) for r in rows]


def account_retention(conn: sa.Connection, account_id: str) -> int | None:
    """The account's retention in microseconds, when it has one of its own."""
    A = schema.accounts
    value = conn.execute(sa.select(A.c.retention_us).where(A.c.id == account_id)).scalar()
    return None if value is None else int(value)
