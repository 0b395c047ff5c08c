"""Coalesces a worker's task writes into RecordBatch calls.

A write waits only for the batch in flight before it: an idle worker sends each write at once,
and a busy one sends one call for all the writes its workflows produced meanwhile. Each write
still succeeds or fails on its own.
"""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import grpc

from stepway.client import Client
from stepway.errors import StepwayError, from_status
from stepway.v1 import worker_service_pb2 as wpb

# How long a batch is retried while the server is unreachable before its writes fail.
RETRY_UNAVAILABLE_SECONDS = 15.0
UNAVAILABLE = grpc.StatusCode.UNAVAILABLE.value[0]


class Outbox:
    """Batches task writes (start_step, complete_step, fail_step, start_sleep, wait_for_event,
    schedule_call, complete_workflow, fail_workflow) into RecordBatch calls."""

    def __init__(self, client: Client, *, max_in_flight: int = 2, max_batch: int = 500) -> None:
        self._client = client
        self._max_in_flight = max_in_flight
        self._max_batch = max_batch
        self._pending: list[tuple[wpb.WorkerCommand, asyncio.Future[Any]]] = []
        self._in_flight: set[asyncio.Task[None]] = set()
        self._scheduled = False

    async def send(self, kind: str, request: Any) -> Any:
        """Sends one write; returns its response or raises its StepwayError."""
        command = wpb.WorkerCommand()
        getattr(command, kind).CopyFrom(request)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((command, fut))
        if not self._scheduled:
            # Flush on the next turn of the loop, so writes made in this turn go together.
            self._scheduled = True
            # In a context of its own: a batch carries writes of many runs, so its RecordBatch
            # call belongs to none of their traces.
            asyncio.get_running_loop().call_soon(self._pump, context=contextvars.Context())
        return await fut

    def _pump(self) -> None:
        self._scheduled = False
        while self._pending and len(self._in_flight) < self._max_in_flight:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            task = asyncio.create_task(self._flush(batch), name="stepway-outbox")
            self._in_flight.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._pump()

    async def _flush(self, batch: list[tuple[wpb.WorkerCommand, asyncio.Future[Any]]]) -> None:
        """Sends a batch; the writes the server could not make for now (UNAVAILABLE: its
        database is away) go again with backoff for up to RETRY_UNAVAILABLE_SECONDS."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_UNAVAILABLE_SECONDS
        delay = 0.05
        while True:
            batch = await self._send(batch, deadline)
            if not batch:
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)

    async def _send(
        self, batch: list[tuple[wpb.WorkerCommand, asyncio.Future[Any]]], deadline: float
    ) -> list[tuple[wpb.WorkerCommand, asyncio.Future[Any]]]:
        """Sends a batch once and settles its writes; returns those to send again."""
        loop = asyncio.get_running_loop()
        request = wpb.RecordBatchRequest(commands=[c for c, _ in batch])
        try:
            resp = await self._client.call(
                self._client.workers.RecordBatch,
                request,
                retry_unavailable=max(0.0, deadline - loop.time()),
            )
        except StepwayError as exc:
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return []
        except BaseException as exc:
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(StepwayError(f"batch failed: {exc!r}"))
            raise
        again = []
        for (command, fut), result in zip(batch, resp.results, strict=True):
            if fut.done():
                continue
            kind = result.WhichOneof("result")
            if kind == "error":
                if result.error.code == UNAVAILABLE and loop.time() < deadline:
                    again.append((command, fut))
                else:
                    fut.set_exception(from_status(result.error))
            else:
                fut.set_result(getattr(result, kind))
        return again

    async def close(self) -> None:
        """Waits for the writes in flight."""
        while self._in_flight or self._pending:
            if self._in_flight:
                await asyncio.gather(*self._in_flight, return_exceptions=True)
            else:
                self._pump()
