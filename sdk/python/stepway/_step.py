"""The `step` object a workflow run receives: durable steps over the instance's journal.

A run replays from the top. A step already in the journal returns its recorded result (or
raises its recorded failure) without running; a new step runs and is recorded on the server
before the run goes on. A sleep, an event wait, a retry delay or a call to a step worker
suspends the instance: the run ends with _Suspended, and a later task replays it.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import logging
import re
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from stepway import _payload, tracing
from stepway._threads import BodyThreads
from stepway.errors import InvalidArgumentError, StepwayError
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb
from stepway.workflow import (
    DEFAULT_EVENT_TIMEOUT,
    DEFAULT_RETRIES,
    DEFAULT_STEP_TIMEOUT,
    Event,
    EventTimeoutError,
    NonRetryableError,
    RetryPolicy,
    StepFailedError,
    StepInfo,
    _current_step,
    seconds,
)

if TYPE_CHECKING:
    from stepway._outbox import Outbox

log = logging.getLogger("stepway.worker")

_BACKOFF = {
    "constant": wpb.BACKOFF_CONSTANT,
    "linear": wpb.BACKOFF_LINEAR,
    "exponential": wpb.BACKOFF_EXPONENTIAL,
}


MAX_PAYLOAD_BYTES = 1024 * 1024
# How long a synchronous body has, once its attempt timed out and its `cancelled` flag is set,
# to return before it counts as abandoned (and its timeout is reported either way).
COOPERATIVE_GRACE_SECONDS = 0.2
# A call's attempt timeout when none is given (the server's default), and the longest allowed.
DEFAULT_CALL_TIMEOUT = 300.0
MAX_CALL_TIMEOUT = 7 * 86_400.0
# The server's limits on a Failure (docs/limits.md): a worker cuts longer text rather than
# have its report refused.
MAX_FAILURE_TYPE_CHARS = 200
MAX_FAILURE_TEXT_CHARS = 32 * 1024
# What a worker keeps of a stack trace: its end, where the raise is.
MAX_FAILURE_DETAILS_CHARS = 8000
# Task tokens per HeartbeatTasks or ReleaseTasks, and workflow names per RegisterWorker: a
# worker with more sends several calls.
MAX_ITEMS_PER_CALL = 1000
# Matched whole (fullmatch), as the server does.
TASK_QUEUE_PATTERN = re.compile(r"[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}")
STEP_TYPE_PATTERN = re.compile(r"[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,99}")


def failure_pb(error_type: str, message: str, details: str) -> cpb.Failure:
    """A Failure within the server's limits: the type and message cut at their ends, the
    details (a stack trace) cut at their start."""
    return cpb.Failure(
        type=error_type[:MAX_FAILURE_TYPE_CHARS],
        message=message[:MAX_FAILURE_TEXT_CHARS],
        details=details[-MAX_FAILURE_DETAILS_CHARS:],
    )


def chunks(items: list[Any], size: int = MAX_ITEMS_PER_CALL) -> list[list[Any]]:
    """items in lists of at most size, in order."""
    return [items[n : n + size] for n in range(0, len(items), size)]


class _Suspended(BaseException):
    """The instance is suspended on the server; this run ends here. Not an Exception, so that
    a workflow's `except Exception` cannot swallow it. Its argument says on what: "sleep",
    "event", "retry", "call" or "pause"."""

    @property
    def on(self) -> str:
        return str(self.args[0]) if self.args else "pause"


class ResultNotSerializable(NonRetryableError):
    """A step's result that JSON cannot hold as Stepway stores it (an object, NaN, a lone
    surrogate, nesting past 64 levels): every attempt would return it, so the step fails
    once, with no retry."""


class _NonDeterminism(BaseException):
    """The run asked, at a step's name and occurrence, for another kind of step than the
    journal holds: this code cannot replay the instance. Not an Exception, so that a workflow
    cannot swallow it; the worker reports it (FailWorkflow with non_determinism) and the
    instance waits, blocked, for another build instead of erroring."""

    def __init__(self, name: str, seq: int, recorded: int, requested: int) -> None:
        self.name, self.seq, self.recorded, self.requested = name, seq, recorded, requested
        super().__init__(
            f"step {name!r} #{seq} is recorded as a {_kind_name(recorded)} step, but the "
            f"code asked for a {_kind_name(requested)} step: the workflow's code changed "
            "under a running instance"
        )


def _kind_name(kind: int) -> str:
    names: dict[int, str] = {
        cpb.STEP_KIND_DO: "do",
        cpb.STEP_KIND_SLEEP: "sleep",
        cpb.STEP_KIND_WAIT_FOR_EVENT: "wait_for_event",
        cpb.STEP_KIND_CALL: "call",
    }
    return names.get(kind, "unknown")


class _Abandoned(BaseException):
    """The server refused or could not take a step's record (the lease was lost, or the server
    stayed unreachable): this run cannot go on, and the instance is dispatched again."""


@dataclass
class _Entry:
    state: int
    attempts: int
    result: bytes | None
    error_type: str
    error_message: str
    wake_at_us: int | None
    # The recorded kind (StepKind); unspecified for an entry this run wrote itself.
    kind: int = cpb.STEP_KIND_UNSPECIFIED


def wall_us() -> int:
    """The wall clock in microseconds since the epoch."""
    return time.time_ns() // 1000


class Step:
    """Durable steps of one workflow run."""

    def __init__(
        self,
        outbox: Outbox,
        token: bytes,
        workflow: str,
        instance_id: str,
        journal: list[wpb.JournalEntry],
        account_id: str = "",
        threads: BodyThreads | None = None,
        clock: Callable[[], int] = wall_us,
    ) -> None:
        self._outbox = outbox
        # Microseconds since the epoch: the wall clock, or stepway.testing's skipping clock.
        self._clock = clock
        self._threads = threads if threads is not None else BodyThreads()
        self._starts: set[asyncio.Task[Any]] = set()
        self._token = token
        self._workflow = workflow
        self._instance_id = instance_id
        self._account_id = account_id
        self._seen: dict[str, int] = defaultdict(int)
        self._journal: dict[tuple[str, int], _Entry] = {
            (e.name, e.seq): _Entry(
                state=e.state,
                attempts=e.attempts,
                result=e.result.data if e.HasField("result") else None,
                error_type=e.error.type,
                error_message=e.error.message,
                wake_at_us=e.wake_at.ToMicroseconds() if e.HasField("wake_at") else None,
                kind=e.kind,
            )
            for e in journal
        }
        # Steps this run executed (as opposed to replayed), in order: for logs and tests.
        self.executed: list[str] = []

    async def _rpc(self, kind: str, request: Any) -> Any:
        try:
            return await self._outbox.send(kind, request)
        except StepwayError as exc:
            raise _Abandoned(str(exc)) from exc

    def _next(self, name: str, kind: int) -> tuple[int, _Entry | None]:
        """The step's occurrence and its journal entry; _NonDeterminism when the entry is of
        another kind than the code asks for."""
        if not name:
            raise ValueError("a step needs a name")
        self._seen[name] += 1
        seq = self._seen[name]
        entry = self._journal.get((name, seq))
        if entry is not None and entry.kind not in (cpb.STEP_KIND_UNSPECIFIED, kind):
            raise _NonDeterminism(name, seq, entry.kind, kind)
        return seq, entry

    async def do(
        self,
        name: str,
        fn: Callable[..., Any],
        *args: Any,
        retries: RetryPolicy | None = None,
        timeout: float | timedelta | None = None,
        allow_overlap: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Runs fn(*args, **kwargs) once as the step called name, and returns its result.

        fn may be sync (it runs in a thread) or async. Its result must be JSON-serializable; the
        step returns the result as JSON gives it back, on the first run and on every replay alike.

        An attempt past `timeout` fails with StepTimeout. An async fn is cancelled then; a sync
        fn cannot be stopped, so `current_step().cancelled` is set for it to poll, and while its
        thread runs on it counts against the worker's max_concurrent and the step's next
        attempt does not start in this worker. `allow_overlap=True` lets the next attempt start
        beside it.
        """
        seq, entry = self._next(name, cpb.STEP_KIND_DO)
        if entry is not None and entry.state == cpb.STEP_STATE_SUCCEEDED:
            return _payload.loads(entry.result or b"")
        if entry is not None and entry.state == cpb.STEP_STATE_FAILED:
            raise StepFailedError(name, entry.error_type, entry.error_message)
        attempt = (entry.attempts if entry is not None else 0) + 1
        policy = retries or DEFAULT_RETRIES
        limit = seconds(timeout) if timeout is not None else DEFAULT_STEP_TIMEOUT
        if not allow_overlap:
            await self._threads.wait_for(self._key(name, seq))
        with tracing.span(
            f"stepway.step {name}", None, self._span_attributes(name, seq, attempt, "do")
        ) as span:
            return await self._attempt(span, name, seq, attempt, policy, limit, fn, args, kwargs)

    def _key(self, name: str, seq: int) -> tuple[str, str, str, int]:
        return (self._workflow, self._instance_id, name, seq)

    def _record_start(self, name: str, seq: int, attempt: int) -> None:
        """Sends the attempt's start with the next batch of writes, without waiting for it:
        the attempt shows as running once the batch lands. A start that fails is only
        logged; the attempt's report records it anyway."""
        request = wpb.StartStepRequest(task_token=self._token, name=name, seq=seq, attempt=attempt)
        task = asyncio.ensure_future(self._outbox.send("start_step", request))
        self._starts.add(task)
        task.add_done_callback(self._start_sent)

    def _start_sent(self, task: asyncio.Task[Any]) -> None:
        self._starts.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("the start of an attempt was not recorded: %s", task.exception())

    def _span_attributes(self, name: str, seq: int, attempt: int, kind: str) -> dict[str, Any]:
        return {
            **tracing.instance_attributes(self._account_id, self._workflow, self._instance_id),
            "stepway.step.name": name,
            "stepway.step.seq": seq,
            "stepway.step.attempt": attempt,
            "stepway.step.kind": kind,
        }

    async def _attempt(
        self,
        span: Any,
        name: str,
        seq: int,
        attempt: int,
        policy: RetryPolicy,
        limit: float,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        """One attempt of a DO step: runs fn and records its result or its failure."""
        started = self._clock()
        info = StepInfo(name, attempt, self._instance_id, self._workflow)
        self._record_start(name, seq, attempt)
        abandoned = False

        def on_abandon(done: asyncio.Future[Any]) -> None:
            nonlocal abandoned
            abandoned = True
            self._threads.abandon(self._key(name, seq), attempt, done)

        try:
            value = await _invoke(info, limit, on_abandon, fn, args, kwargs)
            try:
                data = _payload.dumps(value)
            except (TypeError, ValueError) as exc:
                # Every attempt would return what cannot be stored: fail once, clearly.
                raise ResultNotSerializable(
                    f"the result of step {name!r} cannot be stored as JSON: {exc}"
                ) from exc
            if len(data) > MAX_PAYLOAD_BYTES:
                raise NonRetryableError(
                    f"the result of step {name!r} is {len(data)} bytes; "
                    f"the limit is {MAX_PAYLOAD_BYTES} bytes (1 MiB)"
                )
        except TimeoutError as exc:
            message = f"step {name!r} timed out after {limit:g} s"
            if abandoned:
                message += (
                    "; its synchronous body still runs in a thread (it does not check "
                    "current_step().cancelled)"
                )
            span.set_attribute("stepway.outcome", "failed")
            tracing.fail(span, exc, f"StepTimeout: {message}")
            await self._fail(name, seq, attempt, started, policy, "StepTimeout", message, "", False)
            raise AssertionError("unreachable") from None
        except Exception as exc:
            span.set_attribute("stepway.outcome", "failed")
            tracing.fail(span, exc)
            await self._fail(
                name,
                seq,
                attempt,
                started,
                policy,
                type(exc).__name__,
                str(exc),
                traceback.format_exc(),
                isinstance(exc, NonRetryableError),
            )
            raise AssertionError("unreachable") from None
        request = wpb.CompleteStepRequest(
            task_token=self._token,
            name=name,
            seq=seq,
            attempt=attempt,
            result=cpb.Payload(data=data),
        )
        request.started_at.FromMicroseconds(started)
        resp = await self._rpc("complete_step", request)
        self.executed.append(name)
        span.set_attribute("stepway.outcome", "succeeded")
        if resp.task_ended:
            raise _Suspended("pause")  # the result is recorded, and no further step starts
        self._journal[(name, seq)] = _Entry(cpb.STEP_STATE_SUCCEEDED, attempt, data, "", "", None)
        return _payload.loads(data)

    async def _fail(
        self,
        name: str,
        seq: int,
        attempt: int,
        started: int,
        policy: RetryPolicy,
        error_type: str,
        message: str,
        details: str,
        non_retryable: bool,
    ) -> None:
        request = wpb.FailStepRequest(
            task_token=self._token,
            name=name,
            seq=seq,
            attempt=attempt,
            error=failure_pb(error_type, message, details),
            retry=_retry_pb(policy),
            non_retryable=non_retryable,
        )
        request.started_at.FromMicroseconds(started)
        resp = await self._rpc("fail_step", request)
        if resp.task_ended:
            raise _Suspended("pause")
        if resp.HasField("exhausted"):
            self._journal[(name, seq)] = _Entry(
                cpb.STEP_STATE_FAILED, attempt, None, error_type, message, None
            )
            raise StepFailedError(name, error_type, message)
        raise _Suspended("retry")

    async def call(
        self,
        name: str,
        *,
        task_queue: str,
        step_type: str,
        input: Any = None,
        retries: RetryPolicy | None = None,
        timeout: float | timedelta | None = None,
        heartbeat_timeout: float | timedelta | None = None,
    ) -> Any:
        """Runs the step called name on a step worker, and returns its result.

        The step's task goes on the step task queue `task_queue`, where a step worker (a
        `stepway.StepWorker`, or one in any language) that serves `step_type` takes it with
        `input` (JSON, at most 1 MiB). The instance waits meanwhile, holding no workflow
        worker; the server times out each attempt (`StepTimeout` after `timeout` seconds, 5
        minutes when None; `HeartbeatTimeout` when a step worker sends no heartbeat for
        `heartbeat_timeout`, if given), and retries failed attempts by `retries` (the server
        stores the policy; None means the SDK's default, as for `do`: 5 retries from 10 s,
        exponential; `RetryPolicy(limit=0)` means none).

        Returns the result as JSON gives it back, on the first run and on every replay alike.
        Raises StepFailedError when the call failed for good (retries used up, or a
        non-retryable error). A bad argument (an input that is not JSON or is too large, a bad
        queue or type name, a timeout out of range) raises ValueError or TypeError in the
        workflow, before anything is sent.
        """
        seq, entry = self._next(name, cpb.STEP_KIND_CALL)
        if entry is not None and entry.state == cpb.STEP_STATE_SUCCEEDED:
            return _payload.loads(entry.result or b"")
        if entry is not None and entry.state == cpb.STEP_STATE_FAILED:
            raise StepFailedError(name, entry.error_type, entry.error_message)
        request = _schedule_call_request(
            self._token,
            name,
            seq,
            task_queue=task_queue,
            step_type=step_type,
            input=input,
            policy=retries or DEFAULT_RETRIES,
            timeout=timeout,
            heartbeat_timeout=heartbeat_timeout,
        )
        # The attempts' spans are children of this run's, whatever worker serves them.
        request.trace_parent = tracing.current_traceparent() or ""
        try:
            resp = await self._outbox.send("schedule_call", request)
        except InvalidArgumentError as exc:
            # Such as an input over the account's max_payload_bytes: the same on every replay.
            raise ValueError(f"step.call {name!r} was refused: {exc.message}") from None
        except StepwayError as exc:
            raise _Abandoned(str(exc)) from exc
        if resp.suspended:
            raise _Suspended("call")  # the instance waits; a later task has its outcome
        done = resp.step
        if done.state == cpb.STEP_STATE_SUCCEEDED:
            self._journal[(name, seq)] = _Entry(
                done.state, done.attempts, done.result.data, "", "", None
            )
            return _payload.loads(done.result.data)
        if done.state == cpb.STEP_STATE_FAILED:
            self._journal[(name, seq)] = _Entry(
                done.state, done.attempts, None, done.error.type, done.error.message, None
            )
            raise StepFailedError(name, done.error.type, done.error.message)
        raise _Abandoned(f"ScheduleCall of {name!r} answered a step that is not finished")

    async def sleep(self, name: str, duration: float | timedelta) -> None:
        """Suspends the instance for duration (seconds or a timedelta), durably."""
        seq, entry = self._next(name, cpb.STEP_KIND_SLEEP)
        if entry is not None and entry.state == cpb.STEP_STATE_SUCCEEDED:
            return
        wake_at = (entry.wake_at_us if entry is not None else None) or (
            self._clock() + int(seconds(duration) * 1_000_000)
        )
        await self._sleep(name, seq, wake_at)

    async def sleep_until(self, name: str, when: datetime | float) -> None:
        """Suspends the instance until a time (an aware datetime, or a Unix timestamp)."""
        seq, entry = self._next(name, cpb.STEP_KIND_SLEEP)
        if entry is not None and entry.state == cpb.STEP_STATE_SUCCEEDED:
            return
        ts = when.timestamp() if isinstance(when, datetime) else float(when)
        await self._sleep(name, seq, int(ts * 1_000_000))

    async def _sleep(self, name: str, seq: int, wake_at_us: int) -> None:
        request = wpb.StartSleepRequest(task_token=self._token, name=name, seq=seq)
        request.wake_at.FromMicroseconds(wake_at_us)
        resp = await self._rpc("start_sleep", request)
        if resp.suspended:
            raise _Suspended("sleep")

    async def wait_for_event(
        self, name: str, *, type: str, timeout: float | timedelta = DEFAULT_EVENT_TIMEOUT
    ) -> Event:
        """Waits for an event of a type (sent before or after this call); raises
        EventTimeoutError when none arrives within timeout."""
        seq, entry = self._next(name, cpb.STEP_KIND_WAIT_FOR_EVENT)
        if entry is not None and entry.state == cpb.STEP_STATE_SUCCEEDED:
            return _event(_payload.loads(entry.result or b""))
        if entry is not None and entry.state == cpb.STEP_STATE_FAILED:
            raise EventTimeoutError(entry.error_message)
        timeout_at = (entry.wake_at_us if entry is not None else None) or (
            self._clock() + int(seconds(timeout) * 1_000_000)
        )
        request = wpb.WaitForEventRequest(
            task_token=self._token, name=name, seq=seq, event_type=type
        )
        request.timeout_at.FromMicroseconds(timeout_at)
        resp = await self._rpc("wait_for_event", request)
        if resp.suspended:
            raise _Suspended("event")
        if resp.HasField("error"):
            raise EventTimeoutError(resp.error.message)
        return Event(
            type=resp.event.type,
            payload=_payload.loads(resp.event.payload.data),
            received_at=_payload.to_datetime(resp.event.received_at) or datetime.now(UTC),
        )


def _retry_pb(policy: RetryPolicy) -> wpb.RetryPolicy:
    msg = wpb.RetryPolicy(limit=policy.limit, backoff=_BACKOFF[policy.backoff])
    msg.delay.FromMicroseconds(int(seconds(policy.delay) * 1_000_000))
    if policy.max_delay is not None:
        msg.max_delay.FromMicroseconds(int(seconds(policy.max_delay) * 1_000_000))
    return msg


def _schedule_call_request(
    token: bytes,
    name: str,
    seq: int,
    *,
    task_queue: str,
    step_type: str,
    input: Any,
    policy: RetryPolicy,
    timeout: float | timedelta | None,
    heartbeat_timeout: float | timedelta | None,
) -> wpb.ScheduleCallRequest:
    """The ScheduleCall of step.call, checked here as the server would check it: a refusal
    the server would give is a bug in the workflow, raised where it is made."""
    if not TASK_QUEUE_PATTERN.fullmatch(task_queue):
        raise ValueError(f"task_queue {task_queue!r} must match {TASK_QUEUE_PATTERN.pattern}")
    if not STEP_TYPE_PATTERN.fullmatch(step_type):
        raise ValueError(f"step_type {step_type!r} must match {STEP_TYPE_PATTERN.pattern}")
    data = _payload.dumps(input)
    if len(data) > MAX_PAYLOAD_BYTES:
        raise ValueError(
            f"the input of step {name!r} is {len(data)} bytes; "
            f"the limit is {MAX_PAYLOAD_BYTES} bytes (1 MiB)"
        )
    limit = seconds(timeout) if timeout is not None else DEFAULT_CALL_TIMEOUT
    if not 0 < limit <= MAX_CALL_TIMEOUT:
        raise ValueError(f"timeout must be more than 0 and at most 7 days, not {limit:g} s")
    request = wpb.ScheduleCallRequest(
        task_token=token,
        name=name,
        seq=seq,
        task_queue=task_queue,
        step_type=step_type,
        input=cpb.Payload(data=data),
        retry=_retry_pb(policy),
    )
    if timeout is not None:
        request.timeout.FromMicroseconds(int(limit * 1_000_000))
    if heartbeat_timeout is not None:
        beat = seconds(heartbeat_timeout)
        if not 0 < beat <= limit:
            raise ValueError(
                f"heartbeat_timeout must be more than 0 and at most the timeout ({limit:g} s), "
                f"not {beat:g} s"
            )
        request.heartbeat_timeout.FromMicroseconds(int(beat * 1_000_000))
    return request


def _event(doc: dict[str, Any]) -> Event:
    return Event(
        type=doc["type"],
        payload=doc.get("payload"),
        received_at=datetime.fromtimestamp(doc["received_at"] / 1_000_000, tz=UTC),
    )


async def _invoke(
    info: StepInfo,
    limit: float,
    on_abandon: Callable[[asyncio.Future[Any]], None],
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    """Runs one attempt's body within limit seconds (TimeoutError past it). An async body is
    cancelled at the limit. A sync body runs in a thread: at the limit, or when the run is
    cancelled, its `cancelled` flag is set and, if the thread has not returned, on_abandon
    receives the future that settles when it does."""
    token = _current_step.set(info)
    try:
        if inspect.iscoroutinefunction(fn):
            try:
                return await asyncio.wait_for(fn(*args, **kwargs), limit)
            except (TimeoutError, asyncio.CancelledError):
                info.cancelled.set()  # for threads the body started, if any
                raise
        ctx = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        thread = loop.run_in_executor(None, functools.partial(ctx.run, fn, *args, **kwargs))
        try:
            result = await asyncio.wait_for(asyncio.shield(thread), limit)
        except TimeoutError:
            info.cancelled.set()
            # A body that polls the flag returns within the grace: it is not abandoned.
            await asyncio.wait({thread}, timeout=COOPERATIVE_GRACE_SECONDS)
            if not thread.done():
                on_abandon(thread)
            raise
        except BaseException:
            info.cancelled.set()
            if not thread.done():
                on_abandon(thread)
            raise
        if inspect.isawaitable(result):
            return await asyncio.wait_for(result, max(deadline - loop.time(), 0))
        return result
    finally:
        _current_step.reset(token)
