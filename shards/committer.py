"""Group commit: concurrent engine operations share one transaction, run in one writer thread.

Each operation is a plain function of the transaction's connection. The committer takes the
operations waiting, runs them one after another in a single transaction in its writer thread
(one hand-off from the event loop per batch, not one per statement), commits once, and then,
back on the event loop, runs the callbacks they registered for after the commit (dispatching a
task, waking a waiter) and answers each caller. Writes are serialized, which SQLite needs
anyway and which makes a shard the single writer of its instances.

Accounts take turns at the writer. Each operation is queued under the account it serves (the
shard server names it once per call, with `serve`; the server's own work, its timers, leases
and retention sweeps, is one more lane) and has a cost: the rows it may write, a payload
counting one row more per PAYLOAD_BYTES_PER_ROW. A caller cuts a large request into
operations of at most MAX_OPERATION_COST (`split`), so that no one operation holds the writer
long. A batch is filled round-robin: one operation from each account waiting in turn, again
and again, while an account's operations in the batch cost at most ACCOUNT_COST_PER_BATCH,
and the batch at most MAX_BATCH_COST and `max_batch` operations; the next batch starts with
the account after the last one served. So the bound:

    An operation at the head of its account's queue waits for at most one operation (of at
    most MAX_OPERATION_COST) of each other account waiting. With two accounts, one account's
    flood delays the other's create by at most the transaction in the writer and the one the
    create runs in, to which the flooding account adds at most ACCOUNT_COST_PER_BATCH each;
    with k accounts, each transaction costs at most MAX_BATCH_COST. Measured in
    tests/cluster/test_noisy_neighbour.py; the figures are in docs/architecture.md.

An operation raises a StepwayError only before it writes anything, so such an error is its own
answer and the batch goes on. Any other error rolls the batch back; its operations then run one
by one so that only the guilty one fails.

An operation names the partitions it writes. Before any operation of a batch runs, the fence
checks them all in the batch's transaction, and an operation whose partition this server does
not own now is answered NotOwner without running.

An operation may also be *prepared*: queued as a function that builds it, called on the event
loop when its batch is formed (`submit_prepared`). Requests that arrive while it waits for the
writer can still join it, so that many small requests of one account become one operation
(shards.engine.instances gathers single creations so).

Operations submitted while `stale()` holds (the server's lease clock ran out: it stalled, or lost
the database for a while) are late writes. They are counted with their outcome and logged, so
that an operator, or a fault test, sees what a stalled server tried once it ran again: every one
for a partition that moved must have been refused.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from shards.db import is_unavailable, log_failure, run_tx
from shards.errors import NotOwner, StepwayError
from shards.metrics import Metrics

log = logging.getLogger(__name__)

T = TypeVar("T")
After = list[Callable[[], None]]
Operation = Callable[[sa.Connection, After], T]
Outcome = tuple[bool, Any]
Partitions = frozenset[int]
Prepared = tuple["Operation[Any]", Partitions, int]
"""A prepared operation, as built when its batch is formed: the operation, the partitions it
writes and its cost."""

# The most one operation may cost: a larger request is cut into operations of this size.
MAX_OPERATION_COST = 25
# A payload written counts as one row more per this many bytes (a 1 MiB result: 17 rows).
PAYLOAD_BYTES_PER_ROW = 64 * 1024
# What one account's operations may cost in one batch, and what a batch may cost in all.
ACCOUNT_COST_PER_BATCH = 50
MAX_BATCH_COST = 250
# The account a call serves, named once by the shard server; "" is the server's own work.
SERVING: ContextVar[str] = ContextVar("stepway_serving", default="")


def serve(account_id: str) -> None:
    """Queues the operations the current call (and the tasks it starts) submits under this
    account."""
    SERVING.set(account_id)


def payload_cost(size: int) -> int:
    """The cost of writing one row that holds a payload of this many bytes."""
    return 1 + size // PAYLOAD_BYTES_PER_ROW


def split(items: Sequence[T], cost: Callable[[T], int] = lambda _: 1) -> list[list[T]]:
    """Cuts items, in order, into parts that cost at most MAX_OPERATION_COST each (an item
    that costs more is a part of its own): one operation per part."""
    parts: list[list[T]] = []
    part: list[T] = []
    spent = 0
    for item in items:
        c = cost(item)
        if part and spent + c > MAX_OPERATION_COST:
            parts.append(part)
            part, spent = [], 0
        part.append(item)
        spent += c
    if part:
        parts.append(part)
    return parts


@dataclass(slots=True)
class Queued:
    op: Operation[Any]
    fut: asyncio.Future[Any]
    partitions: Partitions
    late: bool
    cost: int
    # Builds op, partitions and cost when the batch is formed (submit_prepared).
    prepare: Callable[[], Prepared] | None = None


def _unprepared(conn: sa.Connection, after: After) -> Any:
    raise RuntimeError("a prepared operation ran before it was prepared")


# The partitions of a set that this server may not write now (read in the transaction), each
# with its current owner when known.
Fence = Callable[[sa.Connection, set[int]], dict[int, str | None]]


class Committer:
    """Runs operations in batched transactions, one batch at a time."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        max_batch: int = 128,
        fence: Fence | None = None,
        stale: Callable[[], bool] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._engine = engine
        self._metrics = metrics
        self._max_batch = max_batch
        self._fence = fence
        self._stale = stale
        # Operations waiting, per account, and the accounts with some, in turn order.
        self._lanes: dict[str, deque[Queued]] = {}
        self._turn: deque[str] = deque()
        self._waiting = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shard-writer")
        self.batches = 0
        self.operations = 0
        # Operations answered NotOwner by the fence.
        self.refused = 0
        # Late writes (see the module's docstring): refused, and committed by partition.
        self.late_refused = 0
        self.late_committed: dict[int, int] = {}
        # The longest a batch's transaction held the writer, in seconds.
        self.longest_batch = 0.0
        # Whether a batch is in the writer thread now.
        self._writing = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="shard-committer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        for lane in self._lanes.values():
            for queued in lane:
                if not queued.fut.done():
                    queued.fut.set_exception(asyncio.CancelledError())
        self._lanes.clear()
        self._turn.clear()
        self._writer.shutdown(wait=True)

    def submit(
        self,
        op: Operation[T],
        partitions: Partitions = frozenset(),
        *,
        cost: int = 1,
        account: str | None = None,
    ) -> asyncio.Future[T]:
        """Queues an operation that writes these partitions, under the account it serves (by
        default the one the current call serves); the future resolves after its transaction
        commits."""
        fut: asyncio.Future[T] = self._future()
        self._enqueue(Queued(op, fut, partitions, self._late(partitions), max(cost, 1)), account)
        return fut

    def submit_prepared(
        self, prepare: Callable[[], Prepared], *, account: str | None = None
    ) -> asyncio.Future[Any]:
        """Queues an operation that `prepare` builds on the event loop when its batch is formed,
        under the account it serves (by default the one the current call serves). Until then
        whatever prepare reads may still grow; the partitions it answers are fenced and its
        cost counts as any operation's. The future resolves after its transaction commits."""
        fut: asyncio.Future[Any] = self._future()
        self._enqueue(Queued(_unprepared, fut, frozenset(), False, 1, prepare), account)
        return fut

    def _future(self) -> asyncio.Future[Any]:
        if self._task is None:
            raise RuntimeError("committer is not running")
        return asyncio.get_running_loop().create_future()

    def _late(self, partitions: Partitions) -> bool:
        """Whether writing these partitions now is a late write (see the module's docstring)."""
        return bool(partitions) and self._stale is not None and self._stale()

    def _enqueue(self, queued: Queued, account: str | None) -> None:
        """Queues an operation under the account it serves (by default the current call's)."""
        lane_of = SERVING.get() if account is None else account
        lane = self._lanes.get(lane_of)
        if lane is None:
            lane = self._lanes[lane_of] = deque()
            self._turn.append(lane_of)
        lane.append(queued)
        self._waiting.set()

    async def run(
        self,
        op: Operation[T],
        partitions: Partitions = frozenset(),
        *,
        cost: int = 1,
        account: str | None = None,
    ) -> T:
        """Queues an operation and waits for its committed result."""
        return await self.submit(op, partitions, cost=cost, account=account)

    def idle(self) -> bool:
        """Whether no batch is in the writer and no operation waits for it: an operation
        submitted now runs in the next transaction, alone."""
        return not self._writing and not self._turn

    def waiting(self) -> dict[str, int]:
        """The operations waiting for the writer, per account ("" for the server's own)."""
        return {account: len(lane) for account, lane in self._lanes.items()}

    def _next_batch(self) -> list[Queued]:
        """Takes the next batch, round-robin over the accounts waiting (see the module's
        docstring); the account that did not fit goes first in the next one."""
        batch: list[Queued] = []
        total = 0
        spent: dict[str, int] = {}
        full: set[str] = set()  # accounts that had their share of this batch
        while self._turn and len(batch) < self._max_batch and len(full) < len(self._turn):
            account = self._turn[0]
            if account in full:
                self._turn.rotate(-1)
                continue
            lane = self._lanes[account]
            queued = lane[0]
            if queued.prepare is not None:
                self._prepare(queued)
            used = spent.get(account, 0)
            if used and used + queued.cost > ACCOUNT_COST_PER_BATCH:
                full.add(account)
                self._turn.rotate(-1)
                continue
            if batch and total + queued.cost > MAX_BATCH_COST:
                break
            lane.popleft()
            batch.append(queued)
            total += queued.cost
            spent[account] = used + queued.cost
            if lane:
                self._turn.rotate(-1)
            else:
                self._turn.popleft()
                del self._lanes[account]
        if not self._turn:
            self._waiting.clear()
        return batch

    def _prepare(self, queued: Queued) -> None:
        """Builds a prepared operation, now that its batch is being formed."""
        prepare, queued.prepare = queued.prepare, None
        assert prepare is not None
        queued.op, queued.partitions, cost = prepare()
        queued.cost = max(cost, 1)
        queued.late = self._late(queued.partitions)

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._waiting.wait()
            batch = self._next_batch()
            if not batch:
                continue
            ops = [(q.op, q.partitions) for q in batch]
            self._writing = True
            try:
                # Shielded: once a batch is in the writer thread, its outcome is delivered.
                outcomes, after = await asyncio.shield(
                    loop.run_in_executor(self._writer, self._commit, ops)
                )
            finally:
                self._writing = False
            self.batches += 1
            self.operations += len(batch)
            for callback in after:
                try:
                    callback()
                except Exception:
                    log.exception("after-commit callback failed")
            self._count(batch, outcomes)
            for queued, (ok, value) in zip(batch, outcomes, strict=True):
                if queued.fut.done():
                    continue
                if ok:
                    queued.fut.set_result(value)
                else:
                    queued.fut.set_exception(value)

    def _on_retry(self, attempt: int, exc: BaseException) -> None:
        if self._metrics is not None:
            self._metrics.tx_retries.inc()

    def _count(self, batch: list[Queued], outcomes: list[Outcome]) -> None:
        refused = committed = 0
        partitions: set[int] = set()
        for queued, (ok, value) in zip(batch, outcomes, strict=True):
            if not ok and isinstance(value, NotOwner):
                self.refused += 1
            if not queued.late:
                continue
            if ok:
                committed += 1
                partitions |= queued.partitions
                for p in queued.partitions:
                    self.late_committed[p] = self.late_committed.get(p, 0) + 1
            elif isinstance(value, NotOwner):
                refused += 1
                self.late_refused += 1
        if refused or committed:
            log.warning(
                "late writes: refused=%d committed=%d partitions=%s",
                refused,
                committed,
                ",".join(map(str, sorted(partitions))) or "-",
            )

    def _commit(self, ops: list[tuple[Operation[Any], Partitions]]) -> tuple[list[Outcome], After]:
        """In the writer thread: runs a batch in one transaction; on failure, one by one."""
        after: After = []

        def body(conn: sa.Connection) -> list[Outcome]:
            after.clear()
            fenced: dict[int, str | None] = {}
            if self._fence is not None:
                touched = set().union(*(partitions for _, partitions in ops))
                if touched:
                    fenced = self._fence(conn, touched)
            outcomes: list[Outcome] = []
            for op, partitions in ops:
                lost = partitions & fenced.keys()
                if lost:
                    outcomes.append((False, NotOwner(lost, {p: fenced[p] for p in lost})))
                    continue
                try:
                    outcomes.append((True, op(conn, after)))
                except StepwayError as exc:
                    outcomes.append((False, exc))
            return outcomes

        started = time.perf_counter()
        try:
            outcome = run_tx(self._engine, body, on_retry=self._on_retry), after
            took = time.perf_counter() - started
            self.longest_batch = max(self.longest_batch, took)
            if self._metrics is not None:
                self._metrics.tx_seconds.observe(took)
            return outcome
        except Exception as exc:
            if is_unavailable(exc):
                # Each operation alone would fail the same way; the callers answer UNAVAILABLE.
                log_failure(log, f"batch of {len(ops)} failed", exc)
                return [(False, exc)] * len(ops), []
            if len(ops) == 1:
                log.exception("operation failed")
                return [(False, exc)], []
            log.warning("batch of %d failed (%s); running its operations one by one", len(ops), exc)
            outcomes: list[Outcome] = []
            callbacks: After = []
            for op in ops:
                single, single_after = self._commit([op])
                outcomes.extend(single)
                callbacks.extend(single_after)
            return outcomes, callbacks
