"""Due times: the instances whose due time has come, and the next due time of a shard's
partitions (what its timer waits for)."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from shards.core.model import Instance
from shards.store.rows import (
    BY_KEY,
    INST,
    INSTANCE_COLUMNS,
    ST,
    Key,
    bp,
    owned_rows_in_order,
    to_instance,
)

_MOVE_DUE = INST.update().where(*BY_KEY).values(due_at=bp("v_due_at"))


def due_instances(
    conn: sa.Connection, now: int, limit: int, partitions: Collection[int]
) -> list[Instance]:
    """Instances whose due time has come (sleep ends, retry due, wait timeout, lease expiry)."""
    if not partitions:
        return []
    rows = conn.execute(
        sa.select(*INSTANCE_COLUMNS)
        .where(
            INST.c.due_at.is_not(None),
            INST.c.due_at <= now,
            owned_rows_in_order(INST, partitions, conn.dialect),
        )
        .order_by(INST.c.due_at)
        .limit(limit)
    )
    return [to_instance(r) for r in rows]


def next_due(conn: sa.Connection, partitions: Collection[int]) -> int | None:
    """The earliest due time of any instance or step task of these partitions."""
    if not partitions:
        return None
    values = []
    for table in (INST, ST):
        first = conn.execute(
            sa.select(table.c.due_at)
            .where(
                table.c.due_at.is_not(None), owned_rows_in_order(table, partitions, conn.dialect)
            )
            .order_by(table.c.due_at)
            .limit(1)
        ).scalar()
        if first is not None:
            values.append(int(first))
    return min(values) if values else None


def move_due_times(conn: sa.Connection, moves: list[tuple[Key, int | None]]) -> None:
    """Writes new due times of instances, in one statement run for all of them: the timer's
    lease renewals, which change nothing else (Transition.moves_due_only)."""
    if moves:
        conn.execute(
            _MOVE_DUE,
            [{"k_partition": p, "k_uid": u, "v_due_at": due} for (p, u), due in moves],
        )
