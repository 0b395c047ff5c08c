"""Retention: finished instances whose retention has run out, finished instances matching a
bulk delete's filter, an account's retention, and deleting instances with everything they
own."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import sqlalchemy as sa

from shards import schema
from shards.core.model import Status
from shards.store.rows import (
    INST,
    ST,
    E,
    H,
    Key,
    S,
    binds_arrays,
    keys_match,
    keys_params,
    of_partitions,
    owned_rows_in_order,
)


def delete_instances(conn: sa.Connection, keys: Sequence[Key]) -> None:
    """Deletes instances with their steps, events, history and links to their children."""
    if not keys:
        return
    params, arrays = keys_params(keys), binds_arrays(conn.dialect)
    for table in (S, E, H, ST, schema.child_links, INST):
        conn.execute(table.delete().where(*keys_match(table, arrays=arrays)), params)


def expired_instances(
    conn: sa.Connection, now: int, limit: int, partitions: Collection[int]
) -> list[Key]:
    """Keys of finished instances of these partitions whose retention has run out, oldest
    expiry first."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(INST.c.partition, INST.c.uid)
        .where(
            INST.c.expires_at.is_not(None),
            INST.c.expires_at <= now,
            owned_rows_in_order(INST, partitions, conn.dialect),
        )
        .order_by(INST.c.expires_at)
        .limit(limit)
    )
    return [(r.partition, r.uid) for r in rows]


def finished_instances(
    conn: sa.Connection,
    account_id: str,
    workflow: str | None,
    statuses: Collection[Status],
    created_before: int | None,
    limit: int,
    partitions: Collection[int],
) -> list[Key]:
    """Keys of an account's finished instances of these partitions with one of these (final)
    statuses, of the workflow and created before the time where given; oldest first."""
    if not partitions:
        return []
    where = [
        INST.c.account_id == account_id,
        INST.c.status.in_(sorted(s.value for s in statuses)),
        of_partitions(partitions, conn.dialect),
    ]
    if workflow is not None:
        where.append(INST.c.workflow == workflow)
    if created_before is not None:
        where.append(INST.c.created_at < created_before)
    rows = conn.execute(
        sa.select(INST.c.partition, INST.c.uid)
        .where(*where)
        .order_by(INST.c.created_at, INST.c.uid)
        .limit(limit)
    )
    return [(r.partition, r.uid) for r in rows]


def account_retention(conn: sa.Connection, account_id: str) -> int | None:
    """The account's retention in microseconds, when it has one of its own."""
    A = schema.accounts
    value = conn.execute(sa.select(A.c.retention_us).where(A.c.id == account_id)).scalar()
    return None if value is None else int(value)
