"""The shard's tables as the store names them, the keys its rows are found by, and the
conversions of rows into machine values (Instance, Step, StepTask)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
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

Matches = tuple[sa.ColumnElement[bool], ...]

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
STEP_KEY = (
    S.c.partition == bp("k_partition"),
    S.c.uid == bp("k_uid"),
    S.c.name == bp("k_name"),
    S.c.seq == bp("k_seq"),
)


def keys_match(table: sa.Table, *, arrays: bool) -> Matches:
    """Rows of a table keyed by (partition, uid) whose keys are among the pairs of k_partitions
    and k_uids (keys_params), in a form any statement takes, a DELETE included. With arrays
    (PostgreSQL, CockroachDB) the key is `IN` the pairs unnested from the two arrays, each
    found by the primary key; otherwise (SQLite) the two lists are IN lists, matched as pairs
    through the uid, which is unique."""
    if arrays:
        pairs = _unnested_pairs()
        return (sa.tuple_(table.c.partition, table.c.uid).in_(sa.select(pairs.c.p, pairs.c.u)),)
    return (
        table.c.partition.in_(bp("k_partitions", expanding=True)),
        table.c.uid.in_(bp("k_uids", expanding=True)),
    )


def _unnested_pairs() -> sa.TableValuedAlias:
    """k_partitions and k_uids zipped into rows (p, u): `unnest(...) AS k(p, u)`."""
    return (
        sa.func.unnest(
            bp("k_partitions", type_=sa.ARRAY(sa.Integer)),
            bp("k_uids", type_=sa.ARRAY(sa.String)),
        )
        .table_valued(sa.column("p", sa.Integer), sa.column("u", sa.String))
        .render_derived(name="k")
    )


def _unnested_match(table: sa.Table) -> Matches:
    """Rows of a table keyed by (partition, uid) joined with the pairs of k_partitions and
    k_uids: PostgreSQL finds each pair by the primary key. Bound as `partition = ANY(...) AND
    uid = ANY(...)` instead, its index scan tries every partition named with every uid named:
    232 ms for 500 keys among 50,000 instances spread over 256 partitions, against 3 ms."""
    pairs = _unnested_pairs()
    return (table.c.partition == pairs.c.p, table.c.uid == pairs.c.u)


def binds_arrays(dialect: sa.Dialect) -> bool:
    """Whether the database binds a list as one array (PostgreSQL, CockroachDB; not SQLite)."""
    return dialect.name != "sqlite"


def _pairs_match(table: sa.Table) -> Matches:
    """Rows of a table keyed by (partition, uid) whose keys are among k_pairs, a JSON array of
    [partition, uid] pairs, walked as SQLite's json_each table: SQLite then finds each pair by
    the primary key, where two IN lists make it try every partition with every uid."""
    pairs = sa.func.json_each(bp("k_pairs")).table_valued("value").alias("k")
    return (
        table.c.partition == sa.func.json_extract(pairs.c.value, "$[0]"),
        table.c.uid == sa.func.json_extract(pairs.c.value, "$[1]"),
    )


class ByKeys:
    """A query that finds rows by many instance keys, built once for each way of binding them.

    On PostgreSQL and CockroachDB the partitions and the uids are two array parameters, zipped
    into pairs by `unnest` and joined (_unnested_match), each pair found by the primary key: IN
    lists bind one parameter per key, and rendering and adapting those cost the shard 8.6 ms
    of CPU for 500 keys against 1.75 ms as arrays. On SQLite the keys are one JSON parameter
    of pairs, joined through json_each (_pairs_match): with IN lists, SQLite seeks every
    partition named with every uid named, 96 ms for 500 keys among 28,000 instances against
    3 ms by pairs. A key named twice is looked up once."""

    def __init__(self, build: Callable[[Callable[[sa.Table], Matches]], sa.Executable]) -> None:
        self._build = build
        self._built: dict[bool, sa.Executable] = {}

    def run(self, conn: sa.Connection, keys: Sequence[Key]) -> sa.CursorResult[Any]:
        """The rows of these keys."""
        keys = list(dict.fromkeys(keys))
        arrays = binds_arrays(conn.dialect)
        if arrays:
            params = keys_params(keys)
        else:
            params = {"k_pairs": json.dumps(keys, separators=(",", ":"))}
        return conn.execute(self.for_dialect(conn.dialect), params)

    def for_dialect(self, dialect: sa.Dialect) -> sa.Executable:
        arrays = binds_arrays(dialect)
        stmt = self._built.get(arrays)
        if stmt is None:
            match = _unnested_match if arrays else _pairs_match
            stmt = self._built[arrays] = self._build(match)
        return stmt


def keys_params(keys: Sequence[Key]) -> dict[str, Any]:
    """k_partitions and k_uids for keys_match: the keys' partitions and uids, in pairs."""
    return {"k_partitions": [p for p, _ in keys], "k_uids": [u for _, u in keys]}


def partition_in(
    column: sa.ColumnElement[int], partitions: Collection[int], dialect: sa.Dialect
) -> sa.ColumnElement[bool]:
    """The column's partition is among these. Where the database binds a list as an array
    (PostgreSQL, CockroachDB) the partitions are one parameter, `= ANY(...)`; as an IN list,
    SQLAlchemy expands one parameter per partition on every execution: 2.7 ms of the writer's
    CPU for a shard server's 256 partitions, against 0.7 ms as an array. SQLite takes the list."""
    values = sorted(partitions)
    if binds_arrays(dialect):
        return column == sa.any_(sa.literal(values, sa.ARRAY(sa.Integer)))
    return column.in_(values)


def of_partitions(partitions: Collection[int], dialect: sa.Dialect) -> sa.ColumnElement[bool]:
    """Rows of these partitions (the ones a shard owns)."""
    return partition_in(INST.c.partition, partitions, dialect)


def owned_rows_in_order(
    table: sa.Table, partitions: Collection[int], dialect: sa.Dialect
) -> sa.ColumnElement[bool]:
    """Rows of these partitions, for a query that walks another index in its order (due
    times, expiry) and stops at its limit: the partition is checked row by row
    (`partition + 0`), which no index answers. Given `partition IN (...)`, SQLite chooses the
    index that leads with the partition, reads every row of the owned partitions and sorts
    them: 28 ms for the next due time among 50,000 instances, against 0.15 ms in due order.
    PostgreSQL walks the due index either way."""
    return partition_in(table.c.partition + 0, partitions, dialect)


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
