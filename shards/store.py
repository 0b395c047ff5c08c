"""Every query of the engine, named for what it does. Each takes the transaction's connection.

Reads return machine values (Instance, Step); writes take machine Transitions. Lookups by
instance are batched (`load_instances`, `load_journals`) so that a poll or a timer tick costs a
fixed number of statements, not one per instance.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from shards import schema
from shards.machine import (
    HistoryEntry,
    Instance,
    Status,
    Step,
    StepKind,
    StepState,
    Transition,
)

INST = schema.instances
S = schema.steps
E = schema.events
H = schema.history

Key = tuple[int, str]
"""(partition, uid) of an instance."""

_INSTANCE_COLUMNS = [
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
]

# Columns a transition may change.
_MUTABLE = (
    "status",
    "started_at",
    "ended_at",
    "ready_at",
    "due_at",
    "lease_token",
    "lease_worker",
    "current_step",
    "history_seq",
    "dispatches",
    "output",
    "error_type",
    "error_message",
    "error_details",
)


def _instance(row: Any) -> Instance:
    m = row._mapping
    return Instance(**{k: m[k] for k in m if k != "status"}, status=Status(m["status"]))


def _step(row: Any) -> Step:
    m = row._mapping
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
    )


def new_uid() -> str:
    """A random internal id for a new instance."""
    return uuid.uuid4().hex


async def find_instance(
    conn: AsyncConnection, account_id: str, workflow: str, instance_id: str
) -> Instance | None:
    """The instance with this key, if any."""
    row = (
        await conn.execute(
            sa.select(*_INSTANCE_COLUMNS).where(
                INST.c.account_id == account_id,
                INST.c.workflow == workflow,
                INST.c.instance_id == instance_id,
            )
        )
    ).first()
    return None if row is None else _instance(row)


async def load_instance(conn: AsyncConnection, key: Key) -> Instance | None:
    """The instance at (partition, uid), if any."""
    row = (
        await conn.execute(
            sa.select(*_INSTANCE_COLUMNS).where(INST.c.partition == key[0], INST.c.uid == key[1])
        )
    ).first()
    return None if row is None else _instance(row)


async def load_instances(conn: AsyncConnection, keys: Sequence[Key]) -> dict[Key, Instance]:
    """Several instances in one query, by key."""
    if not keys:
        return {}
    rows = await conn.execute(
        sa.select(*_INSTANCE_COLUMNS).where(
            INST.c.partition.in_({p for p, _ in keys}), INST.c.uid.in_([u for _, u in keys])
        )
    )
    found = (_instance(r) for r in rows)
    return {(i.partition, i.uid): i for i in found}


async def load_params(conn: AsyncConnection, keys: Sequence[Key]) -> dict[Key, bytes]:
    """The params of several instances in one query."""
    if not keys:
        return {}
    rows = await conn.execute(
        sa.select(INST.c.partition, INST.c.uid, INST.c.params).where(
            INST.c.partition.in_({p for p, _ in keys}), INST.c.uid.in_([u for _, u in keys])
        )
    )
    return {(r.partition, r.uid): r.params for r in rows}


async def load_params_of(conn: AsyncConnection, key: Key) -> bytes:
    """The params of one instance."""
    return (await load_params(conn, [key])).get(key, b"null")


async def load_journals(conn: AsyncConnection, keys: Sequence[Key]) -> dict[Key, list[Step]]:
    """The journals of several instances in one query, each in the order steps started."""
    journals: dict[Key, list[Step]] = {k: [] for k in keys}
    if not keys:
        return journals
    rows = await conn.execute(
        sa.select(S).where(
            S.c.partition.in_({p for p, _ in keys}), S.c.uid.in_([u for _, u in keys])
        )
    )
    for row in rows:
        journals[(row.partition, row.uid)].append(_step(row))
    for steps in journals.values():
        steps.sort(key=lambda s: (s.started_at, s.name, s.seq))
    return journals


async def load_step(conn: AsyncConnection, key: Key, name: str, seq: int) -> Step | None:
    """One journal entry."""
    row = (
        await conn.execute(
            sa.select(S).where(
                S.c.partition == key[0], S.c.uid == key[1], S.c.name == name, S.c.seq == seq
            )
        )
    ).first()
    return None if row is None else _step(row)


async def load_pending_steps(conn: AsyncConnection, keys: Sequence[Key]) -> dict[Key, Step]:
    """The step each instance is suspended on (a sleep, an event wait or a retry delay)."""
    if not keys:
        return {}
    rows = await conn.execute(
        sa.select(S).where(
            S.c.partition.in_({p for p, _ in keys}),
            S.c.uid.in_([u for _, u in keys]),
            S.c.state == StepState.PENDING.value,
        )
    )
    return {(r.partition, r.uid): _step(r) for r in rows}


async def insert_instance(conn: AsyncConnection, inst: Instance, params: bytes) -> None:
    """Writes a new instance row."""
    values = {c.name: getattr(inst, c.name) for c in _INSTANCE_COLUMNS}
    values["status"] = inst.status.value
    await conn.execute(INST.insert().values(**values, params=params))


async def apply(
    conn: AsyncConnection,
    old: Instance,
    tr: Transition,
    *,
    known_steps: Iterable[tuple[str, int]] = (),
    new_params: bytes | None = None,
) -> Instance:
    """Writes a transition: the instance row, its steps, its history and a consumed event.

    known_steps are the (name, seq) of steps that already have rows (updated, not inserted).
    new_params, for a transition that creates the instance, inserts its row. Returns the
    instance as written.
    """
    key = {"partition": old.partition, "uid": old.uid}
    new = replace(tr.instance, history_seq=old.history_seq + len(tr.history))
    if new_params is not None:
        await insert_instance(conn, new, new_params)
    else:
        changes = {c: getattr(new, c) for c in _MUTABLE if getattr(new, c) != getattr(old, c)}
        if changes:
            if "status" in changes:
                changes["status"] = new.status.value
            await conn.execute(
                INST.update()
                .where(INST.c.partition == old.partition, INST.c.uid == old.uid)
                .values(**changes)
            )
    known = set(known_steps)
    for step in tr.steps:
        values = {
            "kind": step.kind.value,
            "state": step.state.value,
            "attempts": step.attempts,
            "result": step.result,
            "error_type": step.error_type,
            "error_message": step.error_message,
            "wake_at": step.wake_at,
            "event_type": step.event_type,
            "started_at": step.started_at,
            "ended_at": step.ended_at,
        }
        if (step.name, step.seq) in known:
            await conn.execute(
                S.update()
                .where(
                    S.c.partition == old.partition,
                    S.c.uid == old.uid,
                    S.c.name == step.name,
                    S.c.seq == step.seq,
                )
                .values(**values)
            )
        else:
            await conn.execute(S.insert().values(**key, name=step.name, seq=step.seq, **values))
    if tr.history:
        await conn.execute(
            H.insert(),
            [_history_row(key, old.history_seq + n, h) for n, h in enumerate(tr.history, 1)],
        )
    if tr.consumed_event is not None:
        label = next((s.label for s in tr.steps if s.kind is StepKind.WAIT_FOR_EVENT), "")
        await conn.execute(
            E.update()
            .where(E.c.partition == old.partition, E.c.uid == old.uid, E.c.id == tr.consumed_event)
            .values(consumed_by=label)
        )
    return new


def _history_row(key: dict[str, Any], seq: int, h: HistoryEntry) -> dict[str, Any]:
    return {
        **key,
        "seq": seq,
        "at": h.at,
        "kind": h.kind,
        "step_name": h.step_name,
        "step_seq": h.step_seq,
        "attempt": h.attempt,
        "detail": None if h.detail is None else json.dumps(h.detail, separators=(",", ":")),
    }


async def insert_event(
    conn: AsyncConnection, key: Key, event_id: str, event_type: str, payload: bytes, at: int
) -> None:
    """Buffers an event for an instance."""
    await conn.execute(
        E.insert().values(
            partition=key[0],
            uid=key[1],
            id=event_id,
            type=event_type,
            payload=payload,
            received_at=at,
        )
    )


async def oldest_buffered_event(
    conn: AsyncConnection, key: Key, event_type: str
) -> tuple[str, tuple[str, bytes, int]] | None:
    """(id, (type, payload, received_at)) of the oldest unconsumed event of a type."""
    row = (
        await conn.execute(
            sa.select(E.c.id, E.c.type, E.c.payload, E.c.received_at)
            .where(
                E.c.partition == key[0],
                E.c.uid == key[1],
                E.c.type == event_type,
                E.c.consumed_by.is_(None),
            )
            .order_by(E.c.received_at, E.c.id)
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return row.id, (row.type, row.payload, row.received_at)


async def due_instances(conn: AsyncConnection, now: int, limit: int) -> list[Instance]:
    """Instances whose due time has come (sleep ends, retry due, wait timeout, lease expiry)."""
    rows = await conn.execute(
        sa.select(*_INSTANCE_COLUMNS)
        .where(INST.c.due_at.is_not(None), INST.c.due_at <= now)
        .order_by(INST.c.due_at)
        .limit(limit)
    )
    return [_instance(r) for r in rows]


async def next_due(conn: AsyncConnection) -> int | None:
    """The earliest due time of any instance."""
    value = (await conn.execute(sa.select(sa.func.min(INST.c.due_at)))).scalar()
    return None if value is None else int(value)


async def queued_instances(conn: AsyncConnection) -> list[tuple[str, str, int, str]]:
    """(account_id, task_queue, partition, uid) of every queued instance, oldest first."""
    rows = await conn.execute(
        sa.select(INST.c.account_id, INST.c.task_queue, INST.c.partition, INST.c.uid)
        .where(INST.c.status == Status.QUEUED.value)
        .order_by(INST.c.ready_at)
    )
    return [(r.account_id, r.task_queue, r.partition, r.uid) for r in rows]


async def workflow_task_queue(conn: AsyncConnection, account_id: str, workflow: str) -> str | None:
    """The task queue a workflow is registered on, if it is registered."""
    W = schema.workflows
    return (
        await conn.execute(
            sa.select(W.c.task_queue).where(W.c.account_id == account_id, W.c.name == workflow)
        )
    ).scalar()


async def register_workflows(
    conn: AsyncConnection, account_id: str, task_queue: str, names: Sequence[str], now: int
) -> None:
    """Registers workflows on a task queue (the latest registration wins)."""
    W = schema.workflows
    rows = await conn.execute(
        sa.select(W.c.name, W.c.task_queue).where(W.c.account_id == account_id, W.c.name.in_(names))
    )
    known = {r.name: r.task_queue for r in rows}
    fresh = [n for n in names if n not in known]
    if fresh:
        await conn.execute(
            W.insert(),
            [
                {
                    "account_id": account_id,
                    "name": n,
                    "task_queue": task_queue,
                    "registered_at": now,
                }
                for n in fresh
            ],
        )
    moved = [n for n, q in known.items() if q != task_queue]
    if moved:
        await conn.execute(
            W.update()
            .where(W.c.account_id == account_id, W.c.name.in_(moved))
            .values(task_queue=task_queue, registered_at=now)
        )
