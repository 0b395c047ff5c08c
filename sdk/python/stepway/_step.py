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
from typing import TYPE_CHECKING, Any, NoReturn

from stepway import _payload, tracing
from stepway._threads import BodyThreads
from stepway.errors import (
    ChildWorkflowFailed,
    FailedPreconditionError,
    InvalidArgumentError,
    ResourceExhaustedError,
    StepwayError,
)
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
    "event", "retry", "call" or "pause", or that the instance ended with its rollback
    ("rolled back", "rollback failed")."""

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
class _Rollback:
    """A succeeded step's rollback, declared by step.do: what runs if the instance rolls
    back."""

    name: str
    seq: int
    fn: Callable[..., Any]
    policy: RetryPolicy
    result: Any


@dataclass
class _Entry:
    state: int
    attempts: int
    result: bytes | None
    error_type: str
    error_message: str
    wake_at_us: int | None
    child_id: str = ""
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
                child_id=e.child_instance_id,
                kind=e.kind,
            )
            for e in journal
            # A step's rollback has the step's name and seq; StartRollback answers its state.
            if e.kind != cpb.STEP_KIND_ROLLBACK
        }
        # The rollbacks of the steps that succeeded in this run (replayed or executed), in
        # the order they returned.
        self._rollbacks: list[_Rollback] = []
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
        rollback: Callable[[Any], Any] | None = None,
        rollback_retries: RetryPolicy | None = None,
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

        `rollback` (sync or async) undoes the step: once the step succeeded, if the instance
        rolls back (the workflow fails uncaught, or calls `step.rollback()`), it runs with the
        step's result as its only argument, as a durable step of its own retried by
        `rollback_retries` (None: the SDK's default, as `retries`). See docs/rollbacks.md.
        """
        seq, entry = self._next(name, cpb.STEP_KIND_DO)
        if entry is not None and entry.state == cpb.STEP_STATE_SUCCEEDED:
            value = _payload.loads(entry.result or b"")
            self._declare(name, seq, rollback, rollback_retries, value)
            return value
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
            value = await self._attempt(span, name, seq, attempt, policy, limit, fn, args, kwargs)
        self._declare(name, seq, rollback, rollback_retries, value)
        return value

    def _declare(
        self,
        name: str,
        seq: int,
        fn: Callable[[Any], Any] | None,
        policy: RetryPolicy | None,
        result: Any,
    ) -> None:
        if fn is not None:
            self._rollbacks.append(_Rollback(name, seq, fn, policy or DEFAULT_RETRIES, result))

    @property
    def has_rollbacks(self) -> bool:
        """Whether a step that succeeded in this run declared a rollback."""
        return bool(self._rollbacks)

    async def rollback(self, reason: str = "") -> NoReturn:
        """Rolls the instance back now and ends the run: the rollbacks of the steps that
        succeeded run, newest first, then the instance ends `errored` with the type
        `RollbackRequested` and `reason` as its message, and its rollback outcome
        (docs/rollbacks.md)."""
        await self._roll_back(
            failure_pb("RollbackRequested", reason or "the workflow asked for a rollback", "")
        )

    async def _roll_back(self, error: cpb.Failure) -> NoReturn:
        """Starts the instance's rollback with the failure that caused it (or finds it
        started, on a replay), runs each rollback not yet done in the order the server
        answers, then ends the instance with FailWorkflow. Always ends the run with
        _Suspended (or _Abandoned when the server refused a write)."""
        request = wpb.StartRollbackRequest(
            task_token=self._token,
            error=error,
            steps=[wpb.StepRef(name=r.name, seq=r.seq) for r in self._rollbacks],
        )
        resp = await self._rpc("start_rollback", request)
        declared = {(r.name, r.seq): r for r in self._rollbacks}
        for entry in resp.rollbacks:
            if entry.state == cpb.STEP_STATE_SUCCEEDED:
                continue
            undo = declared.get((entry.name, entry.seq))
            if undo is None or entry.state == cpb.STEP_STATE_FAILED:
                raise _Abandoned(f"the rollback of {entry.name!r} #{entry.seq} cannot run")
            await self._rollback_attempt(undo, entry.attempts + 1)
        done = wpb.FailWorkflowRequest(task_token=self._token, error=error)
        await self._rpc("fail_workflow", done)
        raise _Suspended("rolled back")

    async def _rollback_attempt(self, undo: _Rollback, attempt: int) -> None:
        """One attempt of a step's rollback: runs it with the step's result and records its
        outcome; a failure ends the run (retry later, or the rollback failed for good)."""
        name, seq = undo.name, undo.seq
        key = (self._workflow, self._instance_id, name, -seq)
        await self._threads.wait_for(key)
        started = self._clock()
        info = StepInfo(name, attempt, self._instance_id, self._workflow)
        start = wpb.StartStepRequest(
            task_token=self._token, name=name, seq=seq, attempt=attempt, rollback=True
        )
        task = asyncio.ensure_future(self._outbox.send("start_step", start))
        self._starts.add(task)
        task.add_done_callback(self._start_sent)

        def on_abandon(done: asyncio.Future[Any]) -> None:
            self._threads.abandon(key, attempt, done)

        attributes = self._span_attributes(name, seq, attempt, "rollback")
        with tracing.span(f"stepway.rollback {name}", None, attributes) as span:
            try:
                value = await _invoke(
                    info, DEFAULT_STEP_TIMEOUT, on_abandon, undo.fn, (undo.result,), {}
                )
            except Exception as exc:
                span.set_attribute("stepway.outcome", "failed")
                tracing.fail(span, exc)
                failed = wpb.FailStepRequest(
                    task_token=self._token,
                    name=name,
                    seq=seq,
                    attempt=attempt,
                    error=failure_pb(type(exc).__name__, str(exc), traceback.format_exc()),
                    retry=_retry_pb(undo.policy),
                    non_retryable=isinstance(exc, NonRetryableError),
                    rollback=True,
                )
                failed.started_at.FromMicroseconds(started)
                resp = await self._rpc("fail_step", failed)
                if resp.HasField("exhausted"):
                    raise _Suspended("rollback failed") from None
                raise _Suspended("pause" if resp.task_ended else "retry") from None
            try:
                data = _payload.dumps(value)
            except (TypeError, ValueError):
                data = b"null"  # a rollback's result is kept for show only
            if len(data) > MAX_PAYLOAD_BYTES:
                data = b"null"
            request = wpb.CompleteStepRequest(
                task_token=self._token,
                name=name,
                seq=seq,
                attempt=attempt,
                result=cpb.Payload(data=data),
                rollback=True,
            )
            request.started_at.FromMicroseconds(started)
            resp = await self._rpc("complete_step", request)
            span.set_attribute("stepway.outcome", "succeeded")
            if resp.task_ended:
                raise _Suspended("pause")

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

    async def run_workflow(
        self,
        name: str,
        params: Any = None,
        *,
        id: str | None = None,
        task_queue: str | None = None,
        parent_close: str | None = None,
        step_name: str | None = None,
    ) -> Any:
        """Starts a child instance of the workflow `name` with `params` and returns its output.

        The start is a step (named `step_name`, by default "child:<name>"): one child per
        step, whatever crashes and replays happen. The child's id is `id`, or one derived
        from this instance and the step. The instance waits for the child, holding no worker.
        Raises ChildWorkflowFailed when the child errors, is terminated or cannot start.
        `parent_close` ("terminate", the default, or "abandon") says what happens to the
        child if this instance ends first.
        """
        label = step_name or f"child:{name}"
        seq, entry = self._next(label, cpb.STEP_KIND_CHILD)
        if entry is None or entry.state not in (cpb.STEP_STATE_SUCCEEDED, cpb.STEP_STATE_FAILED):
            resp = await self._start_child(label, seq, name, params, id, task_queue, parent_close)
            if resp.suspended:
                raise _Suspended("child")  # the instance waits; a later task has the outcome
            done = resp.step
            entry = _Entry(
                done.state,
                done.attempts,
                done.result.data if done.HasField("result") else None,
                done.error.type,
                done.error.message,
                None,
                done.child_instance_id or resp.instance_id,
            )
            self._journal[(label, seq)] = entry
        if entry.state == cpb.STEP_STATE_SUCCEEDED:
            return _payload.loads(entry.result or b"null")
        status, _, rest = entry.error_message.partition(": ")
        error_type, _, message = rest.partition(": ")
        raise ChildWorkflowFailed(label, name, entry.child_id, status, error_type, message)

    async def start_workflow(
        self,
        name: str,
        params: Any = None,
        *,
        id: str | None = None,
        task_queue: str | None = None,
        parent_close: str | None = None,
        step_name: str | None = None,
    ) -> str:
        """Starts a child instance of the workflow `name` without waiting for it; returns its
        instance id. One child per step, as for run_workflow; `parent_close` defaults to
        "abandon" (the child runs on when this instance ends)."""
        label = step_name or f"child:{name}"
        seq, entry = self._next(label, cpb.STEP_KIND_CHILD)
        if entry is not None and entry.state == cpb.STEP_STATE_SUCCEEDED:
            return str(_payload.loads(entry.result or b"{}")["instance_id"])
        resp = await self._start_child(
            label, seq, name, params, id, task_queue, parent_close, wait=False
        )
        if resp.suspended:
            raise _Suspended("pause")  # a pause took effect with this write
        return resp.instance_id or resp.step.child_instance_id

    async def _start_child(
        self,
        label: str,
        seq: int,
        workflow: str,
        params: Any,
        instance_id: str | None,
        task_queue: str | None,
        parent_close: str | None,
        wait: bool = True,
    ) -> wpb.StartChildResponse:
        if parent_close not in _PARENT_CLOSE:
            raise ValueError(f"parent_close must be 'terminate' or 'abandon', not {parent_close!r}")
        for field, value in (("id", instance_id), ("task_queue", task_queue), ("name", workflow)):
            if value is not None and not TASK_QUEUE_PATTERN.fullmatch(value):
                raise ValueError(f"{field} {value!r} must match {TASK_QUEUE_PATTERN.pattern}")
        data = _payload.dumps(params)
        if len(data) > MAX_PAYLOAD_BYTES:
            raise ValueError(
                f"the params of child {workflow!r} are {len(data)} bytes; "
                f"the limit is {MAX_PAYLOAD_BYTES} bytes (1 MiB)"
            )
        request = wpb.StartChildRequest(
            task_token=self._token,
            name=label,
            seq=seq,
            workflow=workflow,
            instance_id=instance_id or "",
            params=cpb.Payload(data=data),
            task_queue=task_queue or "",
            parent_close=_PARENT_CLOSE[parent_close],
            wait=wait,
            trace_parent=tracing.current_traceparent() or "",
        )
        try:
            resp: wpb.StartChildResponse = await self._outbox.send("start_child", request)
        except (InvalidArgumentError, FailedPreconditionError, ResourceExhaustedError):
            # The depth limit, the children quota, bad params: raised in the workflow.
            raise
        except StepwayError as exc:
            raise _Abandoned(str(exc)) from exc
        return resp

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


_PARENT_CLOSE = {
    None: cpb.PARENT_CLOSE_POLICY_UNSPECIFIED,
    "terminate": cpb.PARENT_CLOSE_POLICY_TERMINATE,
    "abandon": cpb.PARENT_CLOSE_POLICY_ABANDON,
}


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
