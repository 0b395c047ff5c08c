"""The shard's tables as the store names them, the keys its rows are found by, and the
conversions of rows into machine values (Instance, Step, StepTask)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.core.calls import StepTask, TaskState
from shards.core.model import Backoff, Instance, RollbackOutcome, Status, Step, StepKind, StepState

INST = schema.instances
S = schema.steps
E = schema.events
H = schema.history
ST = schema.step_tasks

Key = tuple[int, str]
"""(partition, uid) of an instance."""

INSTANCE_COLUMNS = [
    INST.c.partition,
    INST.c.uid,
    INST.c.account_id,
    INST.c.workflow,
    INST.c.instance_id,
    INST.c.task_queue,
    INST.c.status,
    INST.c.created_at,
    INST.c.started_at,
    INST.c.ended_at,
    INST.c.ready_at,
    INST.c.due_at,
    INST.c.lease_token,
    INST.c.lease_worker,
    INST.c.current_step,
    INST.c.history_seq,
    INST.c.dispatches,
    INST.c.output,
    INST.c.error_type,
    INST.c.error_message,
    INST.c.error_details,
    INST.c.retention_us,
    INST.c.error_retention_us,
    INST.c.expires_at,
    INST.c.trace_parent,
    INST.c.state_bytes,
    INST.c.rollback,
    INST.c.rollback_step,
    INST.c.rollback_step_seq,
    INST.c.rollback_error_type,
    INST.c.rollback_error_message,
    INST.c.parent,
    INST.c.children,
    INST.c.build_id,
    INST.c.blocked,
]


# Statements are built once: building a Core statement costs far more than running it.
bp = sa.bindparam
BY_KEY = (INST.c.partition == bp("k_partition"), INST.c.uid == bp("k_uid"))
BY_KEYS = (
    INST.c.partition.in_(bp("k_partitions", expanding=True)),
    INST.c.uid.in_(bp("k_uids", expanding=True)),
)
STEPS_BY_KEYS = (
    S.c.partition.in_(bp("k_partitions", expanding=True)),
    S.c.uid.in_(bp("k_uids", expanding=True)),
)
STEP_KEY = (
    S.c.partition == bp("k_partition"),
    S.c.uid == bp("k_uid"),
    S.c.name == bp("k_name"),
    S.c.seq == bp("k_seq"),
)


def keys_params(keys: Sequence[Key]) -> dict[str, Any]:
    return {"k_partitions": sorted({p for p, _ in keys}), "k_uids": [u for _, u in keys]}


def of_partitions(partitions: Collection[int]) -> sa.ColumnElement[bool]:
    """Rows of these partitions (the ones a shard owns)."""
    return INST.c.partition.in_(sorted(partitions))


def to_instance(row: Any) -> Instance:
    return to_instance_of(row._mapping)


def to_instance_of(m: Mapping[str, Any]) -> Instance:
    """An Instance from its columns by name."""
    rollback = m.get("rollback")
    return Instance(
        **{k: m[k] for k in m if k not in ("status", "rollback")},
        status=Status(m["status"]),
        rollback=RollbackOutcome(rollback) if rollback else None,
    )


def to_step(row: Any) -> Step:
    return to_step_of(row._mapping)


def to_step_of(m: Mapping[str, Any]) -> Step:
    """A Step from its columns by name."""
    return Step(
        name=m["name"],
        seq=m["seq"],
        kind=StepKind(m["kind"]),
        state=StepState(m["state"]),
        started_at=m["started_at"],
        attempts=m["attempts"],
        result=m["result"],
        error_type=m["error_type"],
        error_message=m["error_message"],
        wake_at=m["wake_at"],
        event_type=m["event_type"],
        ended_at=m["ended_at"],
        attempt_started_at=m["attempt_started_at"],
        attempt_lease=m["attempt_lease"],
    )


def to_step_task(row: Any) -> StepTask:
    m = dict(row._mapping)
    m["state"] = TaskState(m["state"])
    m["retry_backoff"] = Backoff(m["retry_backoff"])
    return StepTask(**m)
