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
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa

from shards.db import run_tx
from shards.errors import StepwayError

log = logging.getLogger(__name__)

T = TypeVar("T")
After = list[Callable[[], None]]
Operation = Callable[[sa.Connection, After], T]
Outcome = tuple[bool, Any]


class Committer:
    """Runs operations in batched transactions, one batch at a time."""

    def __init__(self, engine: sa.Engine, *, max_batch: int = 128) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: asyncio.Queue[tuple[Operation[Any], asyncio.Future[Any]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shard-writer")
        self.batches = 0
        self.operations = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="shard-committer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        while not self._queue.empty():
            _, fut = self._queue.get_nowait()
            if not fut.done():
                fut.set_exception(asyncio.CancelledError())
        self._writer.shutdown(wait=True)

    def submit(self, op: Operation[T]) -> asyncio.Future[T]:
        """Queues an operation; the future resolves after its transaction commits."""
        if self._task is None:
            raise RuntimeError("committer is not running")
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((op, fut))
        return fut

    async def run(self, op: Operation[T]) -> T:
        """Queues an operation and waits for its committed result."""
        return await self.submit(op)

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            ops = [op for op, _ in batch]
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
            for (_, fut), (ok, value) in zip(batch, outcomes, strict=True):
                if fut.done():
                    continue
                if ok:
                    fut.set_result(value)
                else:
                    fut.set_exception(value)

    def _commit(self, ops: list[Operation[Any]]) -> tuple[list[Outcome], After]:
        """In the writer thread: runs a batch in one transaction; on failure, one by one."""
        after: After = []

        def body(conn: sa.Connection) -> list[Outcome]:
            after.clear()
            outcomes: list[Outcome] = []
            for op in ops:
                try:
                    outcomes.append((True, op(conn, after)))
                except StepwayError as exc:
                    outcomes.append((False, exc))
            return outcomes

        try:
            return run_tx(self._engine, body), after
        except Exception as exc:
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
