"""Listings and counts of instances: an account's instances page by page, and the queued and
live instances of a shard's partitions."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import sqlalchemy as sa

from shards.core.model import Instance, Status
from shards.dispatch import route
from shards.store.rows import INST, INSTANCE_COLUMNS, of_partitions, to_instance


def queued_instances(
    conn: sa.Connection, partitions: Collection[int]
) -> list[tuple[str, str, int, str, bool]]:
    """(account_id, ready queue, partition, uid, fresh) of the queued instances of these
    partitions, oldest first: the ready queue is the task queue routed by the instance's build
    (shards.dispatch.route); fresh is True for an instance that never started."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(
            INST.c.account_id,
            INST.c.task_queue,
            INST.c.build_id,
            INST.c.partition,
            INST.c.uid,
            INST.c.started_at,
        )
        .where(INST.c.status == Status.QUEUED.value, of_partitions(partitions, conn.dialect))
        .order_by(INST.c.ready_at)
    )
    return [
        (r.account_id, route(r.task_queue, r.build_id), r.partition, r.uid, r.started_at is None)
        for r in rows
    ]


def queued_backlog(
    conn: sa.Connection, partitions: Collection[int]
) -> list[tuple[str, str, int, int]]:
    """(account_id, workflow, queued, oldest ready_at) of these partitions' queued instances."""
    rows = conn.execute(
        sa.select(
            INST.c.account_id,
            INST.c.workflow,
            sa.func.count().label("n"),
            sa.func.min(INST.c.ready_at).label("oldest"),
        )
        .where(INST.c.status == Status.QUEUED.value, of_partitions(partitions, conn.dialect))
        .group_by(INST.c.account_id, INST.c.workflow)
    )
    return [(r.account_id, r.workflow, int(r.n), int(r.oldest or 0)) for r in rows]


def status_counts(
    conn: sa.Connection, partitions: Collection[int]
) -> list[tuple[int, str, str, str, int]]:
    """(partition, account_id, workflow, status, count) of the queued and running instances
    of these partitions."""
    if not partitions:
        return []
    live = [Status.QUEUED.value, Status.RUNNING.value, Status.WAITING_FOR_PAUSE.value]
    rows = conn.execute(
        sa.select(
            INST.c.partition,
            INST.c.account_id,
            INST.c.workflow,
            INST.c.status,
            sa.func.count().label("n"),
        )
        .where(INST.c.status.in_(live), of_partitions(partitions, conn.dialect))
        .group_by(INST.c.partition, INST.c.account_id, INST.c.workflow, INST.c.status)
    )
    return [(r.partition, r.account_id, r.workflow, r.status, int(r.n)) for r in rows]


def list_instances(
    conn: sa.Connection,
    account_id: str,
    *,
    workflow: str | None,
    statuses: Sequence[Status],
    created_after: int | None,
    created_before: int | None,
    cursor: tuple[int, str] | None,
    limit: int,
) -> list[Instance]:
    """An account's instances, newest first (created_at, then uid, descending), after a cursor.

    The cursor is the (created_at, uid) of the last instance of the previous page: keyset
    paging, so instances created meanwhile never shift a page into duplicates or gaps.
    """
    where = [INST.c.account_id == account_id]
    if workflow:
        where.append(INST.c.workflow == workflow)
    if statuses:
        where.append(INST.c.status.in_([s.value for s in statuses]))
    if created_after is not None:
        where.append(INST.c.created_at >= created_after)
    if created_before is not None:
        where.append(INST.c.created_at < created_before)
    if cursor is not None:
        at, uid = cursor
        where.append(
            sa.or_(INST.c.created_at < at, sa.and_(INST.c.created_at == at, INST.c.uid < uid))
        )
    rows = conn.execute(
        sa.select(*INSTANCE_COLUMNS)
        .where(*where)
        .order_by(INST.c.created_at.desc(), INST.c.uid.desc())
        .limit(limit)
    )
    return [to_instance(r) for r in rows]
