"""What an account may use on this shard server: its quotas, its running and queued
instances, the steps its running instances recorded, and the refusals counted against it.

Quotas are read through a short-lived cache (shards.quotas.QuotaCache). Running and queued
counts (shards.occupancy) change only after a commit, on the event loop (Effects.count); so do
the step counts of running instances. A check made in the writer thread gets what it needs as a
value captured on the event loop when the command was submitted (`step_count`, `queued`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TypeVar

import sqlalchemy as sa

from shards import store
from shards.clock import Clock
from shards.committer import After
from shards.config import ShardConfig
from shards.core import limits
from shards.core.model import Instance, Step, Transition
from shards.engine.ownership import Partitions
from shards.engine.types import Key
from shards.errors import InvalidArgument, QuotaExceeded
from shards.metrics import Metrics
from shards.occupancy import Occupancy, share
from shards.quotas import QuotaCache, Quotas, add_rejections
from shards.tokens import TaskRef

log = logging.getLogger(__name__)

T = TypeVar("T")


class Admission:
    """Quotas, occupancy and step counts of the accounts served here."""

    def __init__(
        self,
        db: sa.Engine,
        config: ShardConfig,
        clock: Clock,
        metrics: Metrics,
        partitions: Partitions,
        spawn: Callable[[Awaitable[object]], None],
        wake_account: Callable[[str], None],
    ) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        self.metrics = metrics
        self.partitions = partitions
        self._spawn = spawn
        self._wake_account = wake_account
        self.occupancy = Occupancy()
        self.quotas = QuotaCache()
        self._quota_reads: set[str] = set()
        # Calls refused by a quota, per (account, quota).
        self.rejected: Counter[tuple[str, str]] = Counter()
        # Steps recorded by the instances running now (read once a task, then counted).
        self._step_counts: dict[Key, int] = {}
        # Step commands submitted and not answered yet, per task.
        self._steps_in_flight: Counter[Key] = Counter()

    def share(self, limit: int) -> int:
        """This server's part of a cluster-wide limit (shards.occupancy.share)."""
        return share(limit, len(self.partitions.owned), self.config.partitions)

    def quotas_now(self, account_id: str) -> Quotas:
        """The account's quotas as last read; a stale entry is read again in the background."""
        quotas, stale = self.quotas.known(account_id)
        if stale and account_id not in self._quota_reads:
            self._quota_reads.add(account_id)

            async def refresh() -> None:
                try:
                    await asyncio.to_thread(self.read_quotas, account_id)
                finally:
                    self._quota_reads.discard(account_id)
                self._wake_account(account_id)  # the limit may have grown

            self._spawn(refresh())
        return quotas

    def read_quotas(self, account_id: str) -> Quotas:
        """Blocking: reads an account's quotas into the cache."""
        with self.db.connect() as conn:
            return self.quotas.read(conn, account_id)

    def check_payload(
        self, conn: sa.Connection, after: After, account_id: str, field: str, data: bytes
    ) -> None:
        """Refuses a payload over the account's max_payload_bytes (the servers' own limit,
        1 MiB, is checked when the call arrives)."""
        limit = self.quotas.read(conn, account_id).max_payload_bytes
        if len(data) > limit:
            after.append(lambda: self.reject(account_id, "max_payload_bytes"))
            raise InvalidArgument(
                field,
                f"is {len(data):,} bytes; this account's limit is {limit:,} bytes "
                "(quota max_payload_bytes)",
            )

    def queue_full(
        self, after: After, account_id: str, workflow: str, queued: int
    ) -> QuotaExceeded:
        limit = self.quotas.known(account_id)[0].max_queued_per_workflow
        after.append(lambda: self.reject(account_id, "max_queued_per_workflow"))
        return QuotaExceeded(
            "max_queued_per_workflow",
            limit,
            retry_after=1.0,
            detail=f"workflow {workflow!r} has {queued:,} queued instances on this shard server",
        )

    def over_step_limit(
        self,
        conn: sa.Connection,
        after: After,
        inst: Instance,
        existing: Step | None,
        ref: TaskRef,
        name: str,
        seq: int,
        counted: int | None,
    ) -> Transition | None:
        """Before a new step is recorded: when the instance has recorded as many steps as its
        account allows (max_steps_per_instance), the transition that errors the instance
        instead (the task ends; shards.core.limits.past_step_limit). The count is read once per
        task and then kept in memory: `counted` is what step_count answered on the event loop
        when the command was submitted."""
        if existing is not None:
            return None
        limit = self.quotas.read(conn, inst.account_id).max_steps_per_instance
        key = ref.key
        count = counted if counted is not None else store.count_steps(conn, key)
        limited = limits.past_step_limit(
            inst,
            existing,
            lease=ref.lease,
            name=name,
            seq=seq,
            recorded=count,
            limit=limit,
            now=self.clock.now_us(),
        )
        if limited is None:
            recorded = count + 1
            after.append(lambda: self._step_counts.__setitem__(key, recorded))
            return None
        account = inst.account_id
        after.append(lambda: self.reject(account, limits.STEP_QUOTA))
        return limited

    def step_count(self, key: Key) -> int | None:
        """On the event loop, as a step command is submitted: the steps the running instance
        recorded, when counted already and no other step command of the task is on its way
        to the writer (whose step the count would miss: the writer then counts the journal in
        its transaction, which holds every step written before)."""
        if self._steps_in_flight[key]:
            return None
        return self._step_counts.get(key)

    async def step_in_flight(self, key: Key, command: Awaitable[T]) -> T:
        """Runs a step command of the task, counted as on its way to the writer until it has
        its outcome (step_count)."""
        self._steps_in_flight[key] += 1
        try:
            return await command
        finally:
            self._steps_in_flight[key] -= 1
            if not self._steps_in_flight[key]:
                del self._steps_in_flight[key]

    def steps_counted(self, key: Key, count: int) -> None:
        """After the commit of a claim that read the instance's whole journal: the new task's
        step count, so that its first step command need not count the journal."""
        self._step_counts[key] = count

    def forget_steps(self, key: Key) -> None:
        """After a commit: the instance's task ended, and with it its step count."""
        self._step_counts.pop(key, None)

    def within_state_quota(
        self, conn: sa.Connection, after: After, inst: Instance, tr: Transition, growth: int
    ) -> Transition:
        """Counts the bytes a write adds to the instance's recorded state; past the account's
        max_instance_state_bytes the write is dropped and the instance errors instead
        (shards.core.limits.count_state)."""
        limit = self.quotas.read(conn, inst.account_id).max_instance_state_bytes
        checked = limits.count_state(inst, tr, growth, limit, self.clock.now_us())
        return self._counted(after, inst, tr, checked)

    def within_journal_quota(
        self, conn: sa.Connection, after: After, inst: Instance, tr: Transition, was: Step | None
    ) -> Transition:
        """within_state_quota for a transition that writes journal entries in place of `was`
        (None: a new entry, whose start a refusal still records: limits.count_journal)."""
        limit = self.quotas.read(conn, inst.account_id).max_instance_state_bytes
        checked = limits.count_journal(inst, tr, was, limit, self.clock.now_us())
        return self._counted(after, inst, tr, checked)

    def _counted(
        self, after: After, inst: Instance, tr: Transition, checked: Transition
    ) -> Transition:
        """A write refused for the state quota is counted for the account's usage."""
        if checked is not tr:
            account = inst.account_id
            after.append(lambda: self.reject(account, limits.STATE_QUOTA))
        return checked

    def slots_left(self, queue: tuple[str, str]) -> int:
        """How many more instances of the queue's account may start on this server now."""
        account_id = queue[0]
        limit = self.share(self.quotas_now(account_id).max_running)
        return max(limit - self.occupancy.busy(account_id), 0)

    def backlog(self) -> list[tuple[str, str, int, float]]:
        """For a scrape (in its thread): queued instances per workflow in the owned partitions,
        and the age of the oldest."""
        owned = list(self.partitions.owned)
        if not owned:
            return []
        with self.db.connect() as conn:
            rows = store.queued_backlog(conn, owned)
        now = self.clock.now_us()
        return [(a, w, n, max(now - oldest, 0) / 1_000_000) for a, w, n, oldest in rows]

    def reject(self, account_id: str, quota: str) -> None:
        """After a commit: counts a refusal by a quota (usage, and the metric)."""
        self.rejected[(account_id, quota)] += 1
        self.metrics.quota_rejections.labels(account_id, quota).inc()

    async def flush_rejections(
        self, run: Callable[[Callable[[sa.Connection, After], None]], Awaitable[None]]
    ) -> None:
        """Adds the refusals counted since the last flush to the accounts' totals."""
        if not self.rejected:
            return
        counts, self.rejected = self.rejected, Counter()
        try:
            await run(lambda conn, after: add_rejections(conn, counts))
        except Exception:
            log.exception("could not record quota refusals; keeping them for the next try")
            self.rejected.update(counts)
