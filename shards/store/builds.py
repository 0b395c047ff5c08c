"""Builds of worker code: each workflow's registered builds, and the instances on a build."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.core.model import FINAL, Instance, Status
from shards.core.versions import Build
from shards.db import insert_missing
from shards.store.rows import INST, INSTANCE_COLUMNS, of_partitions, to_instance

WB = schema.workflow_builds
_UNFINISHED = sorted(s.value for s in Status if s not in FINAL)


def register_builds(
    conn: sa.Connection, account_id: str, names: Sequence[str], build_id: str, now: int
) -> None:
    """Records that a worker of this build registered these workflows: a build seen first
    now is the newest of its workflow."""
    insert_missing(
        conn,
        WB,
        [
            {
                "account_id": account_id,
                "workflow": n,
                "build_id": build_id,
                "first_registered_at": now,
                "last_registered_at": now,
            }
            for n in names
        ],
    )
    conn.execute(
        WB.update()
        .where(WB.c.account_id == account_id, WB.c.workflow.in_(names), WB.c.build_id == build_id)
        .values(last_registered_at=now)
    )


def workflow_builds(
    conn: sa.Connection, account_id: str, workflows: Collection[str]
) -> dict[str, list[Build]]:
    """The builds registered for these workflows (a workflow with none is left out)."""
    if not workflows:
        return {}
    rows = conn.execute(
        sa.select(
            WB.c.workflow, WB.c.build_id, WB.c.first_registered_at, WB.c.last_registered_at
        ).where(WB.c.account_id == account_id, WB.c.workflow.in_(sorted(workflows)))
    )
    builds: dict[str, list[Build]] = {}
    for r in rows:
        builds.setdefault(r.workflow, []).append(
            Build(r.build_id, r.first_registered_at, r.last_registered_at)
        )
    return builds


def blocked_instances(
    conn: sa.Connection, account_id: str, workflows: Collection[str], partitions: Collection[int]
) -> list[Instance]:
    """The instances of these workflows blocked by a non-determinism, in these partitions.
    Blocked instances are rare, so the partitions are checked here rather than in the query,
    which then binds no list of every partition a shard server owns."""
    if not workflows or not partitions:
        return []
    rows = conn.execute(
        sa.select(*INSTANCE_COLUMNS).where(
            INST.c.account_id == account_id,
            INST.c.workflow.in_(sorted(workflows)),
            INST.c.status == Status.WAITING.value,
            INST.c.blocked.is_not(None),
        )
    )
    return [to_instance(r) for r in rows if r.partition in partitions]


def instances_on_build(
    conn: sa.Connection,
    account_id: str,
    workflow: str,
    build_id: str,
    partitions: Collection[int],
    limit: int,
) -> list[Instance]:
    """Up to limit unfinished instances of a workflow on a build, in these partitions."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(*INSTANCE_COLUMNS)
        .where(
            INST.c.account_id == account_id,
            INST.c.workflow == workflow,
            INST.c.build_id == build_id,
            INST.c.status.in_(_UNFINISHED),
            of_partitions(partitions, conn.dialect),
        )
        .limit(limit)
    )
    return [to_instance(r) for r in rows]


def build_counts(
    conn: sa.Connection, account_id: str, workflow: str, partitions: Collection[int]
) -> list[tuple[str | None, str, int, int]]:
    """(build_id, status, instances, of them blocked) of a workflow's instances in these
    partitions; build_id None for instances not on a build yet."""
    if not partitions:
        return []
    blocked = sa.func.sum(sa.case((INST.c.blocked.is_not(None), 1), else_=0))
    rows: Any = conn.execute(
        sa.select(
            INST.c.build_id,
            INST.c.status,
            sa.func.count().label("n"),
            blocked.label("blocked"),
        )
        .where(
            INST.c.account_id == account_id,
            INST.c.workflow == workflow,
            of_partitions(partitions, conn.dialect),
        )
        .group_by(INST.c.build_id, INST.c.status)
    )
    return [(r.build_id, r.status, int(r.n), int(r.blocked or 0)) for r in rows]
