"""Journals (the steps table): the steps of instances, batched by key, their sizes, and the
order the steps ran in."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from shards import schema
from shards.core.model import Instance, Step, StepKind, StepState
from shards.store.rows import (
    BY_KEY,
    INST,
    INSTANCE_COLUMNS,
    STEP_KEY,
    ByKeys,
    H,
    Key,
    S,
    to_instance_of,
    to_step,
    to_step_of,
)

_LOAD_JOURNALS = ByKeys(lambda keys: sa.select(S).where(*keys(S)))
_LOAD_PENDING = ByKeys(
    lambda keys: sa.select(S).where(*keys(S), S.c.state == StepState.PENDING.value)
)
_LOAD_STEP = sa.select(S).where(*STEP_KEY)


def load_journals(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, list[Step]]:
    """The journals of several instances in one query, each in the order steps started."""
    journals: dict[Key, list[Step]] = {k: [] for k in keys}
    if not keys:
        return journals
    for row in _LOAD_JOURNALS.run(conn, keys):
        journals[(row.partition, row.uid)].append(to_step(row))
    for steps in journals.values():
        steps.sort(key=lambda s: (s.started_at, s.name, s.seq))
    return journals


# Bytes of a journal entry, at most: its result, and its failure counted at 4 bytes a
# character (a text column's length is in characters, and UTF-8 takes at most 4 bytes each).
_STEP_BYTES = sa.func.coalesce(sa.func.length(S.c.result), 0) + 4 * (
    sa.func.coalesce(sa.func.length(S.c.error_type), 0)
    + sa.func.coalesce(sa.func.length(S.c.error_message), 0)
)
_JOURNAL_SIZES = ByKeys(
    lambda keys: sa.select(
        S.c.partition, S.c.uid, S.c.name, S.c.seq, S.c.started_at, _STEP_BYTES.label("size")
    ).where(*keys(S))
)


def journal_sizes(
    conn: sa.Connection, keys: Sequence[Key]
) -> dict[Key, list[tuple[str, int, int]]]:
    """Each instance's journal as (name, seq, bytes at most), in the order steps started (as
    load_journals), without reading the results: what pages of a journal are cut by."""
    found: dict[Key, list[tuple[int, str, int, int]]] = {k: [] for k in keys}
    if not keys:
        return {}
    for row in _JOURNAL_SIZES.run(conn, keys):
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
    by_key = {(r.name, r.seq): to_step(r) for r in rows}
    return [by_key[n] for n in names if n in by_key]


def load_step(conn: sa.Connection, key: Key, name: str, seq: int) -> Step | None:
    """One journal entry."""
    params = {"k_partition": key[0], "k_uid": key[1], "k_name": name, "k_seq": seq}
    row = conn.execute(_LOAD_STEP, params).first()
    return None if row is None else to_step(row)


# An instance and one of its journal entries, in one round trip: the step's columns prefixed.
_STEP_PREFIX = "s_"
_LOAD_INSTANCE_AND_STEP = (
    sa.select(*INSTANCE_COLUMNS, *(c.label(_STEP_PREFIX + c.name) for c in S.c))
    .select_from(
        INST.outerjoin(
            S,
            sa.and_(
                S.c.partition == INST.c.partition,
                S.c.uid == INST.c.uid,
                S.c.name == sa.bindparam("k_name"),
                S.c.seq == sa.bindparam("k_seq"),
            ),
        )
    )
    .where(*BY_KEY)
)


def load_instance_and_step(
    conn: sa.Connection, key: Key, name: str, seq: int
) -> tuple[Instance | None, Step | None]:
    """The instance at key and its journal entry (name, seq), each None when missing, in one
    query (what load_instance and load_step read)."""
    params = {"k_partition": key[0], "k_uid": key[1], "k_name": name, "k_seq": seq}
    row = conn.execute(_LOAD_INSTANCE_AND_STEP, params).first()
    if row is None:
        return None, None
    m = row._mapping
    inst = to_instance_of({c.name: m[c.name] for c in INSTANCE_COLUMNS})
    if m[_STEP_PREFIX + "name"] is None:
        return inst, None
    return inst, to_step_of({c.name: m[_STEP_PREFIX + c.name] for c in S.c})


def load_pending_steps(conn: sa.Connection, keys: Sequence[Key]) -> dict[Key, Step]:
    """The step each instance is suspended on (a sleep, an event wait or a retry delay)."""
    if not keys:
        return {}
    rows = _LOAD_PENDING.run(conn, keys)
    return {(r.partition, r.uid): to_step(r) for r in rows}


_UNFINISHED_ROLLBACKS = sa.select(S).where(
    S.c.partition == sa.bindparam("k_partition"),
    S.c.uid == sa.bindparam("k_uid"),
    S.c.kind == StepKind.ROLLBACK.value,
    S.c.state.in_([StepState.PENDING.value, StepState.RUNNING.value]),
)


def unfinished_rollbacks(conn: sa.Connection, key: Key) -> list[Step]:
    """An instance's rollbacks that are not finished (pending a retry, or running)."""
    rows = conn.execute(_UNFINISHED_ROLLBACKS, {"k_partition": key[0], "k_uid": key[1]})
    return [to_step(r) for r in rows]


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
