"""The heartbeats a shard server heard, in memory: a heartbeat checks its leases with a read and
writes nothing; the timer renews a lease that comes due from the latest heartbeat heard under it
(shards.core.machine.fire_due).

So a worker that holds many tasks for a long time costs a read per heartbeat and one write per
task per lease timeout, in the timer's batches, instead of a write per task per heartbeat in its
account's turn at the writer, where a backlog could delay the renewals past the leases. After a
restart or a partition's move nothing is heard yet: a lease then lasts until its written due
time, at most a lease timeout after the last renewal written, and the worker's next heartbeat
(every third of a lease timeout) is heard before it.

A heartbeat is heard as it arrives for the tasks the shard leased to that worker, before its
tokens are read, so a read that waits (many tokens, a busy server) never lets a live lease
lapse; other tokens are heard once the read finds their lease current. The read answers which
leases are lost.

Read and changed on the event loop only; the timer's operation gets a copy (`snapshot`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Mapping

from shards.core.machine import Heard
from shards.engine.types import Key


class Heartbeats:
    """The latest time a heartbeat was heard per (instance, lease).

    Keyed by the lease too, so that a heartbeat under a lease that is not the instance's (a
    stale or a forged token) never hides the one under its current lease: the timer looks up
    the instance's current lease (`heard_under`)."""

    def __init__(self, lease_us: int) -> None:
        self.lease_us = lease_us
        self._heard: dict[tuple[Key, int], int] = {}
        # When the heartbeats older than a lease timeout are next forgotten.
        self._forget_at = 0

    def hear(self, key: Key, lease: int, at: int) -> None:
        if self._heard.get((key, lease), at) <= at:
            self._heard[(key, lease)] = at

    def snapshot(self, now: int) -> dict[tuple[Key, int], int]:
        """The heartbeats heard, as a copy for the timer's operation, which renews a lease only
        from one heard within a lease timeout of now (shards.core.machine.renewed_by). Older
        ones are forgotten at most once a quarter of a lease timeout, so that a timer pass
        copies the table in one step instead of filtering it: at 50,000 held tasks, 0.9 ms on
        the event loop instead of 21."""
        if now >= self._forget_at:
            self._heard = {k: at for k, at in self._heard.items() if at + self.lease_us > now}
            self._forget_at = now + self.lease_us // 4
        return dict(self._heard)


def heard_under(
    snapshot: Mapping[tuple[Key, int], int], key: Key, lease: int | None
) -> Heard | None:
    """The latest heartbeat heard under the instance's current lease, as the machine takes it."""
    if lease is None:
        return None
    at = snapshot.get((key, lease))
    return None if at is None else (lease, at)


class AccountLanes:
    """One lane per account for the heartbeats' reads: an account's heartbeats are read one
    at a time, so however many it sends at once they hold one of the shard's reader threads
    (and that thread's share of the interpreter), and the other accounts' reads and the
    event loop go on beside them."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._holders: Counter[str] = Counter()

    @contextlib.asynccontextmanager
    async def hold(self, account_id: str) -> AsyncIterator[None]:
        """Waits for the account's lane and holds it for the block."""
        lock = self._locks.setdefault(account_id, asyncio.Lock())
        self._holders[account_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._holders[account_id] -= 1
            if not self._holders[account_id]:
                del self._holders[account_id], self._locks[account_id]

    def waiting(self, account_id: str) -> int:
        """The account's heartbeats in its lane, the one being read included."""
        return self._holders[account_id]
