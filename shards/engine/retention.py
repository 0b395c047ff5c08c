"""Retention: how long a finished instance is kept, and the sweep that deletes expired ones.

A finished instance gets `expires_at = ended_at + retention` (shards.core.machine.finish), its
own retention or its account's. Every purge interval the sweep deletes the expired instances of
the owned partitions, a batch per transaction, so a large backlog never holds one long
transaction.
"""

from __future__ import annotations

import logging
import time

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After
from shards.config import ShardConfig
from shards.engine.effects import Effects
from shards.engine.ownership import Partitions

log = logging.getLogger(__name__)


class Retention:
    """The accounts' retention, and the sweep of expired instances."""

    def __init__(
        self, config: ShardConfig, clock: Clock, partitions: Partitions, effects: Effects
    ) -> None:
        self.config = config
        self.clock = clock
        self.partitions = partitions
        self.effects = effects
        self._cache: dict[str, tuple[float, int]] = {}
        self.purged = 0
        self.purge_batches = 0

    def cached(self, account_id: str) -> int | None:
        """On the event loop: the account's retention as read in the last few seconds."""
        cached = self._cache.get(account_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        return None

    def read(self, conn: sa.Connection, account_id: str) -> int:
        """In the writer thread: the account's retention, or the configured default."""
        own = store.account_retention(conn, account_id)
        return own or int(self.config.default_retention * 1_000_000)

    def remember(self, account_id: str, value: int) -> None:
        """After a commit: keeps an account's retention as read, for a few seconds."""
        self._cache[account_id] = (time.monotonic() + 5.0, value)

    async def purge_expired(self, now: int | None = None, batch: int | None = None) -> int:
        """Deletes finished instances whose retention ran out, a batch per transaction (so
        that a large backlog never holds one long transaction); answers how many."""
        size = batch or self.config.purge_batch
        total = 0
        while True:
            at = self.clock.now_us() if now is None else now

            def op(conn: sa.Connection, after: After, at: int = at) -> int:
                owned = self.partitions.writable(conn)
                keys = store.expired_instances(conn, at, size, owned)
                store.delete_instances(conn, keys)
                return len(keys)

            purged = await self.effects.run(op, cost=size)
            total += purged
            self.purged += purged
            self.purge_batches += 1
            if purged < size:
                return total

    async def loop(self) -> None:
        while True:
            await self.clock.sleep(self.config.purge_interval)
            try:
                purged = await self.purge_expired()
            except Exception:
                log.exception("retention sweep failed; trying again at the next interval")
                continue
            if purged:
                log.info("retention: purged %d finished instance(s)", purged)
