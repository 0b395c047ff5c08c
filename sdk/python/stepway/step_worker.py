"""The step worker: serves CALL steps (`step.call`) of a step task queue from Python.

A StepWorker long-polls one step task queue, runs the handler registered for each task's step
type, and reports the attempt's outcome: CompleteStepTask with what the handler returned,
FailStepTask with what it raised. The server owns the call's policy: it retries a failed
attempt by the call's RetryPolicy, fails an attempt that runs past its timeout (StepTimeout) or
misses a heartbeat (HeartbeatTimeout), and hands the next attempt to any step worker.

Unlike a workflow worker's tasks, a step worker's tasks are not given back when its connection
drops: a lost step worker's attempt is retried after its heartbeat timeout, or after its
timeout when the call asked for no heartbeats. docs/step-workers.md has the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import inspect
import logging
import threading
import traceback
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import grpc
from opentelemetry import trace

from stepway import _payload, tracing
from stepway._step import (
    MAX_PAYLOAD_BYTES,
    STEP_TYPE_PATTERN,
    TASK_QUEUE_PATTERN,
    failure_pb,
    wall_us,
)
from stepway.client import Client
from stepway.errors import (
    InvalidArgumentError,
    PermissionDeniedError,
    StepwayError,
    TaskLeaseLostError,
    TaskNotFoundError,
    UnauthenticatedError,
)
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.workflow import NonRetryableError

log = logging.getLogger("stepway.step_worker")

POLL_WAIT_SECONDS = 30.0
# How long a report (complete, fail) is retried while the server is unreachable.
RETRY_UNAVAILABLE_SECONDS = 15.0
# Progress given to ctx.heartbeat goes out at most this often (or every heartbeat period,
# when that is shorter).
MIN_HEARTBEAT_INTERVAL = 1.0
# How long a cancelled async handler gets to unwind before the worker stops waiting for it.
CANCEL_GRACE_SECONDS = 5.0
# A handler is cancelled this long after its attempt's deadline: the server times the attempt
# out by its own clock, and a worker whose clock runs a little ahead must not cut it short.
DEADLINE_GRACE_SECONDS = 2.0
# Poll answers that polling again cannot change: run() ends with them.
_FATAL_POLL_CODES = frozenset(
    {
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.UNIMPLEMENTED,
    }
)

Handler = Callable[[Any, "StepTaskContext"], Any]
H = TypeVar("H", bound=Callable[..., Any])


class StepTaskContext:
    """The attempt a handler runs: who called it, which attempt it is, and how to report
    progress. The handler's second argument, and `stepway.current_step_task()` inside it."""

    def __init__(self, task: wpb.StepTask, task_queue: str) -> None:
        self.task_queue = task_queue
        self.step_type = task.step_type
        # This attempt's number, from 1.
        self.attempt: int = task.attempt or 1
        self.workflow = task.workflow
        self.instance_id = task.instance_id
        # The CALL step's name and occurrence in the workflow.
        self.step_name = task.step_name
        self.step_seq: int = task.step_seq
        # When the server times this attempt out (StepTimeout).
        self.deadline: datetime | None = _payload.to_datetime(task.deadline)
        # How often the server needs a heartbeat, in seconds; None when the call asked for none.
        self.heartbeat_timeout: float | None = (
            task.heartbeat_timeout.ToMicroseconds() / 1_000_000
            if task.HasField("heartbeat_timeout")
            else None
        )
        # The last details an earlier attempt of this call heartbeated (where to resume), or None.
        self.heartbeat_details: Any = (
            _payload.loads(task.heartbeat_details.data)
            if task.HasField("heartbeat_details")
            else None
        )
        self.scheduled_at: datetime | None = _payload.to_datetime(task.scheduled_at)
        self.task_token: bytes = task.task_token
        self._details: bytes | None = None
        self._beat = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._cancelled = threading.Event()

    def __repr__(self) -> str:
        return (
            f"StepTaskContext(step_type={self.step_type!r}, instance_id={self.instance_id!r}, "
            f"step={self.step_name!r}#{self.step_seq}, attempt={self.attempt})"
        )

    @property
    def cancelled(self) -> bool:
        """True once the worker gave up on this attempt (the lease was lost, the deadline passed,
        or the worker is stopping). An async handler is cancelled too; a sync one, which runs in
        a thread and cannot be interrupted, should check this between units of work."""
        return self._cancelled.is_set()

    def heartbeat(self, details: Any = None) -> None:
        """Reports progress: `details` (JSON, at most 1 MiB; None keeps the last ones) reach the
        server within a second or a heartbeat period, and a later attempt of this call receives
        them as `heartbeat_details`. Callable from async and sync handlers alike; heartbeats
        that keep the attempt alive are also sent without it."""
        if details is not None:
            data = _payload.dumps(details)
            if len(data) > MAX_PAYLOAD_BYTES:
                raise ValueError(
                    f"heartbeat details are {len(data)} bytes; "
                    f"the limit is {MAX_PAYLOAD_BYTES} bytes (1 MiB)"
                )
            self._details = data
        with contextlib.suppress(RuntimeError):  # the loop is gone: the worker has stopped
            self._loop.call_soon_threadsafe(self._beat.set)


_current_task: ContextVar[StepTaskContext] = ContextVar("stepway_current_step_task")


def current_step_task() -> StepTaskContext:
    """The step task being run, inside a StepWorker's handler (the handler's `ctx`)."""
    try:
        return _current_task.get()
    except LookupError:
        raise RuntimeError("current_step_task() is only available inside a step handler") from None


@dataclass
class _Run:
    """One step task in this worker: its context, the task serving it, and its handler."""

    ctx: StepTaskContext
    serve: asyncio.Task[None] = field(init=False)
    handler: asyncio.Task[Any] | None = None
    # Why the worker gave up on the handler: "lost", "deadline" or "shutdown".
    reason: str | None = None

    def give_up(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        self.ctx._cancelled.set()
        if self.handler is not None:
            self.handler.cancel()


class StepWorker:
    """Serves step types of one step task queue, up to max_concurrent attempts at a time.

    Register a handler per step type (`@worker.handler("render_pdf")`, or `handlers=`): an
    async or sync function `(input, ctx)` whose return value (JSON) is the step's result.
    Sync handlers run in the worker's threads. Raise NonRetryableError to fail the call at
    once; any other exception fails the attempt, and the server retries it by the call's
    policy. Use it as an async context manager, or `await run()`.
    """

    def __init__(
        self,
        client: Client,
        *,
        task_queue: str,
        handlers: Mapping[str, Handler] | None = None,
        max_concurrent: int = 16,
        shutdown_timeout: float = 30.0,
        clock: Callable[[], int] = wall_us,
    ) -> None:
        if not TASK_QUEUE_PATTERN.fullmatch(task_queue):
            raise ValueError(f"task_queue {task_queue!r} must match {TASK_QUEUE_PATTERN.pattern}")
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be 1 or more")
        self.client = client
        self.task_queue = task_queue
        self.max_concurrent = max_concurrent
        self.shutdown_timeout = shutdown_timeout
        # Microseconds since the epoch, against which attempts' deadlines are measured.
        self.clock = clock
        self.id = uuid.uuid4().hex
        self.handlers: dict[str, Handler] = {}
        for step_type, fn in (handlers or {}).items():
            self.add_handler(step_type, fn)
        self._running: dict[bytes, _Run] = {}
        self._capacity = asyncio.Event()
        self._ended = asyncio.Event()
        self._error: BaseException | None = None
        self._poller: asyncio.Task[None] | None = None
        self._stopping: asyncio.Future[None] | None = None
        self._executor: ThreadPoolExecutor | None = None

    def add_handler(self, step_type: str, fn: Handler) -> None:
        """Serves step_type with fn(input, ctx)."""
        if not STEP_TYPE_PATTERN.fullmatch(step_type):
            raise ValueError(f"step_type {step_type!r} must match {STEP_TYPE_PATTERN.pattern}")
        self.handlers[step_type] = fn

    def handler(self, step_type: str) -> Callable[[H], H]:
        """Decorator: serves step_type with the decorated function(input, ctx)."""

        def register(fn: H) -> H:
            self.add_handler(step_type, fn)
            return fn

        return register

    async def __aenter__(self) -> StepWorker:
        await self.start()
        return self

    async def __aexit__(self, exc_type: object, *exc: object) -> None:
        await self.stop()
        if exc_type is None and self._error is not None:
            raise self._error

    async def start(self) -> None:
        """Starts polling and serving. A StepWorker starts once."""
        if self._poller is not None:
            raise RuntimeError("this StepWorker was already started")
        if not self.handlers:
            raise ValueError("a StepWorker needs at least one handler")
        self._executor = ThreadPoolExecutor(
            max_workers=self.max_concurrent, thread_name_prefix=f"stepway-step-{self.id[:8]}"
        )
        self._poller = asyncio.create_task(
            self._poll_loop(), name=f"stepway-step-worker-poll-{self.id[:8]}"
        )
        self._poller.add_done_callback(self._poller_done)

    async def run(self) -> None:
        """Starts and serves until stop() or cancellation; raises the error that ended it (a
        key refused: UnauthenticatedError, PermissionDeniedError)."""
        await self.start()
        try:
            await self._ended.wait()
        finally:
            await self.stop()
        if self._error is not None:
            raise self._error

    @property
    def running(self) -> int:
        """How many attempts this worker is working on."""
        return len(self._running)

    async def stop(self, timeout: float | None = None) -> None:
        """Stops gracefully: stops polling, lets the running handlers finish for up to timeout
        seconds (shutdown_timeout when None), then cancels the rest and fails their attempts
        as "WorkerShutdown" (retryable, so the server hands them out again)."""
        if self._stopping is None:
            wait = self.shutdown_timeout if timeout is None else timeout
            self._stopping = asyncio.ensure_future(self._shutdown(wait))
        await asyncio.shield(self._stopping)

    async def _shutdown(self, timeout: float) -> None:
        self._ended.set()
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
        runs = list(self._running.values())
        if runs:
            await asyncio.wait([r.serve for r in runs], timeout=max(timeout, 0))
            left = [r for r in runs if not r.serve.done()]
            if left:
                log.info("stopping: cancelling %d step task(s) still running", len(left))
            for run in left:
                run.give_up("shutdown")
            await asyncio.gather(*(r.serve for r in runs), return_exceptions=True)
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def _end(self, error: BaseException) -> None:
        if self._error is None:
            self._error = error
        self._ended.set()

    def _poller_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("step worker %s stops: %s", self.id, error)
            self._end(error)

    async def _poll_loop(self) -> None:
        backoff = 0.1
        while True:
            free = self.max_concurrent - len(self._running)
            if free <= 0:
                self._capacity.clear()
                await self._capacity.wait()
                continue
            request = wpb.PollStepTasksRequest(
                worker_id=self.id, task_queue=self.task_queue, max_tasks=min(free, 100)
            )
            request.wait.FromMicroseconds(int(POLL_WAIT_SECONDS * 1_000_000))
            try:
                resp = await self.client.call(
                    self.client.workers.PollStepTasks, request, timeout=POLL_WAIT_SECONDS + 20
                )
            except StepwayError as exc:
                if exc.code in _FATAL_POLL_CODES:
                    raise
                log.warning("step task poll failed (%s); retrying in %.1f s", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            backoff = 0.1
            for task in resp.tasks:
                run = _Run(StepTaskContext(task, self.task_queue))
                run.serve = asyncio.create_task(
                    self._serve(run, task),
                    name=f"stepway-step-{task.step_type}-{task.instance_id}-{task.step_name}",
                )
                self._running[task.task_token] = run

    async def _serve(self, run: _Run, task: wpb.StepTask) -> None:
        """Serves one attempt in a span of its own, a child of the workflow run that asked for
        the call (task.trace_parent)."""
        attributes = {
            **tracing.instance_attributes(task.account_id, task.workflow, task.instance_id),
            "stepway.step.name": task.step_name,
            "stepway.step.seq": task.step_seq,
            "stepway.step.attempt": task.attempt,
            "stepway.step.kind": "call",
            "stepway.step.type": task.step_type,
            "stepway.task_queue": self.task_queue,
            "stepway.worker_id": self.id,
        }
        with tracing.span(
            f"stepway.step {task.step_name}",
            task.trace_parent or None,
            attributes,
            trace.SpanKind.CONSUMER,
        ):
            await self._serve_attempt(run, task)

    async def _serve_attempt(self, run: _Run, task: wpb.StepTask) -> None:
        ctx = run.ctx
        try:
            fn = self.handlers.get(task.step_type)
            if fn is None:
                served = ", ".join(sorted(self.handlers))
                await self._fail(
                    ctx,
                    "UnknownStepType",
                    f"step worker {self.id} on task queue {self.task_queue!r} has no handler "
                    f"for step type {task.step_type!r} (it serves {served})",
                    "",
                    non_retryable=False,
                )
                return
            try:
                value = _payload.loads(task.input.data)
            except ValueError as refused:
                # Stored before the server held payloads to strict JSON: every attempt would
                # fail so.
                message = f"the call's input is not strict JSON: {refused}"
                await self._fail(ctx, "InvalidInput", message, "", non_retryable=True)
                return
            handler = await self._attempt(run, fn, value)
            if run.reason in ("lost", "deadline"):
                # The server has ended this attempt; nothing may be reported.
                trace.get_current_span().set_attribute("stepway.outcome", "lost")
                return
            if not handler.cancelled() and handler.exception() is None:
                await self._complete(ctx, handler.result())
            elif run.reason == "shutdown":
                await self._fail(
                    ctx, "WorkerShutdown", f"step worker {self.id} stopped", "", non_retryable=False
                )
            elif handler.cancelled():
                await self._fail(
                    ctx, "CancelledError", "the handler was cancelled", "", non_retryable=False
                )
            else:
                exc = handler.exception()
                assert exc is not None
                details = "".join(traceback.format_exception(exc))
                await self._fail(
                    ctx,
                    type(exc).__name__,
                    str(exc),
                    details,
                    non_retryable=isinstance(exc, NonRetryableError),
                )
        except Exception:
            log.exception("step task %r failed unexpectedly", ctx)
        finally:
            self._running.pop(ctx.task_token, None)
            self._capacity.set()

    async def _attempt(self, run: _Run, fn: Handler, input: Any) -> asyncio.Task[Any]:
        """Runs the handler with heartbeats until it ends, the deadline passes, or the worker
        gives up on it; returns the handler's task, done."""
        ctx = run.ctx
        handler = asyncio.create_task(self._invoke(fn, input, ctx), name=f"stepway-handler-{ctx}")
        run.handler = handler
        if run.reason is not None:
            handler.cancel()
        beats = asyncio.create_task(self._heartbeats(run), name=f"stepway-heartbeat-{ctx}")
        try:
            remaining = (
                None
                if ctx.deadline is None
                else ctx.deadline.timestamp() - self.clock() / 1_000_000 + DEADLINE_GRACE_SECONDS
            )
            await asyncio.wait({handler}, timeout=remaining)
            if not handler.done():
                log.warning("%r ran past its deadline; the server timed the attempt out", ctx)
                run.give_up("deadline")
            if not handler.done():
                await asyncio.wait({handler}, timeout=CANCEL_GRACE_SECONDS)
        finally:
            beats.cancel()
            await asyncio.gather(beats, return_exceptions=True)
        if not handler.done():
            # An async handler that will not stop: leave it, and report nothing for it.
            log.warning("%r ignores cancellation; leaving it", ctx)
            run.reason = run.reason or "lost"
        return handler

    async def _invoke(self, fn: Handler, input: Any, ctx: StepTaskContext) -> Any:
        _current_task.set(ctx)  # this runs in a task of its own: the setting stays in it
        if inspect.iscoroutinefunction(fn):
            return await fn(input, ctx)
        call = functools.partial(contextvars.copy_context().run, fn, input, ctx)
        result = await asyncio.get_running_loop().run_in_executor(self._executor, call)
        if inspect.isawaitable(result):
            return await result
        return result

    async def _heartbeats(self, run: _Run) -> None:
        """Heartbeats the task every third of its heartbeat timeout, and sends the details a
        handler reports (at most every MIN_HEARTBEAT_INTERVAL)."""
        ctx = run.ctx
        loop = asyncio.get_running_loop()
        period = ctx.heartbeat_timeout / 3 if ctx.heartbeat_timeout else None
        throttle = min(period, MIN_HEARTBEAT_INTERVAL) if period else MIN_HEARTBEAT_INTERVAL
        last = loop.time()
        while True:
            if not ctx._beat.is_set():
                wait = None if period is None else max(last + period - loop.time(), 0.0)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ctx._beat.wait(), wait)
            delay = last + throttle - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            ctx._beat.clear()
            request = wpb.HeartbeatStepTaskRequest(task_token=ctx.task_token)
            if ctx._details is not None:
                request.details.data = ctx._details
            try:
                await self.client.call(
                    self.client.workers.HeartbeatStepTask,
                    request,
                    timeout=max(period or 10.0, 1.0),
                    retry_unavailable=period or 10.0,
                )
            except (TaskLeaseLostError, TaskNotFoundError) as exc:
                log.info("%r: %s; abandoning it", ctx, exc)
                run.give_up("lost")
                return
            except (UnauthenticatedError, PermissionDeniedError) as exc:
                self._end(exc)
            except StepwayError as exc:
                log.warning("heartbeat of %r failed: %s", ctx, exc)
            last = loop.time()

    async def _complete(self, ctx: StepTaskContext, value: Any) -> None:
        try:
            data = _payload.dumps(value)
        except (TypeError, ValueError) as exc:
            message = f"the result of step type {ctx.step_type!r} is not JSON: {exc}"
            await self._fail(ctx, "ResultNotSerializable", message, "", non_retryable=True)
            return
        if len(data) > MAX_PAYLOAD_BYTES:
            message = (
                f"the result of step type {ctx.step_type!r} is {len(data)} bytes; "
                f"the limit is {MAX_PAYLOAD_BYTES} bytes (1 MiB)"
            )
            await self._fail(ctx, "ResultTooLarge", message, "", non_retryable=True)
            return
        request = wpb.CompleteStepTaskRequest(
            task_token=ctx.task_token, result=cpb.Payload(data=data)
        )
        trace.get_current_span().set_attribute("stepway.outcome", "succeeded")
        try:
            await self._report(self.client.workers.CompleteStepTask, request, ctx)
        except InvalidArgumentError as exc:
            # Such as a result over the account's max_payload_bytes: the attempt goes on.
            await self._fail(ctx, "InvalidResult", exc.message, "", non_retryable=True)

    async def _fail(
        self,
        ctx: StepTaskContext,
        error_type: str,
        message: str,
        details: str,
        *,
        non_retryable: bool,
    ) -> None:
        span = trace.get_current_span()
        span.set_attribute("stepway.outcome", "failed")
        tracing.fail(span, None, f"{error_type}: {message}")
        request = wpb.FailStepTaskRequest(
            task_token=ctx.task_token,
            error=failure_pb(error_type, message, details),
            non_retryable=non_retryable,
        )
        try:
            resp = await self._report(self.client.workers.FailStepTask, request, ctx)
        except InvalidArgumentError as exc:
            log.warning("failure of %r refused: %s", ctx, exc)
            return
        if resp is not None and resp.HasField("exhausted"):
            log.info("%r failed for good: %s: %s", ctx, error_type, message)

    async def _report(
        self, method: Callable[..., Any], request: Any, ctx: StepTaskContext
    ) -> Any | None:
        """Sends an attempt's outcome; None when the server no longer wants it. Raises
        InvalidArgumentError, which the caller handles."""
        try:
            return await self.client.call(
                method, request, retry_unavailable=RETRY_UNAVAILABLE_SECONDS
            )
        except (TaskLeaseLostError, TaskNotFoundError) as exc:
            log.info("outcome of %r refused (%s); the call moved on", ctx, exc)
        except (UnauthenticatedError, PermissionDeniedError) as exc:
            self._end(exc)
        except InvalidArgumentError:
            raise
        except StepwayError as exc:
            log.warning("could not report the outcome of %r: %s", ctx, exc)
        return None
