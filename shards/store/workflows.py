"""Registered workflows: their task queues and retentions, registering them, and their
summaries."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.core.retention import UNSET, Retentions
from shards.db import insert_missing
from shards.store.rows import INST


def workflow_task_queue(conn: sa.Connection, account_id: str, workflow: str) -> str | None:
    """The task queue a workflow is registered on, if it is registered."""
    W = schema.workflows
    return (
        conn.execute(
            sa.select(W.c.task_queue).where(W.c.account_id == account_id, W.c.name == workflow)
        )
    ).scalar()


def unregistered_workflows(
    conn: sa.Connection, account_id: str, names: Sequence[str]
) -> tuple[int, list[str]]:
    """How many workflows the account has registered, and which of these names are new."""
    W = schema.workflows
    count = conn.execute(
        sa.select(sa.func.count()).select_from(W).where(W.c.account_id == account_id)
    ).scalar_one()
    known = set(
        conn.execute(
            sa.select(W.c.name).where(W.c.account_id == account_id, W.c.name.in_(names))
        ).scalars()
    )
    return int(count), [n for n in names if n not in known]


def register_workflows(
    conn: sa.Connection,
    account_id: str,
    task_queue: str,
    names: Sequence[str],
    now: int,
    options: Mapping[str, Retentions],
) -> None:
    """Registers workflows on a task queue with their retentions (none in options: unset); the
    latest registration wins."""
    W = schema.workflows
    rows = conn.execute(
        sa.select(W.c.name, W.c.task_queue, W.c.success_retention_us, W.c.error_retention_us).where(
            W.c.account_id == account_id, W.c.name.in_(names)
        )
    )
    known = {
        r.name: (r.task_queue, Retentions(r.success_retention_us, r.error_retention_us))
        for r in rows
    }

    def values(name: str) -> dict[str, Any]:
        kept = options.get(name, UNSET)
        return {
            "task_queue": task_queue,
            "registered_at": now,
            "success_retention_us": kept.success_us,
            "error_retention_us": kept.error_us,
        }

    # Workers register with every shard server at once: the first insert wins, the rest skip.
    insert_missing(
        conn,
        W,
        [{"account_id": account_id, "name": n, **values(n)} for n in names if n not in known],
    )
    for name, (queue, kept) in known.items():
        if queue != task_queue or kept != options.get(name, UNSET):
            conn.execute(
                W.update()
                .where(W.c.account_id == account_id, W.c.name == name)
                .values(values(name))
            )


def workflow_retentions(
    conn: sa.Connection, account_id: str, names: Collection[str]
) -> dict[str, Retentions]:
    """The retentions of these workflows that are registered."""
    W = schema.workflows
    rows = conn.execute(
        sa.select(W.c.name, W.c.success_retention_us, W.c.error_retention_us).where(
            W.c.account_id == account_id, W.c.name.in_(names)
        )
    )
    return {r.name: Retentions(r.success_retention_us, r.error_retention_us) for r in rows}


def workflow_summaries(conn: sa.Connection, account_id: str) -> list[tuple[Any, dict[str, int]]]:
    """The account's registered workflows, each with its instance counts by status."""
    W = schema.workflows
    registered = conn.execute(
        sa.select(W.c.name, W.c.task_queue, W.c.registered_at)
        .where(W.c.account_id == account_id)
        .order_by(W.c.name)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for row in conn.execute(
        sa.select(INST.c.workflow, INST.c.status, sa.func.count().label("n"))
        .where(INST.c.account_id == account_id)
        .group_by(INST.c.workflow, INST.c.status)
    ):
        counts.setdefault(row.workflow, {})[row.status] = int(row.n)
    return [(r, counts.get(r.name, {})) for r in registered]
