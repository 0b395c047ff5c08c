"""Schedules: rows ↔ shards.core.schedules.Schedule, and the queries of commands and the timer."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.core.schedules import (
    Action,
    Cron,
    Interval,
    Overlap,
    Policy,
    Run,
    Schedule,
    Spec,
)
from shards.store.rows import partition_in

SCHED = schema.schedules


def spec_to_json(spec: Spec) -> str:
    """A spec as the JSON the `spec` column holds."""
    trigger = spec.trigger
    stored: dict[str, Any] = (
        {"cron": [trigger.expression, trigger.time_zone]}
        if isinstance(trigger, Cron)
        else {"interval": [trigger.every_us, trigger.offset_us]}
    )
    stored.update(start=spec.start_us, end=spec.end_us, jitter=spec.jitter_us)
    return json.dumps(stored, separators=(",", ":"))


def spec_from_json(text: str) -> Spec:
    """The spec of a `spec` column."""
    stored = json.loads(text)
    trigger = Cron(*stored["cron"]) if "cron" in stored else Interval(*stored["interval"])
    return Spec(trigger, stored["start"], stored["end"], stored["jitter"])


def _row(s: Schedule) -> dict[str, Any]:
    return {
        "partition": s.partition,
        "account_id": s.account_id,
        "schedule_id": s.schedule_id,
        "spec": spec_to_json(s.spec),
        "workflow": s.action.workflow,
        "params": s.action.params,
        "task_queue": s.action.task_queue,
        "retention_us": s.action.retention_us,
        "overlap": s.policy.overlap.value,
        "catchup_window_us": s.policy.catchup_window_us,
        "paused": s.paused,
        "note": s.note,
        "next_fire_at": s.next_us,
        "due_at": s.due_us,
        "last_workflow": None if s.last_instance is None else s.last_instance[0],
        "last_instance_id": None if s.last_instance is None else s.last_instance[1],
        "buffered_at": s.buffered_us,
        "recent_runs": json.dumps(
            [[r.scheduled_us, r.created_us, r.instance_id, r.workflow] for r in s.recent_runs],
            separators=(",", ":"),
        ),
        "fired": s.fired,
        "skipped": s.skipped,
        "missed": s.missed,
        "created_at": s.created_us,
        "updated_at": s.updated_us,
    }


def _schedule(r: sa.Row[Any]) -> Schedule:
    return Schedule(
        account_id=r.account_id,
        schedule_id=r.schedule_id,
        partition=r.partition,
        spec=spec_from_json(r.spec),
        action=Action(r.workflow, bytes(r.params), r.task_queue, r.retention_us),
        policy=Policy(Overlap(r.overlap), r.catchup_window_us),
        created_us=r.created_at,
        updated_us=r.updated_at,
        paused=bool(r.paused),
        note=r.note,
        next_us=r.next_fire_at,
        due_us=r.due_at,
        last_instance=None if r.last_instance_id is None else (r.last_workflow, r.last_instance_id),
        buffered_us=r.buffered_at,
        recent_runs=tuple(Run(*run) for run in json.loads(r.recent_runs)),
        fired=r.fired,
        skipped=r.skipped,
        missed=r.missed,
    )


_LOAD = sa.select(SCHED).where(
    SCHED.c.partition == sa.bindparam("p"),
    SCHED.c.account_id == sa.bindparam("a"),
    SCHED.c.schedule_id == sa.bindparam("s"),
)
_KEY_COLUMNS = ("partition", "account_id", "schedule_id")
_VALUE_COLUMNS = [c.name for c in SCHED.columns if c.name not in _KEY_COLUMNS]
_KEY = sa.and_(
    SCHED.c.partition == sa.bindparam("b_partition"),
    SCHED.c.account_id == sa.bindparam("b_account_id"),
    SCHED.c.schedule_id == sa.bindparam("b_schedule_id"),
)


def load_schedule(
    conn: sa.Connection, partition: int, account_id: str, schedule_id: str
) -> Schedule | None:
    """The schedule of that key, if the account has it."""
    row = conn.execute(_LOAD, {"p": partition, "a": account_id, "s": schedule_id}).first()
    return None if row is None else _schedule(row)


def count_schedules(conn: sa.Connection, account_id: str) -> int:
    """How many schedules the account has, in every partition (the max_schedules quota)."""
    return int(
        conn.execute(
            sa.select(sa.func.count()).select_from(SCHED).where(SCHED.c.account_id == account_id)
        ).scalar_one()
    )


def insert_schedule(conn: sa.Connection, schedule: Schedule) -> None:
    """Inserts a new schedule (its key checked absent in the same transaction)."""
    conn.execute(SCHED.insert(), [_row(schedule)])


def save_schedules(conn: sa.Connection, schedules: Sequence[Schedule]) -> None:
    """Writes schedules that exist: every column but the key."""
    if not schedules:
        return
    rows = [
        {f"b_{k}" if k in _KEY_COLUMNS else k: v for k, v in _row(s).items()} for s in schedules
    ]
    conn.execute(
        SCHED.update().where(_KEY).values({c: sa.bindparam(c) for c in _VALUE_COLUMNS}), rows
    )


def delete_schedule(conn: sa.Connection, partition: int, account_id: str, schedule_id: str) -> bool:
    """Deletes a schedule; False when there was none."""
    deleted = conn.execute(
        SCHED.delete().where(
            SCHED.c.partition == partition,
            SCHED.c.account_id == account_id,
            SCHED.c.schedule_id == schedule_id,
        )
    )
    return deleted.rowcount > 0


def list_schedules(
    conn: sa.Connection,
    account_id: str,
    partitions: Sequence[int] | None,
    after: str,
    limit: int,
) -> list[Schedule]:
    """The account's schedules (in these partitions; None: in all) with an id after `after`,
    by id, at most limit."""
    query = sa.select(SCHED).where(SCHED.c.account_id == account_id, SCHED.c.schedule_id > after)
    if partitions is not None:
        query = query.where(partition_in(SCHED.c.partition, partitions, conn.dialect))
    rows = conn.execute(query.order_by(SCHED.c.schedule_id).limit(limit))
    return [_schedule(r) for r in rows]


def due_schedules(
    conn: sa.Connection, partitions: Sequence[int], now: int, limit: int
) -> list[Schedule]:
    """Schedules of these partitions whose next fire (or buffered fire's retry) is due at now,
    the earliest first, at most limit."""
    rows = conn.execute(
        sa.select(SCHED)
        .where(partition_in(SCHED.c.partition, partitions, conn.dialect), SCHED.c.due_at <= now)
        .order_by(SCHED.c.due_at)
        .limit(limit)
    )
    return [_schedule(r) for r in rows]


def next_schedule_due(conn: sa.Connection, partitions: Sequence[int]) -> int | None:
    """The earliest due time among the schedules of these partitions."""
    due: int | None = conn.execute(
        sa.select(sa.func.min(SCHED.c.due_at)).where(
            partition_in(SCHED.c.partition, partitions, conn.dialect)
        )
    ).scalar()
    return due
