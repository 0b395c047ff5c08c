"""CALL steps: steps served by step workers on step task queues, as pure functions.

A workflow run asks for a call (ScheduleCall): the step is journaled PENDING, a step task is
put on its (account, task queue), and the instance waits, holding no worker. A step worker in
any language takes the task (PollStepTasks), which starts an attempt under a lease, and ends it
with CompleteStepTask or FailStepTask. The shard, not the step worker, owns the call's policy:
it times an attempt out after `timeout` (StepTimeout) or when a heartbeat is missed
(HeartbeatTimeout), schedules the next attempt by the stored RetryPolicy, and once the call
succeeds or fails for good journals the outcome and queues the instance again.

Like shards.core.machine, every function here takes rows as read in the current transaction and
returns what to write; nothing here does I/O. A change to a step task comes with a Transition
of its instance (history entries, the journal entry, the instance queued again), written by
the engine in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from shards.core.machine import check_kind, check_lease, settle_pause
from shards.core.model import (
    FINAL,
    Backoff,
    Failure,
    HistoryEntry,
    HistoryKind,
    Instance,
    RetryPolicy,
    Status,
    Step,
    StepKind,
    StepState,
    Transition,
)
from shards.core.rollbacks import check_not_rolling_back
from shards.errors import FailedPrecondition, LeaseLost

StepKey = tuple[int, str, str, int]
"""(partition, uid, name, seq) of a CALL step and its task."""

# An attempt's timeout when the call sets none, and the longest one allowed.
DEFAULT_TIMEOUT_US = 300 * 1_000_000
MAX_TIMEOUT_US = 7 * 86_400 * 1_000_000


class TaskState(StrEnum):
    READY = "ready"
    RUNNING = "running"
    BACKOFF = "backoff"


@dataclass(frozen=True)
class CallSpec:
    """What a workflow asked for: where the call goes, its input, retries and timeouts."""

    task_queue: str
    step_type: str
    input: bytes
    policy: RetryPolicy
    timeout_us: int = DEFAULT_TIMEOUT_US
    heartbeat_timeout_us: int | None = None
    # The W3C traceparent of the run that asked for the call, when it was traced (else the
    # task takes the instance's).
    trace_parent: str | None = None


@dataclass(frozen=True)
class StepTask:
    """The task of a CALL step not finished yet, as its row holds it."""

    partition: int
    uid: str
    name: str
    seq: int
    account_id: str
    task_queue: str
    step_type: str
    input: bytes
    attempt: int
    state: TaskState
    scheduled_at: int
    retry_limit: int
    retry_delay_us: int
    retry_backoff: Backoff
    timeout_us: int
    retry_max_delay_us: int | None = None
    heartbeat_timeout_us: int | None = None
    ready_at: int | None = None
    due_at: int | None = None
    lease_token: int | None = None
    lease_worker: str | None = None
    attempt_started_at: int | None = None
    details: bytes | None = None
    trace_parent: str | None = None

    @property
    def key(self) -> StepKey:
        return (self.partition, self.uid, self.name, self.seq)

    @property
    def instance_key(self) -> tuple[int, str]:
        return (self.partition, self.uid)

    @property
    def policy(self) -> RetryPolicy:
        return RetryPolicy(
            self.retry_limit, self.retry_delay_us, self.retry_backoff, self.retry_max_delay_us
        )


@dataclass
class CallChange:
    """What a command does to a call: the instance's transition, and the step task as it must
    be written (None: deleted, the call is over)."""

    transition: Transition
    task: StepTask | None
    # The task is new (inserted, not updated).
    created: bool = False
    # Put the task on its step task queue after the commit.
    ready: bool = False
    # The task's due time the engine's timer must now consider.
    due_at: int | None = None
    # An attempt failed with this change (counted in the step attempt metrics).
    attempt_failed: bool = False


def _attempt_due(task: StepTask, now: int) -> int:
    """When a running attempt times out: its timeout, or the heartbeat deadline if sooner."""
    started = task.attempt_started_at if task.attempt_started_at is not None else now
    due = started + task.timeout_us
    if task.heartbeat_timeout_us is not None:
        due = min(due, now + task.heartbeat_timeout_us)
    return due


def check_task_lease(task: StepTask | None, lease: int) -> StepTask:
    """The running task this lease names; LeaseLost when the attempt is over."""
    if task is None:
        raise LeaseLost("the call is over: it finished, or its instance ended or restarted")
    if task.state is not TaskState.RUNNING or task.lease_token != lease:
        raise LeaseLost(
            f"attempt timed out or was given back; the call is at attempt {task.attempt} "
            f"({task.state})"
        )
    return task


def schedule(
    inst: Instance,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    spec: CallSpec,
    now: int,
) -> CallChange:
    """A workflow run asks for a call: its task is queued and the instance waits for it.

    A call already finished answers nothing new (the worker reads its entry); one already
    scheduled and still pending suspends the instance on it again without a second task.
    """
    check_lease(inst, lease)
    check_not_rolling_back(inst, "a call")
    check_kind(existing, StepKind.CALL)
    if existing is not None and existing.state is not StepState.PENDING:
        return CallChange(Transition(inst), None)
    waiting = replace(
        inst,
        status=Status.WAITING,
        due_at=None,
        lease_token=None,
        lease_worker=None,
        current_step=name,
    )
    if existing is not None:
        tr = Transition(waiting)
        return CallChange(settle_pause(inst, tr, now), None)
    step = Step(name, seq, StepKind.CALL, StepState.PENDING, started_at=now)
    task = StepTask(
        partition=inst.partition,
        uid=inst.uid,
        name=name,
        seq=seq,
        account_id=inst.account_id,
        task_queue=spec.task_queue,
        step_type=spec.step_type,
        input=spec.input,
        attempt=1,
        state=TaskState.READY,
        scheduled_at=now,
        ready_at=now,
        retry_limit=spec.policy.limit,
        retry_delay_us=spec.policy.delay_us,
        retry_backoff=spec.policy.backoff,
        retry_max_delay_us=spec.policy.max_delay_us,
        timeout_us=spec.timeout_us,
        heartbeat_timeout_us=spec.heartbeat_timeout_us,
        trace_parent=spec.trace_parent or inst.trace_parent,
    )
    detail = {"task_queue": spec.task_queue, "step_type": spec.step_type}
    history = [HistoryEntry(HistoryKind.CALL_SCHEDULED, now, name, seq, 1, detail)]
    tr = settle_pause(inst, Transition(waiting, steps=[step], history=history), now)
    return CallChange(tr, task, created=True, ready=True)


def claim(inst: Instance, task: StepTask, worker: str, lease: int, now: int) -> CallChange:
    """A step worker takes a ready task: the attempt starts under a new lease."""
    if task.state is not TaskState.READY:
        raise FailedPrecondition(f"step task is {task.state}, not ready")
    running = replace(
        task,
        state=TaskState.RUNNING,
        ready_at=None,
        lease_token=lease,
        lease_worker=worker,
        attempt_started_at=now,
    )
    running = replace(running, due_at=_attempt_due(running, now))
    history = [
        HistoryEntry(
            HistoryKind.STEP_ATTEMPT_STARTED,
            now,
            task.name,
            task.seq,
            task.attempt,
            {"worker": worker},
        )
    ]
    return CallChange(Transition(inst, history=history), running, due_at=running.due_at)


def heartbeat(
    inst: Instance, task: StepTask | None, lease: int, details: bytes | None, now: int
) -> CallChange:
    """A step worker reports progress: the heartbeat deadline moves on (never earlier, so the
    timer need not hear of it); the instance does not change."""
    running = check_task_lease(task, lease)
    if details is not None:
        running = replace(running, details=details)
    return CallChange(Transition(inst), replace(running, due_at=_attempt_due(running, now)))


def release(inst: Instance, task: StepTask | None, lease: int, now: int) -> CallChange:
    """A step worker gives a task back before working on it (a gateway handing back tasks a
    worker did not ask for): the same attempt goes back on the queue."""
    running = check_task_lease(task, lease)
    ready = replace(
        running,
        state=TaskState.READY,
        ready_at=now,
        due_at=None,
        lease_token=None,
        lease_worker=None,
        attempt_started_at=None,
    )
    history = [
        HistoryEntry(
            HistoryKind.TASK_RELEASED,
            now,
            running.name,
            running.seq,
            running.attempt,
            {"worker": running.lease_worker, "reason": "given back by the step worker"},
        )
    ]
    return CallChange(Transition(inst, history=history), ready, ready=True)


def _settled(inst: Instance, step: Step, history: list[HistoryEntry], now: int) -> Transition:
    """The call is over: its step is journaled, and an instance waiting for it is queued."""
    if inst.status is Status.WAITING and inst.current_step == step.name:
        history.append(HistoryEntry(HistoryKind.QUEUED, now))
        queued = replace(
            inst,
            status=Status.QUEUED,
            ready_at=now,
            due_at=None,
            lease_token=None,
            lease_worker=None,
        )
        return Transition(queued, steps=[step], history=history, dispatch=True)
    # Paused meanwhile: resume finds the step done and queues the instance.
    return Transition(inst, steps=[step], history=history)


def complete(
    inst: Instance, step: Step, task: StepTask | None, *, lease: int, result: bytes, now: int
) -> CallChange:
    """The attempt succeeded: the call step succeeds with the result."""
    running = check_task_lease(task, lease)
    _check_live(inst)
    done = replace(
        step,
        state=StepState.SUCCEEDED,
        attempts=running.attempt,
        result=result,
        error_type=None,
        error_message=None,
        wake_at=None,
        ended_at=now,
    )
    history = [HistoryEntry(HistoryKind.STEP_SUCCEEDED, now, step.name, step.seq, running.attempt)]
    return CallChange(_settled(inst, done, history, now), None)


def fail(
    inst: Instance,
    step: Step,
    task: StepTask | None,
    *,
    lease: int,
    error: Failure,
    non_retryable: bool,
    now: int,
) -> CallChange:
    """The attempt failed: the next attempt is scheduled by the call's policy, or the call
    step fails for good."""
    running = check_task_lease(task, lease)
    _check_live(inst)
    return _attempt_failed(inst, step, running, error, non_retryable, now)


def _check_live(inst: Instance) -> None:
    if inst.status in FINAL:
        raise LeaseLost(f"instance is {inst.status}")


def _attempt_failed(
    inst: Instance,
    step: Step,
    task: StepTask,
    error: Failure,
    non_retryable: bool,
    now: int,
) -> CallChange:
    attempt = task.attempt
    failed = {"error_type": error.type, "error_message": error.message}
    history = [
        HistoryEntry(
            HistoryKind.STEP_ATTEMPT_FAILED, now, step.name, step.seq, attempt, dict(failed)
        )
    ]
    marked = replace(step, attempts=attempt, error_type=error.type, error_message=error.message)
    policy = task.policy
    if non_retryable or attempt > policy.limit:
        reason = "non-retryable error" if non_retryable else f"{policy.limit} retries used"
        history.append(
            HistoryEntry(
                HistoryKind.STEP_FAILED,
                now,
                step.name,
                step.seq,
                attempt,
                {**failed, "reason": reason},
            )
        )
        done = replace(marked, state=StepState.FAILED, wake_at=None, ended_at=now)
        return CallChange(_settled(inst, done, history, now), None, attempt_failed=True)
    retry_at = now + policy.delay_after(attempt)
    history.append(
        HistoryEntry(
            HistoryKind.STEP_RETRY_SCHEDULED,
            now,
            step.name,
            step.seq,
            attempt + 1,
            {"retry_at": retry_at},
        )
    )
    cleared = replace(
        task,
        attempt=attempt + 1,
        lease_token=None,
        lease_worker=None,
        attempt_started_at=None,
    )
    if retry_at <= now:
        history.append(
            HistoryEntry(HistoryKind.STEP_RETRY_DUE, now, step.name, step.seq, attempt + 1)
        )
        nxt = replace(cleared, state=TaskState.READY, ready_at=now, due_at=None)
        tr = Transition(inst, steps=[replace(marked, wake_at=None)], history=history)
        return CallChange(tr, nxt, ready=True, attempt_failed=True)
    nxt = replace(cleared, state=TaskState.BACKOFF, ready_at=None, due_at=retry_at)
    tr = Transition(inst, steps=[replace(marked, wake_at=retry_at)], history=history)
    return CallChange(tr, nxt, due_at=retry_at, attempt_failed=True)


def fire_due(inst: Instance, step: Step | None, task: StepTask, now: int) -> CallChange | None:
    """The timer reached a task's due time: a retry is due, or a running attempt timed out."""
    if task.due_at is None or task.due_at > now:
        return None
    if step is None or step.state is not StepState.PENDING or inst.status in FINAL:
        # Left over from a call that is over: nothing waits for it.
        return CallChange(Transition(inst), None)
    if task.state is TaskState.BACKOFF:
        history = [HistoryEntry(HistoryKind.STEP_RETRY_DUE, now, step.name, step.seq, task.attempt)]
        ready = replace(task, state=TaskState.READY, ready_at=now, due_at=None)
        return CallChange(Transition(inst, history=history), ready, ready=True)
    if task.state is not TaskState.RUNNING:
        return CallChange(Transition(inst), replace(task, due_at=None))
    started = task.attempt_started_at or now
    if now >= started + task.timeout_us:
        error = Failure(
            "StepTimeout",
            f"attempt {task.attempt} of step {step.name!r} ran past its timeout of "
            f"{task.timeout_us / 1_000_000:g} s (on step worker {task.lease_worker})",
        )
    else:
        hb = (task.heartbeat_timeout_us or 0) / 1_000_000
        error = Failure(
            "HeartbeatTimeout",
            f"attempt {task.attempt} of step {step.name!r} sent no heartbeat for {hb:g} s "
            f"(step worker {task.lease_worker} lost or stuck)",
        )
    return _attempt_failed(inst, step, task, error, False, now)
