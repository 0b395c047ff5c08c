"""Group commit: concurrent engine operations share one transaction, run in one writer thread.

Each operation is a plain function of the transaction's connection. The committer takes every
operation waiting, runs them one after another in a single transaction in its writer thread
(one hand-off from the event loop per batch, not one per statement), commits once, and then,
back on the event loop, runs the callbacks they registered for after the commit (dispatching a
task, waking a waiter) and answers each caller. Writes are serialized, which SQLite needs
anyway and which makes a shard the single writer of its instances.

An operation raises a StepwayError only before it writes anything, so such an error is its own
answer and the batch goes on. Any other error rolls the batch back; its operations then run one
by one so that only the guilty one fails.

An operation names the partitions it writes. Before any operation of a batch runs, the fence
checks them all in the batch's transaction, and an operation whose partition this server does
not own now is answered NotOwner without running.

Operations submitted while `stale()` holds (the server's lease clock ran out: it stalled, or lost
the database for a while) are late writes. They are counted with their outcome and logged, so
that an operator, or a fault test, sees what a stalled server tried once it ran again: every one
for a partition that moved must have been refused.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
Queued = tuple[Operation[Any], "asyncio.Future[Any]", Partitions, bool]
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
        self._queue: asyncio.Queue[Queued] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shard-writer")
        self.batches = 0
        self.operations = 0
        # Operations answered NotOwner by the fence.
        self.refused = 0
        # Late writes (see the module's docstring): refused, and committed by partition.
        self.late_refused = 0
        self.late_committed: dict[int, int] = {}

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="shard-committer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        while not self._queue.empty():
            _, fut, _, _ = self._queue.get_nowait()
            if not fut.done():
                fut.set_exception(asyncio.CancelledError())
        self._writer.shutdown(wait=True)

    def submit(self, op: Operation[T], partitions: Partitions = frozenset()) -> asyncio.Future[T]:
        """Queues an operation that writes these partitions; the future resolves after its
        transaction commits."""
        if self._task is None:
            raise RuntimeError("committer is not running")
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        late = bool(partitions) and self._stale is not None and self._stale()
        self._queue.put_nowait((op, fut, partitions, late))
        return fut

    async def run(self, op: Operation[T], partitions: Partitions = frozenset()) -> T:
        """Queues an operation and waits for its committed result."""
        return await self.submit(op, partitions)

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            ops = [(op, partitions) for op, _, partitions, _ in batch]
            # Shielded: once a batch is in the writer thread, its outcome is delivered.
            outcomes, after = await asyncio.shield(
                loop.run_in_executor(self._writer, self._commit, ops)
            )
            self.batches += 1
            self.operations += len(batch)
            for callback in after:
                try:
                    callback()
                except Exception:
                    log.exception("after-commit callback failed")
            self._count(batch, outcomes)
            for (_, fut, _, _), (ok, value) in zip(batch, outcomes, strict=True):
                if fut.done():
                    continue
                if ok:
                    fut.set_result(value)
                else:
                    fut.set_exception(value)

    def _on_retry(self, attempt: int, exc: BaseException) -> None:
        if self._metrics is not None:
            self._metrics.tx_retries.inc()

    def _count(self, batch: list[Queued], outcomes: list[Outcome]) -> None:
        refused = committed = 0
        partitions: set[int] = set()
        for (_, _, written, late), (ok, value) in zip(batch, outcomes, strict=True):
            if not ok and isinstance(value, NotOwner):
                self.refused += 1
            if not late:
                continue
            if ok:
                committed += 1
                partitions |= written
                for p in written:
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
            if self._metrics is not None:
                self._metrics.tx_seconds.observe(time.perf_counter() - started)
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
