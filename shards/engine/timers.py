"""The shard's timer: one background task that sleeps until the earliest due time, then fires
every instance and step task due, in batches.

An instance's `due_at` is when a sleep ends, a retry is due, an event wait times out or a
worker's lease expires, unless a heartbeat heard under it renews it (shards.core.machine.fire_due,
shards.engine.heartbeats); a step task's is when its retry is due
or its attempt times out (shards.core.calls.fire_due). The earliest known due time is kept in
memory (`NextDue`), lowered only on the event loop, by after-commit callbacks and by the loads
of partitions taken over.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After
from shards.config import ShardConfig
from shards.core import calls, machine
from shards.core.model import Status
from shards.db import log_failure
from shards.engine.effects import Effects
from shards.engine.heartbeats import Heartbeats, heard_under
from shards.engine.ownership import Partitions
from shards.engine.types import Key

log = logging.getLogger(__name__)


class NextDue:
    """The earliest due time known, and the event that wakes the timer when it moves earlier."""

    def __init__(self) -> None:
        self.at: int | None = None
        self.wake = asyncio.Event()

    def note(self, due: int) -> None:
        if self.at is None or due < self.at:
            self.at = due
            self.wake.set()


class Timers:
    """Fires what is due, in the committer, as the server's own work."""

    def __init__(
        self,
        config: ShardConfig,
        clock: Clock,
        partitions: Partitions,
        effects: Effects,
        due: NextDue,
        heartbeats: Heartbeats,
    ) -> None:
        self.config = config
        self.clock = clock
        self.partitions = partitions
        self.effects = effects
        self.due = due
        self.heartbeats = heartbeats

    async def loop(self) -> None:
        """Sleeps until the earliest due time, then fires every instance due in batches."""
        due = self.due
        while True:
            now = self.clock.now_us()
            if due.at is not None and due.at <= now:
                due.at = None
                try:
                    fired, nxt = await self.effects.run(
                        self._fire_op(now), cost=self.config.timer_batch
                    )
                except Exception as exc:
                    log_failure(log, "timer transaction failed; trying again", exc)
                    due.note(self.clock.now_us() + 1_000_000)
                    continue
                if fired >= self.config.timer_batch:
                    due.note(now)
                elif nxt is not None:
                    due.note(nxt)
                continue
            due.wake.clear()
            timeout = None if due.at is None else (due.at - now) / 1_000_000
            await self.clock.wait(due.wake, timeout)

    def _fire_op(self, now: int) -> Callable[[sa.Connection, After], tuple[int, int | None]]:
        # The heartbeats heard, as of now: a lease due that one of them keeps is renewed.
        heard = self.heartbeats.snapshot(now)
        lease_us = self.heartbeats.lease_us

        def op(conn: sa.Connection, after: After) -> tuple[int, int | None]:
            owned = self.partitions.writable(conn)
            due = store.due_instances(conn, now, self.config.timer_batch, owned)
            keys = [(i.partition, i.uid) for i in due if i.status is Status.WAITING]
            pending = store.load_pending_steps(conn, keys)
            # Leases renewed from heartbeats heard change the due time alone: written together.
            moves: list[tuple[Key, int | None]] = []
            for inst in due:
                key = (inst.partition, inst.uid)
                kept = heard_under(heard, key, inst.lease_token)
                tr = machine.fire_due(inst, pending.get(key), now, kept, lease_us)
                if tr is None:
                    continue
                if tr.moves_due_only(inst):
                    moves.append((key, tr.instance.due_at))
                else:
                    self.effects.apply(conn, after, inst, tr, known=[pending.get(key)])
            store.move_due_times(conn, moves)
            fired = len(due) + self._fire_calls(conn, after, now, owned)
            if fired >= self.config.timer_batch:
                # A full batch: the loop fires again at once, so the next due time is not read.
                return fired, None
            return fired, store.next_due(conn, owned)

        return op

    def _fire_calls(
        self, conn: sa.Connection, after: After, now: int, owned: frozenset[int]
    ) -> int:
        """In the timer's transaction: retries that are due, attempts that timed out."""
        due = store.due_step_tasks(conn, now, self.config.timer_batch, owned)
        if not due:
            return 0
        found = store.load_instances(conn, list({t.instance_key for t in due}))
        journals = store.load_journals(conn, list({t.instance_key for t in due}))
        for task in due:
            inst = found.get(task.instance_key)
            step = next(
                (s for s in journals.get(task.instance_key, []) if (s.name, s.seq) == task.key[2:]),
                None,
            )
            if inst is None:
                store.delete_step_task(conn, task.key)
                continue
            change = calls.fire_due(inst, step, task, now)
            if change is None:
                continue
            found[task.instance_key] = self.effects.apply_call(
                conn, after, inst, change, task.key, [step]
            )
            if change.attempt_failed:
                after.append(
                    functools.partial(
                        self.effects.attempt, inst, "failed", task.attempt_started_at or 0
                    )
                )
        return len(due)
