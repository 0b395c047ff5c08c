"""The partitions this shard server owns, and the fence that keeps it from writing others.

The membership (shards.membership) hands the engine the partitions it holds, each with its
lease epoch, and the monotonic time until which it may write for them. Every write batch runs
`fence` in its own transaction (shards.committer): a partition not owned now, or whose lease
row names another owner or epoch, is refused with NotOwner. Sweeps over every owned partition
(timers, retention) take only the `writable` ones.

`owned` and `valid_until` are set on the event loop (`take`) and read in the writer thread by
the fence; each is replaced whole, never changed in place, so the writer reads one consistent
value.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection

import sqlalchemy as sa

from shards import store
from shards.membership import Ownership
from shards.metrics import Metrics

log = logging.getLogger(__name__)


class Partitions:
    """The partitions owned (partition → lease epoch) and the fence on writes."""

    def __init__(self, member_id: str, metrics: Metrics) -> None:
        self.member_id = member_id
        self.metrics = metrics
        self.owned: dict[int, int] = {}
        # The monotonic time until which this server may write for the partitions it owns.
        self.valid_until = 0.0
        # Write batches refused because a partition was not (or no longer) owned.
        self.fence_refusals = 0

    def take(self, ownership: Ownership) -> tuple[set[int], set[int]]:
        """Takes the partitions the membership holds now; answers those whose in-memory state
        must be forgotten (lost, or moved to a new epoch) and those to load (gained or moved)."""
        new = ownership.epochs
        lost = set(self.owned) - set(new)
        gained = set(new) - set(self.owned)
        moved = {p for p in set(new) & set(self.owned) if new[p] != self.owned[p]}
        self.owned = dict(new)
        self.metrics.partitions_owned.set(len(self.owned))
        if ownership.epochs:
            self.metrics.lease_renewals.inc()
        self.valid_until = ownership.valid_until
        return lost | moved, gained | moved

    def fence(self, conn: sa.Connection, partitions: set[int]) -> dict[int, str | None]:
        """In a write transaction: the partitions of the set this server may not write, because
        its leases may have lapsed or the table names another owner or epoch, each with its
        owner per the table (None when unknown). Counted as refusals: the committer answers
        NotOwner for them."""
        bad = self._unwritable(conn, partitions)
        if bad:
            self.fence_refusals += 1
            self.metrics.fence_refusals.inc(len(bad))
            log.info("fenced: refused a write for %d partition(s) not owned now", len(bad))
        return bad

    def lease_clock_ran_out(self) -> bool:
        """True once this server's leases may have lapsed (it has owned partitions, but no
        renewal within the lease's time, as measured on its own monotonic clock)."""
        return bool(self.owned) and time.monotonic() > self.valid_until

    def _unwritable(
        self, conn: sa.Connection, partitions: Collection[int]
    ) -> dict[int, str | None]:
        owned = self.owned
        if time.monotonic() > self.valid_until:
            return dict.fromkeys(partitions)
        leases = store.lease_epochs(conn, partitions)
        bad: dict[int, str | None] = {}
        for p in partitions:
            owner, epoch = leases.get(p, (None, 0))
            if p not in owned or (owner, epoch) != (self.member_id, owned[p]):
                bad[p] = owner if owner != self.member_id else None
        return bad

    def writable(self, conn: sa.Connection, among: Collection[int] | None = None) -> frozenset[int]:
        """In a write transaction that sweeps every owned partition (timers, retention), or
        the owned partitions among some: the ones it may write now. A partition that moved
        meanwhile is left to its new owner."""
        owned = frozenset(self.owned)
        if among is not None:
            owned = owned.intersection(among)
        if not owned:
            return owned
        return owned - self._unwritable(conn, owned).keys()
