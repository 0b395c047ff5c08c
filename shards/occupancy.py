"""Running and queued instances per account, in the partitions a shard server owns, and this
server's share of an account's limits.

An account's `max_running` and `max_queued_per_workflow` hold for the whole cluster. Each shard
server enforces a share of them, in proportion to the partitions it holds (an account's
instances are spread over the partitions by hash), rounded down, so that the shares never add
up to more than the limit and the cluster as a whole never runs more than `max_running`
instances of an account.

Counts are kept per partition, so that a partition that moves takes its counts with it: the
new owner reads them from the database when it takes the partition, and the old owner forgets
them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from shards.core.model import LEASED, Status

# (account_id, workflow)
WorkflowKey = tuple[str, str]
# Rows of a partition count: (partition, account_id, workflow, status, count).
CountRow = tuple[int, str, str, str, int]


def share(limit: int, owned: int, partitions: int) -> int:
    """This server's part of a cluster-wide limit: limit * the partitions it holds / P,
    rounded down.

    Only what the server itself holds counts, never its view of the others: leases are
    exclusive, so the partitions the servers hold add up to at most P at every moment, and
    their shares to at most the limit, even while partitions move. Rounding down leaves up to
    K - 1 slots of a K-server cluster unused; one server holding every partition gets the
    whole limit.
    """
    if owned <= 0:
        return 0
    return limit * min(owned, partitions) // partitions


class Occupancy:
    """What the instances of the owned partitions occupy: running ones per account, queued ones
    per (account, workflow), and claims in flight per account."""

    def __init__(self) -> None:
        self._running: dict[int, Counter[str]] = {}
        self._queued: dict[int, Counter[WorkflowKey]] = {}
        self.running: Counter[str] = Counter()
        self.queued: Counter[WorkflowKey] = Counter()
        # Instances a poll took from a ready queue and is claiming now: they count as running.
        self.claiming: Counter[str] = Counter()

    def busy(self, account_id: str) -> int:
        """Running instances of an account here, claims in flight included."""
        return self.running[account_id] + self.claiming[account_id]

    def change(
        self, partition: int, account_id: str, workflow: str, old: Status | None, new: Status
    ) -> bool:
        """Counts one instance's change of status (old None: a new instance). True when it
        freed a running slot."""
        was, now = old in LEASED, new in LEASED
        if was != now:
            delta = 1 if now else -1
            self._running.setdefault(partition, Counter())[account_id] += delta
            self.running[account_id] += delta
        was_q, now_q = old is Status.QUEUED, new is Status.QUEUED
        if was_q != now_q:
            delta = 1 if now_q else -1
            key = (account_id, workflow)
            self._queued.setdefault(partition, Counter())[key] += delta
            self.queued[key] += delta
        return was and not now

    def load(self, partitions: Iterable[int], rows: Iterable[CountRow]) -> None:
        """Sets the counts of these partitions to what the database holds (rows read in the
        shard's writer thread, after every write it committed before)."""
        self.drop(partitions)
        for partition, account_id, workflow, status, count in rows:
            self.change_many(partition, account_id, workflow, Status(status), count)

    def change_many(
        self, partition: int, account_id: str, workflow: str, status: Status, count: int
    ) -> None:
        if status in LEASED:
            self._running.setdefault(partition, Counter())[account_id] += count
            self.running[account_id] += count
        elif status is Status.QUEUED:
            key = (account_id, workflow)
            self._queued.setdefault(partition, Counter())[key] += count
            self.queued[key] += count

    def drop(self, partitions: Iterable[int]) -> None:
        """Forgets the counts of partitions this server no longer owns."""
        for partition in partitions:
            self.running.subtract(self._running.pop(partition, Counter()))
            self.queued.subtract(self._queued.pop(partition, Counter()))
        self.running = +self.running
        self.queued = +self.queued
