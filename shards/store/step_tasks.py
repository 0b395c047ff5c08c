"""Step tasks (the tasks of CALL steps while their calls are not over): loading, writing,
deleting them, and the due and ready ones of a shard's partitions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa

from shards.core.calls import StepKey, StepTask, TaskState
from shards.store.rows import ST, bp, owned_rows_in_order, partition_in, to_step_task

_STEP_TASK_KEY = (
    ST.c.partition == bp("k_partition"),
    ST.c.uid == bp("k_uid"),
    ST.c.name == bp("k_name"),
    ST.c.seq == bp("k_seq"),
)
_STEP_TASK_MUTABLE = (
    "attempt",
    "state",
    "ready_at",
    "due_at",
    "lease_token",
    "lease_worker",
    "attempt_started_at",
    "details",
)
_LOAD_STEP_TASK = sa.select(ST).where(*_STEP_TASK_KEY)
_UPDATE_STEP_TASK = (
    ST.update().where(*_STEP_TASK_KEY).values({c: bp(f"v_{c}") for c in _STEP_TASK_MUTABLE})
)
DELETE_STEP_TASK = ST.delete().where(*_STEP_TASK_KEY)
DELETE_STEP_TASKS = ST.delete().where(ST.c.partition == bp("k_partition"), ST.c.uid == bp("k_uid"))


def _step_key_params(key: StepKey) -> dict[str, Any]:
    return {"k_partition": key[0], "k_uid": key[1], "k_name": key[2], "k_seq": key[3]}


def load_step_task(conn: sa.Connection, key: StepKey) -> StepTask | None:
    """The task of a CALL step, while the call is not over."""
    row = conn.execute(_LOAD_STEP_TASK, _step_key_params(key)).first()
    return None if row is None else to_step_task(row)


def load_step_tasks(conn: sa.Connection, keys: Sequence[StepKey]) -> dict[StepKey, StepTask]:
    """Several step tasks in one query."""
    if not keys:
        return {}
    rows = conn.execute(
        sa.select(ST).where(
            ST.c.partition.in_(sorted({k[0] for k in keys})),
            ST.c.uid.in_(sorted({k[1] for k in keys})),
        )
    )
    wanted = set(keys)
    found = (to_step_task(r) for r in rows)
    return {t.key: t for t in found if t.key in wanted}


def write_step_task(conn: sa.Connection, task: StepTask, *, created: bool) -> None:
    """Inserts a new step task, or updates what changes of one."""
    if created:
        values = {c.name: getattr(task, c.name) for c in ST.columns}
        values["state"] = task.state.value
        values["retry_backoff"] = task.retry_backoff.value
        conn.execute(ST.insert(), values)
        return
    values = {f"v_{c}": getattr(task, c) for c in _STEP_TASK_MUTABLE}
    values["v_state"] = task.state.value
    conn.execute(_UPDATE_STEP_TASK, {**_step_key_params(task.key), **values})


def delete_step_task(conn: sa.Connection, key: StepKey) -> None:
    """Deletes a step task: its call is over."""
    conn.execute(DELETE_STEP_TASK, _step_key_params(key))


def due_step_tasks(
    conn: sa.Connection, now: int, limit: int, partitions: Collection[int]
) -> list[StepTask]:
    """Step tasks whose due time has come (a retry is due, an attempt timed out)."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(ST)
        .where(
            ST.c.due_at.is_not(None),
            ST.c.due_at <= now,
            owned_rows_in_order(ST, partitions, conn.dialect),
        )
        .order_by(ST.c.due_at)
        .limit(limit)
    )
    return [to_step_task(r) for r in rows]


def ready_step_tasks(
    conn: sa.Connection, partitions: Collection[int]
) -> list[tuple[str, str, StepKey]]:
    """(account_id, task_queue, key) of the ready step tasks of these partitions, oldest
    first."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(ST.c.account_id, ST.c.task_queue, ST.c.partition, ST.c.uid, ST.c.name, ST.c.seq)
        .where(
            ST.c.state == TaskState.READY.value,
            partition_in(ST.c.partition, partitions, conn.dialect),
        )
        .order_by(ST.c.ready_at)
    )
    return [(r.account_id, r.task_queue, (r.partition, r.uid, r.name, r.seq)) for r in rows]
