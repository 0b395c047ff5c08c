"""The values the shard's rules work on: an instance, its journal entries, its history, and the
Transition a command produces. Plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NamedTuple


class Status(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    WAITING = "waiting"
    WAITING_FOR_PAUSE = "waitingForPause"
    ERRORED = "errored"
    TERMINATED = "terminated"
    COMPLETE = "complete"


FINAL = frozenset({Status.ERRORED, Status.TERMINATED, Status.COMPLETE})
# Statuses in which a worker holds the instance's task under a lease.
LEASED = frozenset({Status.RUNNING, Status.WAITING_FOR_PAUSE})


class StepKind(StrEnum):
    DO = "do"
    SLEEP = "sleep"
    WAIT_FOR_EVENT = "wait_for_event"
    CALL = "call"
    # The rollback of the DO step of the same name, journaled under seq -seq
    # (shards.core.rollbacks).
    ROLLBACK = "rollback"
    CHILD = "child"


class RollbackOutcome(StrEnum):
    """How an instance's rollback went (shards.core.rollbacks)."""

    ROLLING_BACK = "rolling_back"
    ROLLED_BACK = "rolled_back"
    ROLLBACK_FAILED = "rollback_failed"


class StepState(StrEnum):
    PENDING = "pending"
    # A DO step's attempt runs on a worker (start_step recorded it): not finished, and not
    # what the instance is suspended on.
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Backoff(StrEnum):
    CONSTANT = "constant"
    LINEAR = "linear"
    EXPONENTIAL = "exponential"


class Lease(NamedTuple):
    """What a heartbeat reads of an instance: its account, status and current task lease (the
    columns a lease check needs, read for many instances at once without the rest)."""

    account_id: str
    status: Status
    lease_token: int | None


@dataclass(frozen=True)
class Instance:
    """The state of one instance, as its row holds it."""

    partition: int
    uid: str
    account_id: str
    workflow: str
    instance_id: str
    task_queue: str
    status: Status
    created_at: int
    started_at: int | None = None
    ended_at: int | None = None
    ready_at: int | None = None
    due_at: int | None = None
    lease_token: int | None = None
    lease_worker: str | None = None
    current_step: str | None = None
    history_seq: int = 0
    dispatches: int = 0
    output: bytes | None = None
    error_type: str | None = None
    error_message: str | None = None
    error_details: str | None = None
    # How long the instance is kept once it completes, and once it ends errored or terminated
    # (None: retention_us); when it will be purged (shards.core.retention.at_end).
    retention_us: int = 30 * 86_400_000_000
    error_retention_us: int | None = None
    expires_at: int | None = None
    # The W3C traceparent of the call that created the instance, when it was traced.
    trace_parent: str | None = None
    # Bytes of its recorded state: params, step results and failures, events received.
    state_bytes: int = 0
    # Its rollback, once it started one (shards.core.rollbacks); when a step's rollback
    # failed for good, that step and the error of its last attempt.
    rollback: RollbackOutcome | None = None
    rollback_step: str | None = None
    rollback_step_seq: int | None = None
    rollback_error_type: str | None = None
    rollback_error_message: str | None = None
    # A child workflow's parent, as JSON (shards.core.children.ParentRef); None for others.
    parent: str | None = None
    # Children this instance started.
    children: int = 0
    # The build of worker code it runs on ("" unversioned); None until its first task is
    # handed out (shards.core.versions).
    build_id: str | None = None
    # The non-determinism that blocks it, as JSON (shards.core.versions); None when not blocked.
    blocked: str | None = None


@dataclass(frozen=True)
class Step:
    """One journal entry: a step identified by name and occurrence."""

    name: str
    seq: int
    kind: StepKind
    state: StepState
    started_at: int
    attempts: int = 0
    result: bytes | None = None
    error_type: str | None = None
    error_message: str | None = None
    wake_at: int | None = None
    event_type: str | None = None
    ended_at: int | None = None
    # While RUNNING: when attempt attempts + 1 started (the shard's time), and under which
    # task lease, so that the same start sent twice is recorded once.
    attempt_started_at: int | None = None
    attempt_lease: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name}#{self.seq}"


class HistoryKind(StrEnum):
    """What a history entry records (docs/architecture.md lists them)."""

    CREATED = "created"
    QUEUED = "queued"
    STARTED = "started"
    RESUMED_ON_WORKER = "resumed_on_worker"
    STEP_ATTEMPT_STARTED = "step_attempt_started"
    STEP_ATTEMPT_FAILED = "step_attempt_failed"
    STEP_RETRY_SCHEDULED = "step_retry_scheduled"
    STEP_RETRY_DUE = "step_retry_due"
    STEP_SUCCEEDED = "step_succeeded"
    STEP_FAILED = "step_failed"
    CALL_SCHEDULED = "call_scheduled"
    CHILD_STARTED = "child_started"
    CHILD_ENDED = "child_ended"
    SLEEPING = "sleeping"
    WOKE = "woke"
    WAITING_FOR_EVENT = "waiting_for_event"
    EVENT_RECEIVED = "event_received"
    EVENT_TAKEN = "event_taken"
    EVENT_WAIT_TIMED_OUT = "event_wait_timed_out"
    LEASE_EXPIRED = "lease_expired"
    TASK_RELEASED = "task_released"
    PAUSE_REQUESTED = "pause_requested"
    PAUSED = "paused"
    RESUMED = "resumed"
    TERMINATED = "terminated"
    RESTARTED = "restarted"
    COMPLETED = "completed"
    ERRORED = "errored"
    ROLLBACK_STARTED = "rollback_started"
    ROLLBACK_ATTEMPT_STARTED = "rollback_attempt_started"
    ROLLBACK_SUCCEEDED = "rollback_succeeded"
    ROLLBACK_ATTEMPT_FAILED = "rollback_attempt_failed"
    ROLLBACK_RETRY_SCHEDULED = "rollback_retry_scheduled"
    ROLLBACK_RETRY_DUE = "rollback_retry_due"
    ROLLBACK_FAILED = "rollback_failed"
    NON_DETERMINISM = "non_determinism"
    BUILD_MOVED = "build_moved"


@dataclass(frozen=True)
class HistoryEntry:
    kind: str
    at: int
    step_name: str | None = None
    step_seq: int | None = None
    attempt: int | None = None
    detail: dict[str, Any] | None = None


# The longest delay between two attempts of a step. A policy's delay or max_delay past it is
# refused at the edge, and a delay growing by backoff stops at it: however many attempts a step
# has used, its next one is due within a day, and retry times stay far inside what a timestamp
# and a 64-bit column hold (2 ** 2000 microseconds is neither).
MAX_RETRY_DELAY_US = 24 * 3600 * 1_000_000


@dataclass(frozen=True)
class RetryPolicy:
    """Retries after the first attempt, with delays in microseconds."""

    limit: int
    delay_us: int
    backoff: Backoff = Backoff.EXPONENTIAL
    max_delay_us: int | None = None

    def delay_after(self, attempt: int) -> int:
        """Delay before the retry that follows failed attempt number `attempt` (from 1): at
        most max_delay_us and MAX_RETRY_DELAY_US, computed without growing past them."""
        cap = MAX_RETRY_DELAY_US if self.max_delay_us is None else self.max_delay_us
        cap = max(0, min(cap, MAX_RETRY_DELAY_US))
        base = max(0, min(self.delay_us, cap))
        steps = max(attempt, 1)
        if self.backoff is Backoff.CONSTANT or base == 0:
            return base
        if self.backoff is Backoff.LINEAR:
            return cap if steps > cap // base else base * steps
        # Doubling base more than cap's bit length times passes cap.
        if steps - 1 >= cap.bit_length():
            return cap
        return min(base << (steps - 1), cap)


@dataclass(frozen=True)
class Failure:
    type: str
    message: str
    details: str = ""


@dataclass
class Transition:
    """What a command does: the new instance, steps to write, history to append, effects."""

    instance: Instance
    steps: list[Step] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    # Put the instance on its task queue after the commit.
    dispatch: bool = False
    # Wake clients waiting for the result after the commit.
    finished: bool = False
    # Id of a buffered event the transition consumed.
    consumed_event: str | None = None
    # A time the engine's timer must now consider.
    due_at: int | None = None
    # The worker's task ended with this write (a pause took effect): it must start no new step.
    task_ended: bool = False
    # (name, seq) of journal entries to delete: a restart runs them again.
    dropped_steps: list[tuple[str, int]] = field(default_factory=list)
    # The instance's state_bytes already count this transition (count_state).
    state_counted: bool = False
    # The instance ended with this write: the tasks of its CALL steps go with it, since nothing
    # waits for them any more.
    drops_step_tasks: bool = False

    def moves_due_only(self, old: Instance) -> bool:
        """Whether all the transition writes is the instance's due time (a lease renewed from
        a heartbeat heard, a due time cleared): no other column, no step, no history, and
        nothing to do after the commit."""
        return not (
            self.steps
            or self.history
            or self.dispatch
            or self.finished
            or self.consumed_event
            or self.due_at is not None
            or self.task_ended
            or self.dropped_steps
            or self.drops_step_tasks
        ) and self.instance == replace(old, due_at=self.instance.due_at)


# A DO step not finished: waiting for its first attempt or a retry, or running one.
UNFINISHED = frozenset({StepState.PENDING, StepState.RUNNING})
