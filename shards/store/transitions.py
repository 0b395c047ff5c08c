"""The writes of a Transition: `apply` (the instance row, its steps, its history, a consumed
event, the steps it drops) and `create_many` (new instances and their first history). On
PostgreSQL the instance's update, its steps and its history go as one statement
(shards.store.together)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from shards.core.model import HistoryEntry, Instance, StepKind, Transition
from shards.store.bulk import insert_all
from shards.store.instances import insert_instance
from shards.store.rows import BY_KEY, INST, INSTANCE_COLUMNS, STEP_KEY, E, H, S, bp
from shards.store.step_tasks import DELETE_STEP_TASK, DELETE_STEP_TASKS
from shards.store.together import write_together, writes_together

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
    "expires_at",
    "state_bytes",
    "rollback",
    "rollback_step",
    "rollback_step_seq",
    "rollback_error_type",
    "rollback_error_message",
    "children",
    "build_id",
    "blocked",
)
_UPDATE_INSTANCE = INST.update().where(*BY_KEY).values({c: bp(f"v_{c}") for c in _MUTABLE})
_STEP_VALUES = (
    "kind",
    "state",
    "attempts",
    "result",
    "error_type",
    "error_message",
    "wake_at",
    "event_type",
    "started_at",
    "ended_at",
    "attempt_started_at",
    "attempt_lease",
)
_INSERT_STEP = S.insert()
_UPDATE_STEP = S.update().where(*STEP_KEY).values({c: bp(f"v_{c}") for c in _STEP_VALUES})
_INSERT_HISTORY = H.insert()
_CONSUME_EVENT = (
    E.update()
    .where(E.c.partition == bp("k_partition"), E.c.uid == bp("k_uid"), E.c.id == bp("k_id"))
    .values(consumed_by=bp("v_consumed_by"))
)

_DELETE_STEP = S.delete().where(*STEP_KEY)
_RESTORE_EVENTS = (
    E.update()
    .where(
        E.c.partition == bp("k_partition"),
        E.c.uid == bp("k_uid"),
        E.c.consumed_by == bp("k_label"),
    )
    .values(consumed_by=None)
)


def apply(
    conn: sa.Connection,
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
    bound_key = {"k_partition": old.partition, "k_uid": old.uid}
    new = replace(tr.instance, history_seq=old.history_seq + len(tr.history))
    # On PostgreSQL the instance, its steps and its history go as one statement (below), when
    # no step is written twice (the parts of one statement see none of each other's rows).
    together = (
        new_params is None
        and writes_together(conn)
        and len({(s.name, s.seq) for s in tr.steps}) == len(tr.steps)
    )
    if new_params is not None:
        insert_instance(conn, new, new_params)
    elif new != old and not together:
        values = {f"v_{c}": getattr(new, c) for c in _MUTABLE}
        values["v_status"] = new.status.value
        values["v_rollback"] = new.rollback.value if new.rollback else None
        conn.execute(_UPDATE_INSTANCE, {**bound_key, **values})
    if tr.dropped_steps:
        _drop_steps(conn, old.partition, old.uid, tr.dropped_steps)
    if tr.drops_step_tasks:
        conn.execute(DELETE_STEP_TASKS, bound_key)
    known = set(known_steps) - set(tr.dropped_steps)
    if together:
        _write_together(conn, old, new, tr, known)
    for step in () if together else tr.steps:
        values = {c: getattr(step, c) for c in _STEP_VALUES}
        values["kind"], values["state"] = step.kind.value, step.state.value
        if (step.name, step.seq) in known:
            params = {**bound_key, "k_name": step.name, "k_seq": step.seq}
            conn.execute(_UPDATE_STEP, {**params, **{f"v_{c}": v for c, v in values.items()}})
        else:
            conn.execute(_INSERT_STEP, {**key, "name": step.name, "seq": step.seq, **values})
    if tr.history and not together:
        conn.execute(
            _INSERT_HISTORY,
            [_history_row(key, old.history_seq + n, h) for n, h in enumerate(tr.history, 1)],
        )
    if tr.consumed_event is not None:
        label = next((s.label for s in tr.steps if s.kind is StepKind.WAIT_FOR_EVENT), "")
        conn.execute(
            _CONSUME_EVENT, {**bound_key, "k_id": tr.consumed_event, "v_consumed_by": label}
        )
    return new


def _write_together(
    conn: sa.Connection, old: Instance, new: Instance, tr: Transition, known: set[tuple[str, int]]
) -> None:
    """The instance's update, its steps and its history in one statement (shards.store.together)."""
    instance = None
    if new != old:
        instance = {c: getattr(new, c) for c in _MUTABLE}
        instance["status"] = new.status.value
    steps = []
    for step in tr.steps:
        values = {"name": step.name, "seq": step.seq, **{c: getattr(step, c) for c in _STEP_VALUES}}
        values["kind"], values["state"] = step.kind.value, step.state.value
        steps.append(((step.name, step.seq) in known, values))
    key = {"partition": old.partition, "uid": old.uid}
    history = [
        {c: v for c, v in _history_row(key, old.history_seq + n, h).items() if c not in key}
        for n, h in enumerate(tr.history, 1)
    ]
    if instance is not None or steps or history:
        write_together(conn, (old.partition, old.uid), instance, steps, history)


def _history_row(key: dict[str, Any], seq: int, h: HistoryEntry) -> dict[str, Any]:
    return {
        **key,
        "seq": seq,
        "at": h.at,
        "kind": str(h.kind),
        "step_name": h.step_name,
        "step_seq": h.step_seq,
        "attempt": h.attempt,
        "detail": None if h.detail is None else json.dumps(h.detail, separators=(",", ":")),
    }


def _drop_steps(
    conn: sa.Connection, partition: int, uid: str, steps: list[tuple[str, int]]
) -> None:
    """Deletes journal entries so that they run again; the events they took are buffered again,
    and the tasks of their calls are deleted."""
    key = {"k_partition": partition, "k_uid": uid}
    # One statement per step, not an executemany: see shards.db.create_engine on pipelines.
    for n, q in steps:
        conn.execute(_DELETE_STEP, {**key, "k_name": n, "k_seq": q})
        conn.execute(_RESTORE_EVENTS, {**key, "k_label": f"{n}#{q}"})
        conn.execute(DELETE_STEP_TASK, {**key, "k_name": n, "k_seq": q})


def create_many(conn: sa.Connection, created: Sequence[tuple[Transition, bytes]]) -> list[Instance]:
    """Inserts new instances and their first history entries: one statement on PostgreSQL,
    two elsewhere (shards.store.bulk)."""
    if not created:
        return []
    rows: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    written = []
    for tr, params in created:
        inst = replace(tr.instance, history_seq=len(tr.history))
        values = {c.name: getattr(inst, c.name) for c in INSTANCE_COLUMNS}
        values["status"] = inst.status.value
        rows.append({**values, "params": params})
        key = {"partition": inst.partition, "uid": inst.uid}
        history.extend(_history_row(key, n, h) for n, h in enumerate(tr.history, 1))
        written.append(inst)
    insert_all(conn, [(INST, _CREATED_COLUMNS, rows), (H, _HISTORY_COLUMNS, history)])
    return written


# The columns create_many writes: those of an instance, and those of a history entry.
_CREATED_COLUMNS = (*(c.name for c in INSTANCE_COLUMNS), "params")
_HISTORY_COLUMNS = (
    "partition",
    "uid",
    "seq",
    "at",
    "kind",
    "step_name",
    "step_seq",
    "attempt",
    "detail",
)
