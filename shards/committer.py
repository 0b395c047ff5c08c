"""Group commit: concurrent engine operations share one transaction.

Each operation is a function of the transaction's connection; the committer runs the waiting
ones one after another in a single transaction, commits once, and then runs the callbacks they
registered for after the commit (dispatching a task, waking a waiter). Writes are serialized,
which SQLite needs anyway and which makes a shard the single writer of its instances.

An operation raises a StepwayError only before it writes anything, so such an error is its own
answer and the batch goes on. Any other error rolls the batch back; its operations then run one
by one so that only the guilty one fails.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shards.db import run_tx
from shards.errors import StepwayError

log = logging.getLogger(__name__)

T = TypeVar("T")
After = list[Callable[[], None]]
Operation = Callable[[AsyncConnection, After], Awaitable[T]]


class Committer:
    """Runs operations in batched transactions on one connection at a time."""

    def __init__(self, engine: AsyncEngine, *, max_batch: int = 128) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: asyncio.Queue[tuple[Operation[Any], asyncio.Future[Any]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
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
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._commit(batch)

    async def _commit(self, batch: list[tuple[Operation[Any], asyncio.Future[Any]]]) -> None:
        after: After = []

        async def body(conn: AsyncConnection) -> list[tuple[bool, Any]]:
            after.clear()
            outcomes: list[tuple[bool, Any]] = []
            for op, _ in batch:
                try:
                    outcomes.append((True, await op(conn, after)))
                except StepwayError as exc:
                    outcomes.append((False, exc))
            return outcomes

        try:
            outcomes = await run_tx(self._engine, body)
        except Exception as exc:
            if len(batch) > 1:
                log.warning(
                    "batch of %d failed (%s); running its operations one by one", len(batch), exc
                )
                for item in batch:
                    await self._commit([item])
                return
            log.exception("operation failed")
            _, fut = batch[0]
            if not fut.done():
                fut.set_exception(exc)
            return
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
