"""An account's activity minute by minute over the last hour, for the console's overview.

No server keeps per-minute figures (the Prometheus counters are totals since a process
started, per process), so they are read from the instances table by time: creations by
`created_at`, completions and failures by `ended_at` with the final status, and the queue
depth at the end of each minute as the instances created by then that had neither started
nor ended. One query per figure, each a scan of the account's instances (the table has no
index by account and time): fine for the console's one request a refresh, not for a hot path.
Instances deleted, or purged after their retention, no longer count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from shards import schema
from shards.core.model import Status

MINUTE_US = 60_000_000
# Minutes the overview covers.
WINDOW_MINUTES = 60


@dataclass(frozen=True)
class Activity:
    """Per-minute figures, oldest first; minute i ends at `start + (i + 1) minutes`."""

    start_us: int
    created: list[int]
    completed: list[int]
    failed: list[int]
    queued: list[int]


def read_activity(
    conn: sa.Connection, account_id: str, now_us: int, minutes: int = WINDOW_MINUTES
) -> Activity:
    """The account's creations, completions, failures and queue depth per minute, the last
    minute being the one that ends at now_us."""
    inst = schema.instances
    start = now_us - minutes * MINUTE_US
    mine = inst.c.account_id == account_id

    def per_minute(column: sa.ColumnElement[Any], *where: sa.ColumnElement[bool]) -> list[int]:
        # Minute i holds the times in (start + i minutes, start + (i + 1) minutes].
        bucket = ((column - start - 1) // MINUTE_US).label("bucket")
        rows = conn.execute(
            sa.select(bucket, sa.func.count())
            .where(mine, column > start, column <= now_us, *where)
            .group_by(bucket)
        )
        counts = [0] * minutes
        for minute, n in rows:
            counts[int(minute)] += int(n)
        return counts

    ends = [start + (i + 1) * MINUTE_US for i in range(minutes)]
    # An instance waited to start at `end` when it was created by then and neither started
    # nor ended by then (a terminated queued instance ends without starting).
    queued_at = [
        sa.func.sum(
            sa.case(
                (
                    (inst.c.created_at <= end)
                    & (sa.func.coalesce(inst.c.started_at, now_us + 1) > end)
                    & (sa.func.coalesce(inst.c.ended_at, now_us + 1) > end),
                    1,
                ),
                else_=0,
            )
        )
        for end in ends
    ]
    waiting = conn.execute(
        sa.select(*queued_at).where(
            mine,
            sa.or_(inst.c.started_at.is_(None), inst.c.started_at > start),
            sa.or_(inst.c.ended_at.is_(None), inst.c.ended_at > start),
        )
    ).one()
    return Activity(
        start_us=start,
        created=per_minute(inst.c.created_at),
        completed=per_minute(inst.c.ended_at, inst.c.status == Status.COMPLETE.value),
        failed=per_minute(inst.c.ended_at, inst.c.status == Status.ERRORED.value),
        queued=[int(n or 0) for n in waiting],
    )
