"""Every query of the engine, named for what it does. Each takes the transaction's connection.

Reads return machine values (Instance, Step); writes take machine Transitions. Lookups by
instance are batched (`load_instances`, `load_journals`) so that a poll or a timer tick costs a
fixed number of statements, not one per instance.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.core.calls import StepKey, StepTask, TaskState
from shards.core.model import (
    Backoff,
    HistoryEntry,
    Instance,
    Status,
    Step,
    StepKind,
    StepState,
    Transition,
)
from shards.db import insert_missing

INST = schema.instances
S = schema.steps
E = schema.events
H = schema.history
ST = schema.step_tasks

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
    INST.c.retention_us,
    INST.c.expires_at,
    INST.c.trace_parent,
    INST.c.state_bytes,
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
    "expires_at",
    "state_bytes",
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
        attempt_started_at=m["attempt_started_at"],
        attempt_lease=m["attempt_lease"],
    )


def new_uid() -> str:
    """A random internal id for a new instance."""
    return uuid.uuid4().hex


# Statements are built once: building a Core statement costs far more than running it.
_bp = sa.bindparam
_BY_KEY = (INST.c.partition == _bp("k_partition"), INST.c.uid == _bp("k_uid"))
_BY_KEYS = (
    INST.c.partition.in_(_bp("k_partitions", expanding=True)),
    INST.c.uid.in_(_bp("k_uids", expanding=True)),
)
_STEPS_BY_KEYS = (
    S.c.partition.in_(_bp("k_partitions", expanding=True)),
    S.c.uid.in_(_bp("k_uids", expanding=True)),
)
_FIND_INSTANCE = sa.select(*_INSTANCE_COLUMNS).where(
    INST.c.account_id == _bp("k_account"),
    INST.c.workflow == _bp("k_workflow"),
    INST.c.instance_id == _bp("k_instance_id"),
)
_LOAD_INSTANCE = sa.select(*_INSTANCE_COLUMNS).where(*_BY_KEY)
_LOAD_INSTANCES = sa.select(*_INSTANCE_COLUMNS).where(*_BY_KEYS)
_LOAD_PARAMS = sa.select(INST.c.partition, INST.c.uid, INST.c.params).where(*_BY_KEYS)
_LOAD_JOURNALS = sa.select(S).where(*_STEPS_BY_KEYS)
_LOAD_PENDING = sa.select(S).where(*_STEPS_BY_KEYS, S.c.state == StepState.PENDING.value)
_STEP_KEY = (
    S.c.partition == _bp("k_partition"),
    S.c.uid == _bp("k_uid"),
    S.c.name == _bp("k_name"),
    S.c.seq == _bp("k_seq"),
)
_LOAD_STEP = sa.select(S).where(*_STEP_KEY)
_INSERT_INSTANCE = INST.insert()
_UPDATE_INSTANCE = INST.update().where(*_BY_KEY).values({c: _bp(f"v_{c}") for c in _MUTABLE})
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
_UPDATE_STEP = S.update().where(*_STEP_KEY).values({c: _bp(f"v_{c}") for c in _STEP_VALUES})
_INSERT_HISTORY = H.insert()
_CONSUME_EVENT = (
    E.update()
    .where(E.c.partition == _bp("k_partition"), E.c.uid == _bp("k_uid"), E.c.id == _bp("k_id"))
    .values(consumed_by=_bp("v_consumed_by"))
)


def _keys_params(keys: Sequence[Key]) -> dict[str, Any]:
    return {"k_partitions": sorted({p for p, _ in keys}), "k_uids": [u for _, u in keys]}


def find_instance(
    conn: sa.Connection, account_id: str, workflow: str, instance_id: str
) -> Instance | None:
    """The instance with this key, if any."""
    params = {"k_account": account_id, "k_workflow": workflow, "k_instance_id": instance_id}
    row = conn.execute(_FIND_INSTANCE, params).first()
    return None if row is None else _instance(row)


def load_instance(conn: sa.Connection, key: Key) -> Instance | None:
    """The instance at (partition, uid), if any."""
    row = conn.execute(_LOAD_INSTANCE, {"k_partition": key[0], "k_uid": key[1]}).first()
    return None if row is None else _instance(row)


def load_instances(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, Instance]:
    """Several instances in one query, by key."""
    if not keys:
        return {}
    found = (_instance(r) for r in conn.execute(_LOAD_INSTANCES, _keys_params(keys)))
    return {(i.partition, i.uid): i for i in found}


def load_params(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, bytes]:
    """The params of several instances in one query."""
    if not keys:
        return {}
    rows = conn.execute(_LOAD_PARAMS, _keys_params(keys))
    return {(r.partition, r.uid): r.params for r in rows}


def load_params_of(conn: sa.Connection, key: Key) -> bytes:
    """The params of one instance."""
    return load_params(conn, [key]).get(key, b"null")


def load_journals(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, list[Step]]:
    """The journals of several instances in one query, each in the order steps started."""
    journals: dict[Key, list[Step]] = {k: [] for k in keys}
    if not keys:
        return journals
    for row in conn.execute(_LOAD_JOURNALS, _keys_params(keys)):
        journals[(row.partition, row.uid)].append(_step(row))
    for steps in journals.values():
        steps.sort(key=lambda s: (s.started_at, s.name, s.seq))
    return journals


# Bytes of a journal entry, at most: its result, and its failure counted at 4 bytes a
# character (a text column's length is in characters, and UTF-8 takes at most 4 bytes each).
_STEP_BYTES = sa.func.coalesce(sa.func.length(S.c.result), 0) + 4 * (
    sa.func.coalesce(sa.func.length(S.c.error_type), 0)
    + sa.func.coalesce(sa.func.length(S.c.error_message), 0)
)
_JOURNAL_SIZES = sa.select(
    S.c.partition, S.c.uid, S.c.name, S.c.seq, S.c.started_at, _STEP_BYTES.label("size")
).where(*_STEPS_BY_KEYS)


def journal_sizes(
    conn: sa.Connection, keys: Sequence[Key]
) -> dict[Key, list[tuple[str, int, int]]]:
    """Each instance's journal as (name, seq, bytes at most), in the order steps started (as
    load_journals), without reading the results: what pages of a journal are cut by."""
    found: dict[Key, list[tuple[int, str, int, int]]] = {k: [] for k in keys}
    if not keys:
        return {}
    for row in conn.execute(_JOURNAL_SIZES, _keys_params(keys)):
        found[(row.partition, row.uid)].append((row.started_at, row.name, row.seq, row.size))
    return {k: [(n, q, size) for _, n, q, size in sorted(rows)] for k, rows in found.items()}


def load_steps(conn: sa.Connection, key: Key, names: Sequence[tuple[str, int]]) -> list[Step]:
    """These journal entries of one instance, in the order given."""
    if not names:
        return []
    rows = conn.execute(
        sa.select(S).where(
            S.c.partition == key[0],
            S.c.uid == key[1],
            sa.tuple_(S.c.name, S.c.seq).in_(list(names)),
        )
    )
    by_key = {(r.name, r.seq): _step(r) for r in rows}
    return [by_key[n] for n in names if n in by_key]


def load_step(conn: sa.Connection, key: Key, name: str, seq: int) -> Step | None:
    """One journal entry."""
    params = {"k_partition": key[0], "k_uid": key[1], "k_name": name, "k_seq": seq}
    row = conn.execute(_LOAD_STEP, params).first()
    return None if row is None else _step(row)


def load_pending_steps(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, Step]:
    """The step each instance is suspended on (a sleep, an event wait or a retry delay)."""
    if not keys:
        return {}
    rows = conn.execute(_LOAD_PENDING, _keys_params(keys))
    return {(r.partition, r.uid): _step(r) for r in rows}


def insert_instance(conn: sa.Connection, inst: Instance, params: bytes) -> None:
    """Writes a new instance row."""
    values = {c.name: getattr(inst, c.name) for c in _INSTANCE_COLUMNS}
    values["status"] = inst.status.value
    conn.execute(_INSERT_INSTANCE, {**values, "params": params})


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
    if new_params is not None:
        insert_instance(conn, new, new_params)
    elif new != old:
        values = {f"v_{c}": getattr(new, c) for c in _MUTABLE}
        values["v_status"] = new.status.value
        conn.execute(_UPDATE_INSTANCE, {**bound_key, **values})
    if tr.dropped_steps:
        _drop_steps(conn, old.partition, old.uid, tr.dropped_steps)
    if tr.drops_step_tasks:
        conn.execute(_DELETE_STEP_TASKS, bound_key)
    known = set(known_steps) - set(tr.dropped_steps)
    for step in tr.steps:
        values = {c: getattr(step, c) for c in _STEP_VALUES}
        values["kind"], values["state"] = step.kind.value, step.state.value
        if (step.name, step.seq) in known:
            params = {**bound_key, "k_name": step.name, "k_seq": step.seq}
            conn.execute(_UPDATE_STEP, {**params, **{f"v_{c}": v for c, v in values.items()}})
        else:
            conn.execute(_INSERT_STEP, {**key, "name": step.name, "seq": step.seq, **values})
    if tr.history:
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


def insert_event(
    conn: sa.Connection,
    key: Key,
    event_id: str,
    event_type: str,
    payload: bytes,
    at: int,
    seq: int,
) -> None:
    """Buffers an event for an instance; seq is its place in the order of arrival."""
    conn.execute(
        E.insert().values(
            partition=key[0],
            uid=key[1],
            id=event_id,
            type=event_type,
            payload=payload,
            received_at=at,
            seq=seq,
        )
    )


def oldest_buffered_event(
    conn: sa.Connection, key: Key, event_type: str
) -> tuple[str, tuple[str, bytes, int]] | None:
    """(id, (type, payload, received_at)) of the unconsumed event of a type that arrived
    first (by seq: events received in the same microsecond keep their order)."""
    row = (
        conn.execute(
            sa.select(E.c.id, E.c.type, E.c.payload, E.c.received_at)
            .where(
                E.c.partition == key[0],
                E.c.uid == key[1],
                E.c.type == event_type,
                E.c.consumed_by.is_(None),
            )
            .order_by(E.c.seq, E.c.received_at, E.c.id)
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return row.id, (row.type, row.payload, row.received_at)


def _of(partitions: Collection[int]) -> sa.ColumnElement[bool]:
    """Rows of these partitions (the ones a shard owns)."""
    return INST.c.partition.in_(sorted(partitions))


def due_instances(
    conn: sa.Connection, now: int, limit: int, partitions: Collection[int]
) -> list[Instance]:
    """Instances whose due time has come (sleep ends, retry due, wait timeout, lease expiry)."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(*_INSTANCE_COLUMNS)
        .where(INST.c.due_at.is_not(None), INST.c.due_at <= now, _of(partitions))
        .order_by(INST.c.due_at)
        .limit(limit)
    )
    return [_instance(r) for r in rows]


def next_due(conn: sa.Connection, partitions: Collection[int]) -> int | None:
    """The earliest due time of any instance or step task of these partitions."""
    if not partitions:
        return None
    first = conn.execute(sa.select(sa.func.min(INST.c.due_at)).where(_of(partitions))).scalar()
    tasks = conn.execute(
        sa.select(sa.func.min(ST.c.due_at)).where(ST.c.partition.in_(sorted(partitions)))
    ).scalar()
    values = [int(v) for v in (first, tasks) if v is not None]
    return min(values) if values else None


def queued_instances(
    conn: sa.Connection, partitions: Collection[int]
) -> list[tuple[str, str, int, str, bool]]:
    """(account_id, task_queue, partition, uid, fresh) of the queued instances of these
    partitions, oldest first; fresh is True for an instance that never started."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(
            INST.c.account_id, INST.c.task_queue, INST.c.partition, INST.c.uid, INST.c.started_at
        )
        .where(INST.c.status == Status.QUEUED.value, _of(partitions))
        .order_by(INST.c.ready_at)
    )
    return [(r.account_id, r.task_queue, r.partition, r.uid, r.started_at is None) for r in rows]


def count_steps(conn: sa.Connection, key: tuple[int, str]) -> int:
    """How many steps an instance has recorded."""
    S = schema.steps
    return int(
        conn.execute(
            sa.select(sa.func.count())
            .select_from(S)
            .where(S.c.partition == key[0], S.c.uid == key[1])
        ).scalar_one()
    )


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
        .where(INST.c.status == Status.QUEUED.value, _of(partitions))
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
        .where(INST.c.status.in_(live), _of(partitions))
        .group_by(INST.c.partition, INST.c.account_id, INST.c.workflow, INST.c.status)
    )
    return [(r.partition, r.account_id, r.workflow, r.status, int(r.n)) for r in rows]


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
    conn: sa.Connection, account_id: str, task_queue: str, names: Sequence[str], now: int
) -> None:
    """Registers workflows on a task queue (the latest registration wins)."""
    W = schema.workflows
    rows = conn.execute(
        sa.select(W.c.name, W.c.task_queue).where(W.c.account_id == account_id, W.c.name.in_(names))
    )
    known = {r.name: r.task_queue for r in rows}
    # Workers register with every shard server at once: the first insert wins, the rest skip.
    insert_missing(
        conn,
        W,
        [
            {"account_id": account_id, "name": n, "task_queue": task_queue, "registered_at": now}
            for n in names
            if n not in known
        ],
    )
    moved = [n for n, q in known.items() if q != task_queue]
    if moved:
        conn.execute(
            W.update()
            .where(W.c.account_id == account_id, W.c.name.in_(moved))
            .values(task_queue=task_queue, registered_at=now)
        )


# ---------------------------------------------------------------------- control and reads

_DELETE_STEP = S.delete().where(*_STEP_KEY)
_RESTORE_EVENTS = (
    E.update()
    .where(
        E.c.partition == _bp("k_partition"),
        E.c.uid == _bp("k_uid"),
        E.c.consumed_by == _bp("k_label"),
    )
    .values(consumed_by=None)
)


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
        conn.execute(_DELETE_STEP_TASK, {**key, "k_name": n, "k_seq": q})


def find_instances(
    conn: sa.Connection, account_id: str, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Instance]:
    """The instances of an account with these (workflow, instance_id), in one query."""
    if not keys:
        return {}
    rows = conn.execute(
        sa.select(*_INSTANCE_COLUMNS).where(
            INST.c.account_id == account_id,
            # Both columns of the unique key, so that its index finds the rows without reading
            # every instance of the account.
            INST.c.workflow.in_(sorted({w for w, _ in keys})),
            INST.c.instance_id.in_(sorted({i for _, i in keys})),
        )
    )
    wanted = set(keys)
    found = (_instance(r) for r in rows)
    return {(i.workflow, i.instance_id): i for i in found if (i.workflow, i.instance_id) in wanted}


def create_many(conn: sa.Connection, created: Sequence[tuple[Transition, bytes]]) -> list[Instance]:
    """Inserts new instances and their first history entries, two statements in all."""
    if not created:
        return []
    rows: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    written = []
    for tr, params in created:
        inst = replace(tr.instance, history_seq=len(tr.history))
        values = {c.name: getattr(inst, c.name) for c in _INSTANCE_COLUMNS}
        values["status"] = inst.status.value
        rows.append({**values, "params": params})
        key = {"partition": inst.partition, "uid": inst.uid}
        history.extend(_history_row(key, n, h) for n, h in enumerate(tr.history, 1))
        written.append(inst)
    conn.execute(_INSERT_INSTANCE, rows)
    conn.execute(_INSERT_HISTORY, history)
    return written


def journal_in_run_order(conn: sa.Connection, key: Key) -> list[Step]:
    """An instance's journal in the order its steps ran.

    The order is that of the history (a step's last recorded entry), not of clocks: workers'
    clocks may disagree, the history's sequence cannot.
    """
    steps = load_journals(conn, [key])[key]
    last = _last_history_seqs(conn, key)
    return sorted(steps, key=lambda s: (last.get((s.name, s.seq), 1 << 62), s.started_at))


def _last_history_seqs(conn: sa.Connection, key: Key) -> dict[tuple[str, int], int]:
    """The seq of each step's last history entry: the order the steps ran in."""
    rows = conn.execute(
        sa.select(H.c.step_name, H.c.step_seq, sa.func.max(H.c.seq).label("last"))
        .where(
            H.c.partition == key[0],
            H.c.uid == key[1],
            H.c.step_name.is_not(None),
            H.c.kind != "restarted",
        )
        .group_by(H.c.step_name, H.c.step_seq)
    )
    return {(r.step_name, r.step_seq): r.last for r in rows}


def run_order_sizes(conn: sa.Connection, key: Key) -> list[tuple[str, int, int]]:
    """An instance's journal as (name, seq, bytes at most) in the order its steps ran (as
    journal_in_run_order), without reading the results."""
    sizes = journal_sizes(conn, [key]).get(key, [])
    last = _last_history_seqs(conn, key)
    order = {(n, q): i for i, (n, q, _) in enumerate(sizes)}
    return sorted(sizes, key=lambda e: (last.get((e[0], e[1]), 1 << 62), order[(e[0], e[1])]))


def delete_instances(conn: sa.Connection, keys: Sequence[Key]) -> None:
    """Deletes instances with their steps, events and history."""
    if not keys:
        return
    params = _keys_params(keys)
    for table in (S, E, H, ST):
        # The partition and uid lists are matched as pairs through the uid, which is unique.
        conn.execute(
            table.delete().where(
                table.c.partition.in_(_bp("k_partitions", expanding=True)),
                table.c.uid.in_(_bp("k_uids", expanding=True)),
            ),
            params,
        )
    conn.execute(INST.delete().where(*_BY_KEYS), params)


def expired_instances(
    conn: sa.Connection, now: int, limit: int, partitions: Collection[int]
) -> list[Key]:
    """Keys of finished instances of these partitions whose retention has run out, oldest
    expiry first."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(INST.c.partition, INST.c.uid)
        .where(INST.c.expires_at.is_not(None), INST.c.expires_at <= now, _of(partitions))
        .order_by(INST.c.expires_at)
        .limit(limit)
    )
    return [(r.partition, r.uid) for r in rows]


def account_retention(conn: sa.Connection, account_id: str) -> int | None:
    """The account's retention in microseconds, when it has one of its own."""
    A = schema.accounts
    value = conn.execute(sa.select(A.c.retention_us).where(A.c.id == account_id)).scalar()
    return None if value is None else int(value)


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
        sa.select(*_INSTANCE_COLUMNS)
        .where(*where)
        .order_by(INST.c.created_at.desc(), INST.c.uid.desc())
        .limit(limit)
    )
    return [_instance(r) for r in rows]


def load_history(
    conn: sa.Connection, key: Key, after_seq: int, limit: int
) -> list[tuple[int, HistoryEntry]]:
    """History entries (seq, entry) of an instance after a seq, oldest first."""
    rows = conn.execute(
        sa.select(H)
        .where(H.c.partition == key[0], H.c.uid == key[1], H.c.seq > after_seq)
        .order_by(H.c.seq)
        .limit(limit)
    )
    return [
        (
            r.seq,
            HistoryEntry(
                r.kind,
                r.at,
                r.step_name,
                r.step_seq,
                r.attempt,
                None if r.detail is None else json.loads(r.detail),
            ),
        )
        for r in rows
    ]


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


def lease_epochs(
    conn: sa.Connection, partitions: Collection[int]
) -> dict[int, tuple[str | None, int]]:
    """(owner, epoch) of these partitions' leases, read in the caller's transaction and locked
    against change until it ends (FOR SHARE: a take of one of them waits for this transaction)."""
    L = schema.partition_leases
    rows = conn.execute(
        sa.select(L.c.partition, L.c.owner, L.c.epoch)
        .where(L.c.partition.in_(sorted(partitions)))
        .with_for_update(read=True)
    )
    return {r.partition: (r.owner, r.epoch) for r in rows}


# ---------------------------------------------------------------------- step tasks (CALL steps)

_STEP_TASK_KEY = (
    ST.c.partition == _bp("k_partition"),
    ST.c.uid == _bp("k_uid"),
    ST.c.name == _bp("k_name"),
    ST.c.seq == _bp("k_seq"),
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
    ST.update().where(*_STEP_TASK_KEY).values({c: _bp(f"v_{c}") for c in _STEP_TASK_MUTABLE})
)
_DELETE_STEP_TASK = ST.delete().where(*_STEP_TASK_KEY)
_DELETE_STEP_TASKS = ST.delete().where(
    ST.c.partition == _bp("k_partition"), ST.c.uid == _bp("k_uid")
)


def _step_task(row: Any) -> StepTask:
    m = dict(row._mapping)
    m["state"] = TaskState(m["state"])
    m["retry_backoff"] = Backoff(m["retry_backoff"])
    return StepTask(**m)


def _step_key_params(key: StepKey) -> dict[str, Any]:
    return {"k_partition": key[0], "k_uid": key[1], "k_name": key[2], "k_seq": key[3]}


def load_step_task(conn: sa.Connection, key: StepKey) -> StepTask | None:
    """The task of a CALL step, while the call is not over."""
    row = conn.execute(_LOAD_STEP_TASK, _step_key_params(key)).first()
    return None if row is None else _step_task(row)


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
    found = (_step_task(r) for r in rows)
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
    conn.execute(_DELETE_STEP_TASK, _step_key_params(key))


def due_step_tasks(
    conn: sa.Connection, now: int, limit: int, partitions: Collection[int]
) -> list[StepTask]:
    """Step tasks whose due time has come (a retry is due, an attempt timed out)."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(ST)
        .where(ST.c.due_at.is_not(None), ST.c.due_at <= now, ST.c.partition.in_(sorted(partitions)))
        .order_by(ST.c.due_at)
        .limit(limit)
    )
    return [_step_task(r) for r in rows]


def ready_step_tasks(
    conn: sa.Connection, partitions: Collection[int]
) -> list[tuple[str, str, StepKey]]:
    """(account_id, task_queue, key) of the ready step tasks of these partitions, oldest
    first."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(ST.c.account_id, ST.c.task_queue, ST.c.partition, ST.c.uid, ST.c.name, ST.c.seq)
        .where(ST.c.state == TaskState.READY.value, ST.c.partition.in_(sorted(partitions)))
        .order_by(ST.c.ready_at)
    )
    return [(r.account_id, r.task_queue, (r.partition, r.uid, r.name, r.seq)) for r in rows]
