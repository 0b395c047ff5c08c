"""The heartbeats a shard server heard, in memory: a heartbeat checks its leases with a read and
writes nothing; the timer renews a lease that comes due from the latest heartbeat heard under it
(shards.core.machine.fire_due).

So a worker that holds many tasks for a long time costs a read per heartbeat and one write per
task per lease timeout, in the timer's batches, instead of a write per task per heartbeat in its
account's turn at the writer, where a backlog could delay the renewals past the leases. After a
restart or a partition's move nothing is heard yet: a lease then lasts until its written due
time, at most a lease timeout after the last renewal written, and the worker's next heartbeat
(every third of a lease timeout) is heard before it.

Read and changed on the event loop only; the timer's operation gets a copy (`snapshot`).
"""

from __future__ import annotations

from shards.core.machine import Heard
from shards.engine.types import Key


class Heartbeats:
    """The latest heartbeat heard per instance: (lease, at)."""

    def __init__(self, lease_us: int) -> None:
        self.lease_us = lease_us
        self._heard: dict[Key, Heard] = {}

    def hear(self, key: Key, lease: int, at: int) -> None:
        self._heard[key] = (lease, at)

    def snapshot(self, now: int) -> dict[Key, Heard]:
        """The heartbeats that still keep a lease (heard within a lease timeout of now), as a
        copy for the timer's operation; older ones are forgotten."""
        live = {k: h for k, h in self._heard.items() if h[1] + self.lease_us > now}
        self._heard = dict(live)
        return live
