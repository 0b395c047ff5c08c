"""The shard engine: applies commands to instances, runs their timers and dispatches their tasks.

Every command is an operation run by the Committer: it reads what it needs, asks shards.core
what the command does, writes the result with shards.store, and leaves in-memory effects
(dispatching a task, waking a client waiting for a result, re-arming the timer) until after the
commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import sqlalchemy as sa

from shards import pages, store
from shards.caps import check_workflows
from shards.clock import WALL_CLOCK, Clock
from shards.committer import After, Committer, payload_cost, split
from shards.config import ShardConfig
from shards.core import calls, control, limits, machine, model, steps
from shards.core.calls import CallChange, CallSpec, StepKey, StepTask
from shards.core.model import (
    FINAL,
    LEASED,
    Failure,
    HistoryEntry,
    HistoryKind,
    Instance,
    RetryPolicy,
    Status,
    Step,
    Transition,
)
from shards.db import log_failure, run_tx
from shards.dispatch import TaskQueues
from shards.errors import (
    InstanceNotFound,
    InvalidArgument,
    LeaseLost,
    NotFound,
    NotOwner,
    QuotaExceeded,
    StepwayError,
    WorkflowNotFound,
)
from shards.membership import Ownership
from shards.metrics import Metrics
from shards.occupancy import Occupancy, share
from shards.partitioning import partition_of
from shards.quotas import QuotaCache, Quotas, add_rejections
from shards.tokens import StepTaskRef, TaskRef

log = logging.getLogger(__name__)

T = TypeVar("T")
Item = TypeVar("Item")
# A key led by its partition: an instance's or a step task's.
Keyed = TypeVar("Keyed", bound=tuple[Any, ...])
Key = tuple[int, str]
# A watch re-reads the history at least this often, for writes made by another process.
WATCH_POLL_SECONDS = 2.0
ResultKey = tuple[str, str, str]
"""(account_id, workflow, instance_id) of an instance clients wait on."""


@dataclass(frozen=True)
class Task:
    """A workflow task handed to a worker."""

    ref: TaskRef
    instance: Instance
    params: bytes
    # The journal's first page (all of it, when journal_next is None).
    journal: list[Step]
    # Where the journal's next page starts (engine.journal_page), None when this is all.
    journal_next: int | None = None


@dataclass(frozen=True)
class ClaimedStepTask:
    """An attempt of a CALL step handed to a step worker."""

    ref: StepTaskRef
    task: StepTask
    instance: Instance


@dataclass(frozen=True)
class InstanceView:
    """An instance as clients read it, with its journal in run order when asked."""

    instance: Instance
    params: bytes
    steps: list[Step] | None = None
    # Where the next page of steps starts, None when there is none.
    steps_next: int | None = None


@dataclass(frozen=True)
class HistoryPage:
    """Recorded history entries (seq, entry), whether more follow, and the instance's status."""

    entries: list[tuple[int, HistoryEntry]]
    more: bool
    status: Status


@dataclass(frozen=True)
class NewInstance:
    """One instance to create: its key, params, and retention (None: the account's)."""

    workflow: str
    instance_id: str
    params: bytes
    retention_us: int | None = None
    # The W3C traceparent of the creating call, when it was traced.
    trace_parent: str | None = None
    # The task queue the creating call named: the instance waits there, registered workflow or
    # not. None: the workflow's registered queue (WorkflowNotFound when it has none).
    task_queue: str | None = None


@dataclass(frozen=True)
class WorkflowInfo:
    name: str
    task_queue: str
    registered_at: int
    counts: dict[Status, int]


@dataclass(frozen=True)
class StepFailureOutcome:
    """What a failed attempt led to: a retry at a time, or the step's final failure."""

    retry_at: int | None
    exhausted: Failure | None
    # A pause took effect with the report: the worker's task ends.
    task_ended: bool = False


def _resolve(
    outcome: tuple[Instance, bool] | StepwayError | int,
    outcomes: list[tuple[Instance, bool] | StepwayError | int],
) -> tuple[Instance, bool] | StepwayError:
    """An item's outcome; an int points at the earlier item of the same id, created by it."""
    if isinstance(outcome, int):
        created = outcomes[outcome]
        assert isinstance(created, tuple)
        return created[0], False
    return outcome


def _new_lease() -> int:
    return random.getrandbits(63) or 1


class ShardEngine:
    """The durable engine of one shard server."""

    def __init__(
        self,
        db: sa.Engine,
        config: ShardConfig,
        metrics: Metrics | None = None,
        clock: Clock = WALL_CLOCK,
    ) -> None:
        self.db = db
        # What the engine's timers, task leases and retention read and wait on.
        self.clock = clock
        self.config = config
        self.metrics = metrics or Metrics()
        self.committer = Committer(
            db,
            max_batch=config.max_batch,
            fence=self._fence,
            stale=self._lease_clock_ran_out,
            metrics=self.metrics,
        )
        self.queues: TaskQueues[Key] = TaskQueues(capacity=self._slots_left)
        # Ready tasks of CALL steps, per (account, step task queue).
        self.step_queues: TaskQueues[StepKey] = TaskQueues()
        self.metrics.watch_queues(self.queues.depths)
        self.metrics.watch_step_queues(self.step_queues.depths)
        self.metrics.watch_backlog(self._backlog)
        self.occupancy = Occupancy()
        self.quotas = QuotaCache()
        self._quota_reads: set[str] = set()
        # Calls refused by a quota, per (account, quota).
        self.rejected: Counter[tuple[str, str]] = Counter()
        # Steps recorded by the instances running now (read once a task, then counted).
        self._step_counts: dict[Key, int] = {}
        self._lease_us = int(config.lease_timeout * 1_000_000)
        self._task_queues: dict[tuple[str, str], str] = {}
        self._result_waiters: dict[ResultKey, list[asyncio.Future[Instance]]] = defaultdict(list)
        self._worker_keys: dict[str, set[Key]] = defaultdict(set)
        self._open_polls: dict[str, int] = defaultdict(int)
        self._next_due: int | None = None
        self._timer_wake = asyncio.Event()
        self._timer_task: asyncio.Task[None] | None = None
        self._background: set[asyncio.Future[object]] = set()
        self._readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="shard-reader")
        self._history_watchers: dict[Key, set[asyncio.Event]] = defaultdict(set)
        self._retention_cache: dict[str, tuple[float, int]] = {}
        self._purge_task: asyncio.Task[None] | None = None
        self._usage_task: asyncio.Task[None] | None = None
        self.purged = 0
        self.purge_batches = 0
        # The partitions this server owns (partition → lease epoch), from its membership, and
        # the monotonic time until which it may write for them.
        self.member_id = config.member_id
        self.owned: dict[int, int] = {}
        self._valid_until = 0.0
        # Writes refused because a partition was not (or no longer) owned.
        self.fence_refusals = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Starts the committer and the timers. The ready queues and timers of each partition
        are rebuilt from the database when the partition's lease is taken (set_ownership)."""
        self.committer.start()
        self._timer_task = asyncio.create_task(self._timer_loop(), name="shard-timers")
        self._purge_task = asyncio.create_task(self._purge_loop(), name="shard-retention")
        self._usage_task = asyncio.create_task(self._usage_loop(), name="shard-usage")

    async def stop(self) -> None:
        """Stops the timer and the committer; leases stay in the database for the next start."""
        for task in (self._timer_task, self._purge_task, self._usage_task):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._timer_task = self._purge_task = self._usage_task = None
        await self._flush_rejections()
        await self.committer.stop()
        self._readers.shutdown(wait=True)
        self.queues.clear()
        self.step_queues.clear()
        for waiters in self._result_waiters.values():
            for fut in waiters:
                if not fut.done():
                    fut.cancel()

    # ------------------------------------------------------------------ ownership

    def set_ownership(self, ownership: Ownership) -> None:
        """Takes the partitions the membership holds now: loads the new ones' queued instances
        and due times, and forgets the in-memory state of those it lost."""
        new = ownership.epochs
        lost = set(self.owned) - set(new)
        gained = set(new) - set(self.owned)
        moved = {p for p in set(new) & set(self.owned) if new[p] != self.owned[p]}
        self.owned = dict(new)
        self.metrics.partitions_owned.set(len(self.owned))
        if ownership.epochs:
            self.metrics.lease_renewals.inc()
        self._valid_until = ownership.valid_until
        if lost or moved:
            self.queues.drop(lambda key: key[0] in lost or key[0] in moved)
            self.step_queues.drop(lambda key: key[0] in lost or key[0] in moved)
            self.occupancy.drop(lost | moved)
        if gained or moved:
            self._spawn(self._load_partitions(gained | moved))

    async def _load_partitions(self, partitions: set[int]) -> None:
        """Loads what a partition taken over needs in memory: its ready instances, its counts
        of running and queued instances, its earliest due time. Read in the writer thread, so
        that the counts include exactly the writes committed before (later ones count
        themselves)."""

        def op(conn: sa.Connection, after: After) -> None:
            queued = store.queued_instances(conn, partitions)
            ready_calls = store.ready_step_tasks(conn, partitions)
            counts = store.status_counts(conn, partitions)
            due = store.next_due(conn, partitions)

            def load() -> None:
                mine = {p for p in partitions if p in self.owned}
                self.occupancy.load(mine, [c for c in counts if c[0] in mine])
                for account_id, task_queue, partition, uid, fresh in queued:
                    if partition in mine:
                        self.queues.push((account_id, task_queue), (partition, uid), fresh=fresh)
                for account_id, task_queue, step_key in ready_calls:
                    if step_key[0] in mine:
                        self.step_queues.push((account_id, task_queue), step_key)
                if due is not None:
                    self._note_due(due)

            after.append(load)

        try:
            await self._run(op)
        except Exception:
            log.exception("could not load %d partition(s) taken over", len(partitions))

    # ------------------------------------------------------------------ account limits

    def _share(self, limit: int) -> int:
        """This server's part of a cluster-wide limit (shards.occupancy.share)."""
        return share(limit, len(self.owned), self.config.partitions)

    def _quotas_now(self, account_id: str) -> Quotas:
        """The account's quotas as last read; a stale entry is read again in the background."""
        quotas, stale = self.quotas.known(account_id)
        if stale and account_id not in self._quota_reads:
            self._quota_reads.add(account_id)

            async def refresh() -> None:
                try:
                    await asyncio.to_thread(self._read_quotas, account_id)
                finally:
                    self._quota_reads.discard(account_id)
                self.queues.wake_account(account_id)  # the limit may have grown

            self._spawn(refresh())
        return quotas

    def _read_quotas(self, account_id: str) -> Quotas:
        """Blocking: reads an account's quotas into the cache."""
        with self.db.connect() as conn:
            return self.quotas.read(conn, account_id)

    def _check_payload(
        self, conn: sa.Connection, after: After, account_id: str, field: str, data: bytes
    ) -> None:
        """Refuses a payload over the account's max_payload_bytes (the servers' own limit,
        1 MiB, is checked when the call arrives)."""
        limit = self.quotas.read(conn, account_id).max_payload_bytes
        if len(data) > limit:
            after.append(lambda: self._reject(account_id, "max_payload_bytes"))
            raise InvalidArgument(
                field,
                f"is {len(data):,} bytes; this account's limit is {limit:,} bytes "
                "(quota max_payload_bytes)",
            )

    def _queue_full(
        self, after: After, account_id: str, workflow: str, queued: int
    ) -> QuotaExceeded:
        limit = self.quotas.known(account_id)[0].max_queued_per_workflow
        after.append(lambda: self._reject(account_id, "max_queued_per_workflow"))
        return QuotaExceeded(
            "max_queued_per_workflow",
            limit,
            retry_after=1.0,
            detail=f"workflow {workflow!r} has {queued:,} queued instances on this shard server",
        )

    def _over_step_limit(
        self,
        conn: sa.Connection,
        after: After,
        inst: Instance,
        existing: Step | None,
        ref: TaskRef,
        name: str,
        seq: int,
    ) -> bool:
        """Before a new step is recorded: when the instance has recorded as many steps as its
        account allows (max_steps_per_instance), errors the instance instead and answers True
        (the task ends). The count is read once per task and then kept in memory."""
        if existing is not None:
            return False
        limit = self.quotas.read(conn, inst.account_id).max_steps_per_instance
        key = ref.key
        count = self._step_counts.get(key)
        if count is None:
            count = store.count_steps(conn, key)
        if count < limit:
            after.append(lambda: self._step_counts.__setitem__(key, count + 1))
            return False
        machine.check_lease(inst, ref.lease)
        error = Failure(
            "StepLimitExceeded",
            f"step {name!r} #{seq} would be step {count + 1:,} of this instance; its account "
            f"allows {limit:,} (quota max_steps_per_instance)",
        )
        self._apply(
            conn,
            after,
            inst,
            machine.fail(inst, lease=ref.lease, error=error, now=self.clock.now_us()),
        )
        account = inst.account_id
        after.append(lambda: self._reject(account, "max_steps_per_instance"))
        return True

    def _within_state_quota(
        self, conn: sa.Connection, after: After, inst: Instance, tr: Transition, growth: int
    ) -> Transition:
        """Counts the bytes a write adds to the instance's recorded state; past the account's
        max_instance_state_bytes the write is dropped and the instance errors instead
        (limits.count_state)."""
        limit = self.quotas.read(conn, inst.account_id).max_instance_state_bytes
        checked = limits.count_state(inst, tr, growth, limit, self.clock.now_us())
        if checked is not tr:
            account = inst.account_id
            after.append(lambda: self._reject(account, limits.STATE_QUOTA))
        return checked

    def _slots_left(self, queue: tuple[str, str]) -> int:
        """How many more instances of the queue's account may start on this server now."""
        account_id = queue[0]
        limit = self._share(self._quotas_now(account_id).max_running)
        return max(limit - self.occupancy.busy(account_id), 0)

    def _backlog(self) -> list[tuple[str, str, int, float]]:
        """For a scrape (in its thread): queued instances per workflow in the owned partitions,
        and the age of the oldest."""
        owned = list(self.owned)
        if not owned:
            return []
        with self.db.connect() as conn:
            rows = store.queued_backlog(conn, owned)
        now = self.clock.now_us()
        return [(a, w, n, max(now - oldest, 0) / 1_000_000) for a, w, n, oldest in rows]

    def _reject(self, account_id: str, quota: str) -> None:
        """After a commit: counts a refusal by a quota (usage, and the metric)."""
        self.rejected[(account_id, quota)] += 1
        self.metrics.quota_rejections.labels(account_id, quota).inc()

    def _count(self, old: Instance | None, new: Instance) -> None:
        """After a commit: counts an instance's change of status; a freed running slot wakes
        a poll of the account waiting for one (and the task's step count is forgotten)."""
        if new.status not in LEASED:
            self._step_counts.pop((new.partition, new.uid), None)
        if old is None:
            self.metrics.instances_created.labels(new.account_id, new.workflow).inc()
        elif new.status in FINAL and old.status not in FINAL:
            self.metrics.instances_finished.labels(
                new.account_id, new.workflow, new.status.value
            ).inc()
        if self.occupancy.change(
            new.partition,
            new.account_id,
            new.workflow,
            None if old is None else old.status,
            new.status,
        ):
            self.queues.wake_account(new.account_id)

    def _attempt(self, inst: Instance, outcome: str, started_at: int) -> None:
        """After a commit: counts a step attempt and how long it took."""
        self.metrics.step_attempts.labels(inst.account_id, inst.workflow, outcome).inc()
        if started_at:
            self.metrics.step_seconds.labels(inst.workflow).observe(
                max(self.clock.now_us() - started_at, 0) / 1_000_000
            )

    def _fence(self, conn: sa.Connection, partitions: set[int]) -> dict[int, str | None]:
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

    def _lease_clock_ran_out(self) -> bool:
        """True once this server's leases may have lapsed (it has owned partitions, but no
        renewal within the lease's time, as measured on its own monotonic clock)."""
        return bool(self.owned) and time.monotonic() > self._valid_until

    def _unwritable(
        self, conn: sa.Connection, partitions: Collection[int]
    ) -> dict[int, str | None]:
        if time.monotonic() > self._valid_until:
            return dict.fromkeys(partitions)
        leases = store.lease_epochs(conn, partitions)
        bad: dict[int, str | None] = {}
        for p in partitions:
            owner, epoch = leases.get(p, (None, 0))
            if p not in self.owned or (owner, epoch) != (self.member_id, self.owned[p]):
                bad[p] = owner if owner != self.member_id else None
        return bad

    def _writable(self, conn: sa.Connection) -> frozenset[int]:
        """In a write transaction that sweeps every owned partition (timers, retention): the
        ones it may write now. A partition that moved meanwhile is left to its new owner."""
        owned = frozenset(self.owned)
        return owned - self._unwritable(conn, owned).keys()

    # ------------------------------------------------------------------ shared plumbing

    def _spawn(self, work: Awaitable[object]) -> None:
        """Runs work in the background, holding a reference until it is done."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_log_background_failure)

    async def _run(
        self,
        op: Callable[[sa.Connection, After], T],
        partitions: Iterable[int] = (),
        *,
        cost: int = 1,
    ) -> T:
        """Runs a write operation for these partitions in the next group commit."""
        return await self.committer.run(op, frozenset(partitions), cost=cost)

    async def _run_parts(
        self,
        items: Sequence[Item],
        op_for: Callable[[list[Item]], Callable[[sa.Connection, After], T]],
        partitions: Callable[[Item], int | None] = lambda _: None,
        cost: Callable[[Item], int] = lambda _: 1,
    ) -> list[T]:
        """Runs a request too large for one operation as one operation per part of its items
        (shards.committer.split), queued in order, so that other accounts' operations take
        turns between them. Each part commits on its own; the first part's error is raised
        once every part has its outcome."""
        futures = []
        for part in split(items, cost):
            written = frozenset(p for p in map(partitions, part) if p is not None)
            futures.append(self.committer.submit(op_for(part), written, cost=sum(map(cost, part))))
        outcomes = await asyncio.gather(*futures, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return [o for o in outcomes if not isinstance(o, BaseException)]

    def _apply(
        self,
        conn: sa.Connection,
        after: After,
        old: Instance,
        tr: Transition,
        *,
        known: Sequence[Step | None] | None = None,
        new_params: bytes | None = None,
    ) -> Instance:
        """Writes a transition and registers its in-memory effects for after the commit."""
        known_steps = [(s.name, s.seq) for s in known or [] if s is not None]
        if not tr.state_counted:
            # Writes no quota refuses (timers, calls timing out) are counted all the same.
            growth = limits.journal_growth(tr.steps, list(known or []))
            if growth:
                tr.instance = replace(tr.instance, state_bytes=max(old.state_bytes + growth, 0))
        new = store.apply(conn, old, tr, known_steps=known_steps, new_params=new_params)
        key = (new.partition, new.uid)
        if old.status is not new.status:
            after.append(lambda: self._count(old, new))
        if tr.dispatch:
            queue = (new.account_id, new.task_queue)
            fresh = new.started_at is None
            after.append(lambda: self.queues.push(queue, key, fresh=fresh))
        if tr.finished:
            after.append(lambda: self._wake_result_waiters(new))
        if tr.due_at is not None:
            due = tr.due_at
            after.append(lambda: self._note_due(due))
        if old.lease_worker and old.lease_worker != new.lease_worker:
            worker = old.lease_worker
            after.append(lambda: self._worker_keys[worker].discard(key))
        if tr.history and key in self._history_watchers:
            after.append(lambda: self._notify_history(key))
        return new

    def _load_task_instance(self, conn: sa.Connection, account_id: str, ref: TaskRef) -> Instance:
        inst = store.load_instance(conn, ref.key)
        if inst is not None and inst.account_id != account_id:
            # Another account's token: to this caller, there is no such task.
            raise NotFound("task not found: the token is not a task of this account")
        if inst is None:
            raise LeaseLost("the instance no longer exists")
        return inst

    def _partition(self, account_id: str, workflow: str, instance_id: str) -> int:
        return partition_of(account_id, workflow, instance_id, self.config.partitions)

    # ------------------------------------------------------------------ clients

    async def create(
        self,
        account_id: str,
        workflow: str,
        instance_id: str,
        params: bytes,
        retention_us: int | None = None,
        *,
        trace_parent: str | None = None,
        task_queue: str | None = None,
    ) -> tuple[Instance, bool]:
        """Creates an instance, or returns the existing one with created = False."""
        item = NewInstance(workflow, instance_id, params, retention_us, trace_parent, task_queue)
        [outcome] = await self.create_many(account_id, [item])
        if isinstance(outcome, StepwayError):
            raise outcome
        return outcome

    async def create_many(
        self, account_id: str, items: list[NewInstance]
    ) -> list[tuple[Instance, bool] | StepwayError]:
        """Creates instances; each item has its own outcome, in order.

        An id that exists (already, or earlier in the same list) answers the existing instance
        with created = False; an unknown workflow answers its error; the others are created.
        An item whose partition this server does not own answers NotOwner, and the rest are
        created without it. A long list is written as one operation per part (see
        shards.committer.split), in order.
        """
        parts = split(items, lambda item: payload_cost(len(item.params)))
        if len(parts) == 1:
            return await self._create_part(account_id, items)
        done = await asyncio.gather(*(self._create_part(account_id, part) for part in parts))
        return [outcome for part in done for outcome in part]

    async def _create_part(
        self, account_id: str, items: list[NewInstance]
    ) -> list[tuple[Instance, bool] | StepwayError]:
        outcomes: dict[int, tuple[Instance, bool] | StepwayError] = {}
        left = list(range(len(items)))
        while left:
            try:
                done = await self._create_many(account_id, [items[n] for n in left])
            except NotOwner as exc:
                # Each pass drops the partitions refused, so this ends.
                for n in left:
                    p = self._partition(account_id, items[n].workflow, items[n].instance_id)
                    if p in exc.partitions:
                        outcomes[n] = NotOwner({p}, exc.owners)
                left = [n for n in left if n not in outcomes]
                continue
            outcomes.update(zip(left, done, strict=True))
            break
        return [outcomes[n] for n in range(len(items))]

    async def _create_many(
        self, account_id: str, items: list[NewInstance]
    ) -> list[tuple[Instance, bool] | StepwayError]:
        partitions = [self._partition(account_id, i.workflow, i.instance_id) for i in items]

        def op(conn: sa.Connection, after: After) -> list[tuple[Instance, bool] | StepwayError]:
            keys = [(i.workflow, i.instance_id) for i in items]
            existing = store.find_instances(conn, account_id, keys)
            outcomes: list[tuple[Instance, bool] | StepwayError | int] = []
            first: dict[tuple[str, str], int] = {}
            fresh: list[tuple[int, Transition, bytes]] = []
            now = self.clock.now_us()
            default_retention = self._retention_of(conn, account_id)
            queue_limit = self._share(self.quotas.read(conn, account_id).max_queued_per_workflow)
            adding: Counter[str] = Counter()
            for n, (item, key) in enumerate(zip(items, keys, strict=True)):
                if key in existing:
                    outcomes.append((existing[key], False))
                    continue
                if key in first:
                    outcomes.append(first[key])  # resolved below to that item's instance
                    continue
                try:
                    task_queue = item.task_queue or self._task_queue_of(
                        conn, account_id, item.workflow
                    )
                except WorkflowNotFound as err:
                    outcomes.append(err)
                    continue
                try:
                    self._check_payload(conn, after, account_id, "params", item.params)
                except InvalidArgument as err:
                    outcomes.append(err)
                    continue
                queued = self.occupancy.queued[(account_id, item.workflow)] + adding[item.workflow]
                if queued >= queue_limit:
                    outcomes.append(self._queue_full(after, account_id, item.workflow, queued))
                    continue
                adding[item.workflow] += 1
                inst = Instance(
                    partition=partitions[n],
                    uid=store.new_uid(),
                    account_id=account_id,
                    workflow=item.workflow,
                    instance_id=item.instance_id,
                    task_queue=task_queue,
                    status=Status.QUEUED,
                    created_at=now,
                    retention_us=item.retention_us or default_retention,
                    trace_parent=item.trace_parent,
                    state_bytes=len(item.params),
                )
                first[key] = n
                fresh.append((n, machine.create(inst, now), item.params))
                outcomes.append(n)
            written = store.create_many(conn, [(tr, params) for _, tr, params in fresh])
            for (n, _, _), inst in zip(fresh, written, strict=True):
                outcomes[n] = (inst, True)
            ready = [((i.account_id, i.task_queue), (i.partition, i.uid)) for i in written]

            def dispatch() -> None:
                for inst in written:
                    self._count(None, inst)
                for queue, key in ready:
                    self.queues.push(queue, key, fresh=True)

            after.append(dispatch)
            return [_resolve(o, outcomes) for o in outcomes]

        cost = sum(payload_cost(len(i.params)) for i in items)
        return await self._run(op, partitions, cost=cost)

    def _retention_of(self, conn: sa.Connection, account_id: str) -> int:
        """The account's retention (cached for a few seconds), or the configured default."""
        loop_now = time.monotonic()
        cached = self._retention_cache.get(account_id)
        if cached is not None and cached[0] > loop_now:
            return cached[1]
        own = store.account_retention(conn, account_id)
        value = own or int(self.config.default_retention * 1_000_000)
        self._retention_cache[account_id] = (loop_now + 5.0, value)
        return value

    def _task_queue_of(self, conn: sa.Connection, account_id: str, workflow: str) -> str:
        cached = self._task_queues.get((account_id, workflow))
        if cached is not None:
            return cached
        task_queue = store.workflow_task_queue(conn, account_id, workflow)
        if task_queue is None:
            raise WorkflowNotFound(workflow)
        self._task_queues[(account_id, workflow)] = task_queue
        return task_queue

    async def get(
        self,
        account_id: str,
        workflow: str,
        instance_id: str,
        *,
        steps: bool = False,
        steps_from: int = 0,
    ) -> InstanceView:
        """Reads an instance and its params (in a reader thread, beside the writer); with
        steps, one page of its journal in run order, from position steps_from."""

        def read(conn: sa.Connection) -> InstanceView:
            inst = self._find(conn, account_id, workflow, instance_id)
            key = (inst.partition, inst.uid)
            params = store.load_params_of(conn, key)
            if not steps:
                return InstanceView(inst, params)
            entries = store.run_order_sizes(conn, key)
            if steps_from >= len(entries):
                return InstanceView(inst, params, [])
            journal, more = self._page(conn, key, entries, steps_from)
            return InstanceView(inst, params, journal, more)

        return await self._read(read)

    async def _read(self, fn: Callable[[sa.Connection], T]) -> T:
        """Runs a read in a reader thread, on its own connection."""

        def run() -> T:
            # A read in a SERIALIZABLE transaction may be chosen to fail too: retried whole.
            return run_tx(self.db, fn)

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)

    @staticmethod
    def _find(conn: sa.Connection, account_id: str, workflow: str, instance_id: str) -> Instance:
        inst = store.find_instance(conn, account_id, workflow, instance_id)
        if inst is None:
            raise InstanceNotFound(workflow, instance_id)
        return inst

    async def wait(
        self, account_id: str, workflow: str, instance_id: str, timeout: float
    ) -> InstanceView:
        """Reads an instance once it is finished, or when timeout seconds have passed."""
        rkey = (account_id, workflow, instance_id)
        fut: asyncio.Future[Instance] = asyncio.get_running_loop().create_future()
        self._result_waiters[rkey].append(fut)
        try:
            view = await self.get(account_id, workflow, instance_id)
            if view.instance.status in FINAL or timeout <= 0:
                return view
            try:
                # The commit that finished the instance hands it over: no second read.
                return InstanceView(await asyncio.wait_for(fut, timeout), view.params)
            except TimeoutError:
                return await self.get(account_id, workflow, instance_id)
        finally:
            waiters = self._result_waiters.get(rkey)
            if waiters is not None:
                if fut in waiters:
                    waiters.remove(fut)
                if not waiters:
                    del self._result_waiters[rkey]

    def awaits_results(self) -> bool:
        """Whether a client waits for an instance's end now (stepway.testing skips time then)."""
        return bool(self._result_waiters)

    def _wake_result_waiters(self, inst: Instance) -> None:
        for fut in self._result_waiters.get((inst.account_id, inst.workflow, inst.instance_id), []):
            if not fut.done():
                fut.set_result(inst)

    async def send_event(
        self, account_id: str, workflow: str, instance_id: str, event_type: str, payload: bytes
    ) -> bool:
        """Delivers an event to a waiting step, or buffers it. True when a step took it."""

        def op(conn: sa.Connection, after: After) -> bool:
            self._check_payload(conn, after, account_id, "payload", payload)
            inst = store.find_instance(conn, account_id, workflow, instance_id)
            if inst is None:
                raise InstanceNotFound(workflow, instance_id)
            key = (inst.partition, inst.uid)
            pending = (store.load_pending_steps(conn, [key])).get(key)
            event_id, now = uuid.uuid4().hex, self.clock.now_us()
            tr = steps.deliver_event(
                inst,
                pending,
                event_type=event_type,
                payload=payload,
                received_at=now,
                event_id=event_id,
            )
            growth = len(payload) + limits.journal_growth(tr.steps, [pending])
            checked = self._within_state_quota(conn, after, inst, tr, growth)
            if checked is not tr:
                self._apply(conn, after, inst, checked)
                return False
            seq = steps.event_seq(inst)
            store.insert_event(conn, key, event_id, event_type, payload, now, seq)
            self._apply(conn, after, inst, tr, known=[pending])
            return tr.consumed_event is not None

        partition = self._partition(account_id, workflow, instance_id)
        return await self._run(op, [partition], cost=payload_cost(len(payload)))

    # ------------------------------------------------------------------ workers

    async def register(self, account_id: str, task_queue: str, workflows: list[str]) -> None:
        """Registers the workflows a worker runs on a task queue, a part per operation. A call
        that would take the account past its cap of registered workflows is refused before it
        writes; each part checks the cap again in its transaction, so that registrations racing
        each other never pass it."""
        names = list(dict.fromkeys(workflows))
        registered, new = await self._read(
            lambda conn: store.unregistered_workflows(conn, account_id, names)
        )
        check_workflows(account_id, registered, len(new))

        def op_for(part: list[str]) -> Callable[[sa.Connection, After], None]:
            def op(conn: sa.Connection, after: After) -> None:
                registered, new = store.unregistered_workflows(conn, account_id, part)
                check_workflows(account_id, registered, len(new))
                store.register_workflows(conn, account_id, task_queue, part, self.clock.now_us())

                def remember() -> None:
                    for name in part:
                        self._task_queues[(account_id, name)] = task_queue

                after.append(remember)

            return op

        await self._run_parts(names, op_for)

    async def poll(
        self,
        account_id: str,
        worker_id: str,
        task_queue: str,
        max_tasks: int,
        wait: float,
        *,
        fanout: bool = False,
    ) -> list[Task]:
        """Long-polls for up to max_tasks workflow tasks of a task queue.

        A poll cancelled because the worker's connection dropped gives back every task the
        worker holds, so its instances move to another worker at once. A fan-out poll (a
        gateway's, sent to every shard) is cancelled by the gateway when another shard answered
        first: that gives back only what the poll itself claimed.
        """
        queue = (account_id, task_queue)
        if not self.quotas.has(account_id):
            # The running limit of an account never seen must be known before its first claim.
            await asyncio.to_thread(self._read_quotas, account_id)
        self._open_polls[worker_id] += 1
        disconnected = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        try:
            while True:
                keys = await self.queues.take(queue, max_tasks, max(deadline - loop.time(), 0))
                if not keys:
                    return []
                # Keys of partitions that moved away meanwhile are another server's now.
                keys = [k for k in keys if k[0] in self.owned]
                if not keys:
                    continue
                claim = self._claim_in_parts(
                    functools.partial(self._claim_op, worker_id),
                    keys,
                    functools.partial(self.queues.push_front, queue),
                )
                # Until the claim commits, its instances hold running slots of the account.
                self.occupancy.claiming[account_id] += len(keys)
                claim.add_done_callback(functools.partial(self._claimed, account_id, len(keys)))
                try:
                    tasks = await asyncio.shield(claim)
                except asyncio.CancelledError:
                    claim.add_done_callback(functools.partial(self._release_unsent, queue, keys))
                    raise
                except Exception:
                    # Nothing was claimed: the instances are still queued, back in line they go.
                    self.queues.push_front(queue, keys)
                    raise
                # Keys of instances paused, terminated or claimed meanwhile are dropped.
                if tasks or loop.time() >= deadline:
                    return tasks
        except asyncio.CancelledError:
            disconnected = not fanout
            raise
        finally:
            self._open_polls[worker_id] -= 1
            if self._open_polls[worker_id] <= 0:
                del self._open_polls[worker_id]
                if disconnected:
                    self.worker_disconnected(worker_id)

    def _claim_in_parts(
        self,
        make_op: Callable[[list[Keyed]], Callable[[sa.Connection, After], list[T]]],
        keys: list[Keyed],
        put_back: Callable[[list[Keyed]], None],
    ) -> asyncio.Future[list[T]]:
        """Claims ready keys (each led by its partition) in parts of at most
        MAX_OPERATION_COST keys, one writer operation each. The future holds what every part
        claimed; a part that failed puts its keys back in line, and only when every part
        failed does the future fail, with the first part's error (its keys not put back)."""
        chunks = split(keys)
        parts = [
            self.committer.submit(
                make_op(part),
                frozenset(k[0] for k in part),
                cost=len(part),
            )
            for part in chunks
        ]
        if len(parts) == 1:
            return parts[0]
        claimed: asyncio.Future[list[T]] = asyncio.get_running_loop().create_future()

        def settle(_: object) -> None:
            if claimed.done() or not all(p.done() for p in parts):
                return
            failed = [n for n, p in enumerate(parts) if p.cancelled() or p.exception()]
            if len(failed) == len(parts):
                first = parts[0]
                error = first.exception() if not first.cancelled() else None
                claimed.set_exception(error or asyncio.CancelledError())
                return
            for n in failed:
                put_back(chunks[n])
            ok = [p for n, p in enumerate(parts) if n not in failed]
            claimed.set_result([t for p in ok for t in p.result()])

        for part_future in parts:
            part_future.add_done_callback(settle)
        return claimed

    def _claim_op(
        self, worker_id: str, keys: list[Key]
    ) -> Callable[[sa.Connection, After], list[Task]]:
        def op(conn: sa.Connection, after: After) -> list[Task]:
            found = store.load_instances(conn, keys)
            # A key may be in the ready queue twice (paused and resumed, restarted): claim once.
            claimable = [
                k for k in dict.fromkeys(keys) if k in found and found[k].status is Status.QUEUED
            ]
            journals = self._first_pages(conn, claimable)
            params = store.load_params(conn, claimable)
            now = self.clock.now_us()
            tasks = []
            for key in claimable:
                lease = _new_lease()
                tr = machine.claim(found[key], worker_id, lease, now, self._lease_us)
                new = self._apply(conn, after, found[key], tr)
                journal, more = journals[key]
                tasks.append(Task(TaskRef(key[0], key[1], lease), new, params[key], journal, more))

            def track() -> None:
                self._worker_keys[worker_id].update(t.ref.key for t in tasks)

            after.append(track)
            return tasks

        return op

    def _first_pages(
        self, conn: sa.Connection, keys: list[Key]
    ) -> dict[Key, tuple[list[Step], int | None]]:
        """The first page of each instance's journal, and where the next page starts: a
        journal within one page is read whole, in one query for them all."""
        sizes = store.journal_sizes(conn, keys)
        budget = self.config.journal_page_bytes
        whole = [k for k in keys if sum(e[2] for e in sizes[k]) <= budget]
        firsts: dict[Key, tuple[list[Step], int | None]] = {
            k: (journal, None) for k, journal in store.load_journals(conn, whole).items()
        }
        for key in keys:
            if key not in firsts:
                firsts[key] = self._page(conn, key, sizes[key], 0)
        return firsts

    def _page(
        self, conn: sa.Connection, key: Key, entries: list[tuple[str, int, int]], start: int
    ) -> tuple[list[Step], int | None]:
        """The page of journal entries that begins at start, and where the next one starts."""
        end = pages.cut([e[2] for e in entries], start, self.config.journal_page_bytes)
        steps = store.load_steps(conn, key, [(n, q) for n, q, _ in entries[start:end]])
        return steps, (end if end < len(entries) else None)

    async def journal_page(
        self, account_id: str, ref: TaskRef, start: int
    ) -> tuple[list[Step], int | None]:
        """A later page of a task's journal, for the worker that holds its lease (in a reader
        thread: the journal does not change while the lease holds, but for the worker's own
        writes)."""

        def read(conn: sa.Connection) -> tuple[list[Step], int | None]:
            inst = self._load_task_instance(conn, account_id, ref)
            machine.check_lease(inst, ref.lease)
            entries = store.journal_sizes(conn, [ref.key])[ref.key]
            if start >= len(entries):
                return [], None
            return self._page(conn, ref.key, entries, start)

        return await self._read(read)

    def _claimed(self, account_id: str, count: int, _claim: asyncio.Future[list[Task]]) -> None:
        self.occupancy.claiming[account_id] -= count
        if self.occupancy.claiming[account_id] <= 0:
            del self.occupancy.claiming[account_id]
        self.queues.wake_account(account_id)  # keys the claim skipped free their slots

    def _release_unsent(
        self, queue: tuple[str, str], keys: list[Key], claim: asyncio.Future[list[Task]]
    ) -> None:
        """After a poll was cancelled: gives back what its claim took, or, when the claim
        failed, puts the keys it had taken back in line."""
        if claim.cancelled() or claim.exception() is not None:
            self.queues.push_front(queue, keys)
            return
        tasks = claim.result()
        if tasks:
            worker = tasks[0].instance.lease_worker or ""
            self._spawn(
                self.release(
                    tasks[0].instance.account_id,
                    worker,
                    [t.ref for t in tasks],
                    reason="poll cancelled",
                )
            )

    async def start_step(
        self, account_id: str, ref: TaskRef, *, name: str, seq: int, attempt: int
    ) -> None:
        """Records that an attempt of a DO step starts, so that clients see it running."""

        def op(conn: sa.Connection, after: After) -> None:
            inst = self._load_task_instance(conn, account_id, ref)
            existing = store.load_step(conn, ref.key, name, seq)
            if self._over_step_limit(conn, after, inst, existing, ref, name, seq):
                return
            tr = steps.start_step(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                attempt=attempt,
                now=self.clock.now_us(),
            )
            self._apply(conn, after, inst, tr, known=[existing])

        await self._run(op, [ref.partition])

    async def complete_step(
        self,
        account_id: str,
        ref: TaskRef,
        *,
        name: str,
        seq: int,
        attempt: int,
        result: bytes,
        started_at: int,
    ) -> bool:
        """Records a step's result under the task's lease; True when the task ends with it."""

        def op(conn: sa.Connection, after: After) -> bool:
            self._check_payload(conn, after, account_id, "result", result)
            inst = self._load_task_instance(conn, account_id, ref)
            existing = store.load_step(conn, ref.key, name, seq)
            if self._over_step_limit(conn, after, inst, existing, ref, name, seq):
                return True
            tr = steps.complete_step(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                attempt=attempt,
                result=result,
                started_at=started_at,
                now=self.clock.now_us(),
                lease_timeout_us=self._lease_us,
            )
            growth = limits.journal_growth(tr.steps, [existing])
            tr = self._within_state_quota(conn, after, inst, tr, growth)
            self._apply(conn, after, inst, tr, known=[existing])
            if tr.steps:
                after.append(lambda: self._attempt(inst, "succeeded", started_at))
            return tr.task_ended

        return await self._run(op, [ref.partition], cost=payload_cost(len(result)))

    async def fail_step(
        self,
        account_id: str,
        ref: TaskRef,
        *,
        name: str,
        seq: int,
        attempt: int,
        error: Failure,
        policy: RetryPolicy,
        non_retryable: bool,
        started_at: int,
    ) -> StepFailureOutcome:
        """Records a failed attempt; answers the retry time or the step's final failure."""

        def op(conn: sa.Connection, after: After) -> StepFailureOutcome:
            inst = self._load_task_instance(conn, account_id, ref)
            existing = store.load_step(conn, ref.key, name, seq)
            if self._over_step_limit(conn, after, inst, existing, ref, name, seq):
                return StepFailureOutcome(None, None, True)
            tr = steps.fail_step(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                attempt=attempt,
                error=error,
                policy=policy,
                non_retryable=non_retryable,
                started_at=started_at,
                now=self.clock.now_us(),
                lease_timeout_us=self._lease_us,
            )
            growth = limits.journal_growth(tr.steps, [existing])
            tr = self._within_state_quota(conn, after, inst, tr, growth)
            self._apply(conn, after, inst, tr, known=[existing])
            after.append(lambda: self._attempt(inst, "failed", started_at))
            if not tr.steps:
                return StepFailureOutcome(None, None, True)
            step = tr.steps[0]
            if step.state is model.StepState.FAILED:
                return StepFailureOutcome(None, error, tr.task_ended)
            return StepFailureOutcome(step.wake_at, None, tr.task_ended)

        return await self._run(op, [ref.partition])

    async def start_sleep(
        self, account_id: str, ref: TaskRef, *, name: str, seq: int, wake_at: int
    ) -> bool:
        """Suspends the instance until wake_at; False when that time has already passed (and
        no pause took effect: a pause suspends the instance too)."""

        def op(conn: sa.Connection, after: After) -> bool:
            inst = self._load_task_instance(conn, account_id, ref)
            existing = store.load_step(conn, ref.key, name, seq)
            if self._over_step_limit(conn, after, inst, existing, ref, name, seq):
                return True
            tr = steps.start_sleep(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                wake_at=wake_at,
                now=self.clock.now_us(),
                lease_timeout_us=self._lease_us,
            )
            new = self._apply(conn, after, inst, tr, known=[existing])
            return new.status in (Status.WAITING, Status.PAUSED)

        return await self._run(op, [ref.partition])

    async def wait_for_event(
        self,
        account_id: str,
        ref: TaskRef,
        *,
        name: str,
        seq: int,
        event_type: str,
        timeout_at: int,
    ) -> Step | None:
        """The finished wait: its step, with the event as JSON result or its timeout failure.
        None when the instance now waits for the event."""

        def op(conn: sa.Connection, after: After) -> Step | None:
            inst = self._load_task_instance(conn, account_id, ref)
            existing = store.load_step(conn, ref.key, name, seq)
            if self._over_step_limit(conn, after, inst, existing, ref, name, seq):
                return None
            found = store.oldest_buffered_event(conn, ref.key, event_type)
            tr = steps.wait_for_event(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                event_type=event_type,
                timeout_at=timeout_at,
                buffered=found[1] if found else None,
                buffered_id=found[0] if found else None,
                now=self.clock.now_us(),
                lease_timeout_us=self._lease_us,
            )
            growth = limits.journal_growth(tr.steps, [existing])
            tr = self._within_state_quota(conn, after, inst, tr, growth)
            new = self._apply(conn, after, inst, tr, known=[existing])
            if new.status in (Status.WAITING, Status.PAUSED, Status.ERRORED):
                return None
            return tr.steps[0] if tr.steps else existing

        return await self._run(op, [ref.partition])

    async def complete_workflow(self, account_id: str, ref: TaskRef, output: bytes) -> None:
        """Ends the instance as complete."""

        def op(conn: sa.Connection, after: After) -> None:
            self._check_payload(conn, after, account_id, "output", output)
            inst = self._load_task_instance(conn, account_id, ref)
            tr = machine.complete(inst, lease=ref.lease, output=output, now=self.clock.now_us())
            self._apply(conn, after, inst, tr)

        await self._run(op, [ref.partition], cost=payload_cost(len(output)))

    async def fail_workflow(self, account_id: str, ref: TaskRef, error: Failure) -> None:
        """Ends the instance as errored."""

        def op(conn: sa.Connection, after: After) -> None:
            inst = self._load_task_instance(conn, account_id, ref)
            tr = machine.fail(inst, lease=ref.lease, error=error, now=self.clock.now_us())
            self._apply(conn, after, inst, tr)

        await self._run(op, [ref.partition])

    async def heartbeat(self, account_id: str, refs: list[TaskRef]) -> list[TaskRef]:
        """Extends the leases still held; answers the ones lost. The tokens are looked up in
        one query per part, so that unknown ones cost no more than reading their keys."""

        def op_for(part: list[TaskRef]) -> Callable[[sa.Connection, After], list[TaskRef]]:
            def op(conn: sa.Connection, after: After) -> list[TaskRef]:
                found = store.load_instances(conn, [r.key for r in part])
                lost, due = [], self.clock.now_us() + self._lease_us
                for ref in part:
                    inst = found.get(ref.key)
                    if (
                        inst is None
                        or inst.account_id != account_id
                        or inst.status not in LEASED
                        or inst.lease_token != ref.lease
                    ):
                        lost.append(ref)
                        continue
                    self._apply(conn, after, inst, Transition(replace(inst, due_at=due)))
                return lost

            return op

        lost = await self._run_parts(refs, op_for, lambda r: r.partition)
        return [ref for part in lost for ref in part]

    async def release(
        self, account_id: str, worker_id: str, refs: list[TaskRef], *, reason: str
    ) -> None:
        """Gives tasks back so that they are dispatched again; leases already lost are skipped."""

        def op_for(part: list[TaskRef]) -> Callable[[sa.Connection, After], None]:
            def op(conn: sa.Connection, after: After) -> None:
                found = store.load_instances(conn, [r.key for r in part])
                now = self.clock.now_us()
                for ref in part:
                    inst = found.get(ref.key)
                    if (
                        inst is None
                        or inst.account_id != account_id
                        or inst.lease_token != ref.lease
                    ):
                        continue
                    if inst.status in LEASED:
                        tr = machine.release(inst, ref.lease, now, reason)
                        self._apply(conn, after, inst, tr)

            return op

        await self._run_parts(refs, op_for, lambda r: r.partition)

    def worker_disconnected(self, worker_id: str) -> None:
        """The worker's last open poll was cancelled: give back every task it holds."""
        keys = self._worker_keys.pop(worker_id, set())
        if not keys:
            return
        log.info("worker %s disconnected; releasing %d task(s)", worker_id, len(keys))

        def op_for(part: list[Key]) -> Callable[[sa.Connection, After], None]:
            def op(conn: sa.Connection, after: After) -> None:
                found = store.load_instances(conn, part)
                now = self.clock.now_us()
                for inst in found.values():
                    if inst.status in LEASED and inst.lease_worker == worker_id:
                        assert inst.lease_token is not None
                        tr = machine.release(inst, inst.lease_token, now, "worker disconnected")
                        self._apply(conn, after, inst, tr)

            return op

        self._spawn(self._run_parts(sorted(keys), op_for, lambda k: k[0]))

    # ------------------------------------------------------------------ CALL steps

    def _apply_call(
        self,
        conn: sa.Connection,
        after: After,
        inst: Instance,
        change: CallChange,
        key: StepKey,
        known: Sequence[Step | None] = (),
    ) -> Instance:
        """Writes what a command did to a call: the instance's transition and the step task."""
        new = self._apply(conn, after, inst, change.transition, known=known)
        if change.task is None:
            if not change.created:
                store.delete_step_task(conn, key)
        else:
            store.write_step_task(conn, change.task, created=change.created)
        if change.ready and change.task is not None:
            queue, ready_key = (change.task.account_id, change.task.task_queue), change.task.key
            after.append(lambda: self.step_queues.push(queue, ready_key))
        if change.due_at is not None:
            due = change.due_at
            after.append(lambda: self._note_due(due))
        return new

    def _call_within_state_quota(
        self,
        conn: sa.Connection,
        after: After,
        inst: Instance,
        change: CallChange,
        step: Step | None,
    ) -> CallChange:
        """A call's outcome, counted in the instance's recorded state: past the quota the
        instance errors instead, and the call's task goes."""
        tr = change.transition
        growth = limits.journal_growth(tr.steps, [step])
        checked = self._within_state_quota(conn, after, inst, tr, growth)
        return change if checked is tr else CallChange(checked, None)

    async def schedule_call(
        self, account_id: str, ref: TaskRef, *, name: str, seq: int, spec: CallSpec
    ) -> Step | None:
        """Starts a CALL step: None when the instance now waits for it (or the task ended);
        the journal entry when the call had already finished."""

        def op(conn: sa.Connection, after: After) -> Step | None:
            self._check_payload(conn, after, account_id, "input", spec.input)
            inst = self._load_task_instance(conn, account_id, ref)
            existing = store.load_step(conn, ref.key, name, seq)
            if self._over_step_limit(conn, after, inst, existing, ref, name, seq):
                return None
            change = calls.schedule(
                inst,
                existing,
                lease=ref.lease,
                name=name,
                seq=seq,
                spec=spec,
                now=self.clock.now_us(),
            )
            new = self._apply_call(
                conn, after, inst, change, (ref.partition, ref.uid, name, seq), [existing]
            )
            if new.status in (Status.WAITING, Status.PAUSED) or existing is None:
                return None
            return existing

        return await self._run(op, [ref.partition])

    async def poll_steps(
        self,
        account_id: str,
        worker_id: str,
        task_queue: str,
        max_tasks: int,
        wait: float,
    ) -> list[ClaimedStepTask]:
        """Long-polls for up to max_tasks step tasks of a step task queue.

        Unlike a workflow poll, a dropped connection gives nothing back: the step may still be
        running on the lost worker, and its attempt ends by its heartbeat timeout or timeout.
        A poll cancelled before it answered gives back what it had claimed.
        """
        queue = (account_id, task_queue)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            keys = await self.step_queues.take(queue, max_tasks, max(deadline - loop.time(), 0))
            if not keys:
                return []
            keys = [k for k in keys if k[0] in self.owned]
            if not keys:
                continue
            claim = self._claim_in_parts(
                functools.partial(self._claim_steps_op, worker_id),
                keys,
                functools.partial(self.step_queues.push_front, queue),
            )
            try:
                claimed = await asyncio.shield(claim)
            except asyncio.CancelledError:
                claim.add_done_callback(functools.partial(self._release_unsent_steps, queue, keys))
                raise
            except Exception:
                self.step_queues.push_front(queue, keys)
                raise
            if claimed or loop.time() >= deadline:
                return claimed

    def _claim_steps_op(
        self, worker_id: str, keys: list[StepKey]
    ) -> Callable[[sa.Connection, After], list[ClaimedStepTask]]:
        def op(conn: sa.Connection, after: After) -> list[ClaimedStepTask]:
            tasks = store.load_step_tasks(conn, keys)
            ready = [
                tasks[k]
                for k in dict.fromkeys(keys)
                if k in tasks and tasks[k].state is calls.TaskState.READY
            ]
            found = store.load_instances(conn, list({t.instance_key for t in ready}))
            now = self.clock.now_us()
            claimed = []
            for task in ready:
                inst = found.get(task.instance_key)
                if inst is None:
                    continue
                lease = _new_lease()
                change = calls.claim(inst, task, worker_id, lease, now)
                found[task.instance_key] = self._apply_call(conn, after, inst, change, task.key)
                assert change.task is not None
                ref = StepTaskRef(task.partition, task.uid, task.name, task.seq, lease)
                claimed.append(ClaimedStepTask(ref, change.task, found[task.instance_key]))
            return claimed

        return op

    def _release_unsent_steps(
        self,
        queue: tuple[str, str],
        keys: list[StepKey],
        claim: asyncio.Future[list[ClaimedStepTask]],
    ) -> None:
        """After a step poll was cancelled: gives back what its claim took."""
        if claim.cancelled() or claim.exception() is not None:
            self.step_queues.push_front(queue, keys)
            return
        claimed = claim.result()
        if claimed:
            account_id = claimed[0].task.account_id
            self._spawn(self.release_steps(account_id, [c.ref for c in claimed]))

    async def release_steps(self, account_id: str, refs: list[StepTaskRef]) -> None:
        """Gives step tasks back before they were worked on: the same attempt is queued again.
        Tasks whose attempt already ended are skipped."""

        def op_for(part: list[StepTaskRef]) -> Callable[[sa.Connection, After], None]:
            def op(conn: sa.Connection, after: After) -> None:
                tasks = store.load_step_tasks(conn, [r.key for r in part])
                found = store.load_instances(conn, list({r.instance_key for r in part}))
                now = self.clock.now_us()
                for ref in part:
                    task, inst = tasks.get(ref.key), found.get(ref.instance_key)
                    if inst is None or inst.account_id != account_id:
                        continue
                    try:
                        change = calls.release(inst, task, ref.lease, now)
                    except LeaseLost:
                        continue
                    found[ref.instance_key] = self._apply_call(conn, after, inst, change, ref.key)

            return op

        await self._run_parts(refs, op_for, lambda r: r.partition)

    def _load_call(
        self, conn: sa.Connection, account_id: str, ref: StepTaskRef
    ) -> tuple[Instance, Step, StepTask | None]:
        """The instance, CALL step and task a step task token names (the task is None once
        the call is over)."""
        inst = store.load_instance(conn, ref.instance_key)
        if inst is not None and inst.account_id != account_id:
            raise NotFound("task not found: the token is not a task of this account")
        step = store.load_step(conn, ref.instance_key, ref.name, ref.seq)
        if inst is None or step is None:
            raise LeaseLost("the call is over: its instance was deleted or restarted")
        return inst, step, store.load_step_task(conn, ref.key)

    async def complete_step_task(self, account_id: str, ref: StepTaskRef, result: bytes) -> None:
        """Records a step task's result: the CALL step succeeds."""

        def op(conn: sa.Connection, after: After) -> None:
            self._check_payload(conn, after, account_id, "result", result)
            inst, step, task = self._load_call(conn, account_id, ref)
            change = calls.complete(
                inst, step, task, lease=ref.lease, result=result, now=self.clock.now_us()
            )
            change = self._call_within_state_quota(conn, after, inst, change, step)
            self._apply_call(conn, after, inst, change, ref.key, [step])
            started = task.attempt_started_at if task else 0
            after.append(lambda: self._attempt(inst, "succeeded", started or 0))

        await self._run(op, [ref.partition], cost=payload_cost(len(result)))

    async def fail_step_task(
        self, account_id: str, ref: StepTaskRef, error: Failure, non_retryable: bool
    ) -> StepFailureOutcome:
        """Records a failed attempt: the next one is scheduled, or the CALL step fails."""

        def op(conn: sa.Connection, after: After) -> StepFailureOutcome:
            inst, step, task = self._load_call(conn, account_id, ref)
            change = calls.fail(
                inst,
                step,
                task,
                lease=ref.lease,
                error=error,
                non_retryable=non_retryable,
                now=self.clock.now_us(),
            )
            change = self._call_within_state_quota(conn, after, inst, change, step)
            self._apply_call(conn, after, inst, change, ref.key, [step])
            started = task.attempt_started_at if task else 0
            after.append(lambda: self._attempt(inst, "failed", started or 0))
            if change.task is None:
                return StepFailureOutcome(None, error)
            nxt = change.task
            return StepFailureOutcome(nxt.due_at if nxt.due_at is not None else nxt.ready_at, None)

        return await self._run(op, [ref.partition])

    async def heartbeat_step_task(
        self, account_id: str, ref: StepTaskRef, details: bytes | None
    ) -> int:
        """Extends a step task's heartbeat deadline; answers when the attempt now times out."""

        def op(conn: sa.Connection, after: After) -> int:
            if details is not None:
                self._check_payload(conn, after, account_id, "details", details)
            _, _, task = self._load_call(conn, account_id, ref)
            beat = calls.heartbeat(task, ref.lease, details, self.clock.now_us())
            store.write_step_task(conn, beat, created=False)
            assert beat.due_at is not None
            return beat.due_at

        return await self._run(op, [ref.partition])

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
            found[task.instance_key] = self._apply_call(conn, after, inst, change, task.key, [step])
            if any(h.kind == HistoryKind.STEP_ATTEMPT_FAILED for h in change.transition.history):
                after.append(
                    functools.partial(self._attempt, inst, "failed", task.attempt_started_at or 0)
                )
        return len(due)

    # ------------------------------------------------------------------ timers

    def _note_due(self, due: int) -> None:
        if self._next_due is None or due < self._next_due:
            self._next_due = due
            self._timer_wake.set()

    async def _timer_loop(self) -> None:
        """Sleeps until the earliest due time, then fires every instance due in batches."""
        while True:
            now = self.clock.now_us()
            if self._next_due is not None and self._next_due <= now:
                self._next_due = None
                try:
                    fired, nxt = await self._run(self._fire_op(now), cost=self.config.timer_batch)
                except Exception as exc:
                    log_failure(log, "timer transaction failed; trying again", exc)
                    self._note_due(self.clock.now_us() + 1_000_000)
                    continue
                if fired >= self.config.timer_batch:
                    self._note_due(now)
                elif nxt is not None:
                    self._note_due(nxt)
                continue
            self._timer_wake.clear()
            timeout = None if self._next_due is None else (self._next_due - now) / 1_000_000
            await self.clock.wait(self._timer_wake, timeout)

    def _fire_op(self, now: int) -> Callable[[sa.Connection, After], tuple[int, int | None]]:
        def op(conn: sa.Connection, after: After) -> tuple[int, int | None]:
            owned = self._writable(conn)
            due = store.due_instances(conn, now, self.config.timer_batch, owned)
            keys = [(i.partition, i.uid) for i in due if i.status is Status.WAITING]
            pending = store.load_pending_steps(conn, keys)
            for inst in due:
                step = pending.get((inst.partition, inst.uid))
                tr = machine.fire_due(inst, step, now)
                if tr is not None:
                    self._apply(conn, after, inst, tr, known=[step])
            fired = len(due) + self._fire_calls(conn, after, now, owned)
            return fired, store.next_due(conn, owned)

        return op

    # ------------------------------------------------------------------ control by clients

    async def _control(
        self,
        account_id: str,
        workflow: str,
        instance_id: str,
        command: Callable[[sa.Connection, Instance, int], Transition],
    ) -> tuple[Instance, Transition]:
        """Runs a client's command on an instance: read it, transition it, write it."""

        def op(conn: sa.Connection, after: After) -> tuple[Instance, Transition]:
            inst = self._find(conn, account_id, workflow, instance_id)
            tr = command(conn, inst, self.clock.now_us())
            # A client's command only ever ends a step the journal already holds (resume ends
            # the pending step whose time passed), so every step it writes is an update.
            return self._apply(conn, after, inst, tr, known=tr.steps), tr

        return await self._run(op, [self._partition(account_id, workflow, instance_id)])

    async def pause(self, account_id: str, workflow: str, instance_id: str) -> Instance:
        """Pauses an instance (after its current step, when one runs)."""
        inst, _ = await self._control(
            account_id, workflow, instance_id, lambda conn, inst, now: control.pause(inst, now)
        )
        return inst

    async def resume(self, account_id: str, workflow: str, instance_id: str) -> Instance:
        """Resumes a paused instance where it was."""

        def command(conn: sa.Connection, inst: Instance, now: int) -> Transition:
            key = (inst.partition, inst.uid)
            pending = store.load_pending_steps(conn, [key]).get(key)
            buffered = (
                pending is not None
                and pending.event_type is not None
                and store.oldest_buffered_event(conn, key, pending.event_type) is not None
            )
            return control.resume(inst, pending, buffered, now)

        inst, _ = await self._control(account_id, workflow, instance_id, command)
        return inst

    async def terminate(
        self, account_id: str, workflow: str, instance_id: str, reason: str
    ) -> Instance:
        """Ends an unfinished instance at once."""
        inst, _ = await self._control(
            account_id,
            workflow,
            instance_id,
            lambda conn, inst, now: control.terminate(inst, reason, now),
        )
        return inst

    async def restart(
        self, account_id: str, workflow: str, instance_id: str, from_step: str | None
    ) -> tuple[Instance, int]:
        """Runs an instance again from the beginning or a step; answers the steps dropped."""

        def command(conn: sa.Connection, inst: Instance, now: int) -> Transition:
            journal = store.journal_in_run_order(conn, (inst.partition, inst.uid))
            tr = control.restart(inst, journal, from_step, now)
            dropped = set(tr.dropped_steps)
            freed = sum(limits.step_bytes(s) for s in journal if (s.name, s.seq) in dropped)
            return limits.count_state(inst, tr, -freed, 0, now)

        inst, tr = await self._control(account_id, workflow, instance_id, command)
        return inst, len(tr.dropped_steps)

    async def delete(self, account_id: str, workflow: str, instance_id: str) -> None:
        """Deletes a finished instance with everything recorded of it."""

        def op(conn: sa.Connection, after: After) -> None:
            inst = self._find(conn, account_id, workflow, instance_id)
            control.check_deletable(inst)
            store.delete_instances(conn, [(inst.partition, inst.uid)])

        await self._run(op, [self._partition(account_id, workflow, instance_id)])

    # ------------------------------------------------------------------ reads

    async def list_instances(
        self,
        account_id: str,
        *,
        workflow: str | None,
        statuses: list[Status],
        created_after: int | None,
        created_before: int | None,
        cursor: tuple[int, str] | None,
        limit: int,
    ) -> list[Instance]:
        """A page of the account's instances, newest first, after a cursor."""
        return await self._read(
            lambda conn: store.list_instances(
                conn,
                account_id,
                workflow=workflow,
                statuses=statuses,
                created_after=created_after,
                created_before=created_before,
                cursor=cursor,
                limit=limit,
            )
        )

    async def history(
        self, account_id: str, workflow: str, instance_id: str, after_seq: int, limit: int
    ) -> HistoryPage:
        """A page of an instance's history, after a seq."""

        def read(conn: sa.Connection) -> HistoryPage:
            inst = self._find(conn, account_id, workflow, instance_id)
            rows = store.load_history(conn, (inst.partition, inst.uid), after_seq, limit + 1)
            return HistoryPage(rows[:limit], len(rows) > limit, inst.status)

        return await self._read(read)

    async def watch(
        self, account_id: str, workflow: str, instance_id: str, after_seq: int
    ) -> AsyncIterator[tuple[int, HistoryEntry]]:
        """The history after a seq, then each entry as it is recorded, until the instance ends."""
        first = await self.get(account_id, workflow, instance_id)
        key = (first.instance.partition, first.instance.uid)
        changed = asyncio.Event()
        self._history_watchers[key].add(changed)
        try:
            while True:
                changed.clear()
                page = await self.history(account_id, workflow, instance_id, after_seq, 1000)
                for seq, entry in page.entries:
                    after_seq = seq
                    yield seq, entry
                if page.more:
                    continue
                if page.status in FINAL:
                    return
                # Woken by the commit that records the next entry; the timeout is a safety net
                # for a commit made by another process.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), WATCH_POLL_SECONDS)
        finally:
            watchers = self._history_watchers.get(key)
            if watchers is not None:
                watchers.discard(changed)
                if not watchers:
                    del self._history_watchers[key]

    def _notify_history(self, key: Key) -> None:
        for event in self._history_watchers.get(key, ()):
            event.set()

    async def workflows(self, account_id: str) -> list[WorkflowInfo]:
        """The account's registered workflows with their instance counts by status."""

        def read(conn: sa.Connection) -> list[WorkflowInfo]:
            return [
                WorkflowInfo(
                    row.name,
                    row.task_queue,
                    row.registered_at,
                    {Status(k): n for k, n in counts.items()},
                )
                for row, counts in store.workflow_summaries(conn, account_id)
            ]

        return await self._read(read)

    # ------------------------------------------------------------------ retention

    async def purge_expired(self, now: int | None = None, batch: int | None = None) -> int:
        """Deletes finished instances whose retention ran out, a batch per transaction (so
        that a large backlog never holds one long transaction); answers how many."""
        size = batch or self.config.purge_batch
        total = 0
        while True:
            at = self.clock.now_us() if now is None else now

            def op(conn: sa.Connection, after: After, at: int = at) -> int:
                owned = self._writable(conn)
                keys = store.expired_instances(conn, at, size, owned)
                store.delete_instances(conn, keys)
                return len(keys)

            purged = await self._run(op, cost=size)
            total += purged
            self.purged += purged
            self.purge_batches += 1
            if purged < size:
                return total

    async def _usage_loop(self) -> None:
        """Adds this server's quota refusals to the accounts' totals, about every second."""
        while True:
            await asyncio.sleep(1.0)
            await self._flush_rejections()

    async def _flush_rejections(self) -> None:
        if not self.rejected:
            return
        counts, self.rejected = self.rejected, Counter()
        try:
            await self._run(lambda conn, after: add_rejections(conn, counts))
        except Exception:
            log.exception("could not record quota refusals; keeping them for the next try")
            self.rejected.update(counts)

    async def _purge_loop(self) -> None:
        while True:
            await self.clock.sleep(self.config.purge_interval)
            try:
                purged = await self.purge_expired()
            except Exception:
                log.exception("retention sweep failed; trying again at the next interval")
                continue
            if purged:
                log.info("retention: purged %d finished instance(s)", purged)


def _log_background_failure(task: asyncio.Future[object]) -> None:
    """Background work that failed (a release while the database is away, or after a partition
    moved) is only logged: what it would have done happens anyway when the leases involved
    run out."""
    if task.cancelled() or task.exception() is None:
        return
    exc = task.exception()
    assert exc is not None
    if isinstance(exc, StepwayError):
        log.warning("background work refused: %s", exc)
    else:
        log_failure(log, "background work failed", exc)
