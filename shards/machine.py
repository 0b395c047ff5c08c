"""The instance state machine: what each command does to an instance, as pure functions.

Every function takes the instance (and the step it concerns) as read in the current transaction
and returns a Transition, or raises a domain error before anything is written. The engine
(shards.engine) reads, calls one of these, and writes the Transition in the same transaction; the
in-memory effects (dispatch, wake waiters) run after the commit. Nothing here does I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from shards.errors import FailedPrecondition, LeaseLost


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
    # How long the instance is kept once finished, and when it will be purged.
    retention_us: int = 30 * 86_400_000_000
    expires_at: int | None = None
    # The W3C traceparent of the call that created the instance, when it was traced.
    trace_parent: str | None = None
    # Bytes of its recorded state: params, step results and failures, events received.
    state_bytes: int = 0


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


def _ended(inst: Instance) -> bool:
    return inst.status in FINAL


def create(inst: Instance, now: int) -> Transition:
    """A new instance: queued for dispatch."""
    new = replace(inst, status=Status.QUEUED, ready_at=now)
    return Transition(
        new, history=[HistoryEntry("created", now), HistoryEntry("queued", now)], dispatch=True
    )


def claim(inst: Instance, worker: str, lease: int, now: int, lease_timeout_us: int) -> Transition:
    """A worker takes the instance's workflow task."""
    if inst.status is not Status.QUEUED:
        raise FailedPrecondition(f"instance is {inst.status}, not queued")
    due = now + lease_timeout_us
    new = replace(
        inst,
        status=Status.RUNNING,
        started_at=inst.started_at or now,
        ready_at=None,
        due_at=due,
        lease_token=lease,
        lease_worker=worker,
        dispatches=inst.dispatches + 1,
    )
    kind = "started" if inst.dispatches == 0 else "resumed_on_worker"
    return Transition(new, history=[HistoryEntry(kind, now, detail={"worker": worker})], due_at=due)


def check_lease(inst: Instance, lease: int) -> None:
    """Raises LeaseLost unless the instance runs under this lease."""
    if inst.lease_token != lease or inst.status not in LEASED:
        if _ended(inst) or inst.status is Status.PAUSED:
            raise LeaseLost(f"instance is {inst.status}")
        raise LeaseLost(
            "the task was dispatched again after its lease expired or was released, "
            "or the instance was restarted"
        )


def _check_kind(existing: Step | None, kind: StepKind) -> None:
    """A step's name and occurrence name the same kind of step on every replay."""
    if existing is not None and existing.kind is not kind:
        raise FailedPrecondition(
            f"step {existing.name!r} #{existing.seq} is recorded as a {existing.kind} step, "
            f"not a {kind} step: the workflow's code changed under a running instance"
        )


def _renew(inst: Instance, now: int, lease_timeout_us: int, **changes: Any) -> Instance:
    return replace(inst, due_at=now + lease_timeout_us, **changes)


# A DO step not finished: waiting for its first attempt or a retry, or running one.
UNFINISHED = frozenset({StepState.PENDING, StepState.RUNNING})


def start_step(
    inst: Instance,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    attempt: int,
    now: int,
) -> Transition:
    """A worker starts an attempt of a DO step: the step shows as RUNNING, and the history
    records the start at the shard's time, so entries stay in time order however long the
    attempt runs. A start that comes late (its attempt was already reported, or the step is
    finished) or twice under the same lease changes nothing: starts travel batched, and a
    fast attempt's report may overtake its start. A start is no report: under
    waitingForPause it leaves the pause waiting for the attempt's report."""
    check_lease(inst, lease)
    _check_kind(existing, StepKind.DO)
    done = existing.attempts if existing is not None else 0
    late = attempt != done + 1 or (existing is not None and existing.state not in UNFINISHED)
    again = (
        existing is not None
        and existing.state is StepState.RUNNING
        and existing.attempt_lease == lease
    )
    if late or again:
        return Transition(inst)
    step = Step(
        name=name,
        seq=seq,
        kind=StepKind.DO,
        state=StepState.RUNNING,
        started_at=existing.started_at if existing else now,
        attempts=done,
        error_type=existing.error_type if existing else None,
        error_message=existing.error_message if existing else None,
        attempt_started_at=now,
        attempt_lease=lease,
    )
    history = [HistoryEntry("step_attempt_started", now, name, seq, attempt)]
    # Not a renewal of the lease: only the step now running is shown.
    return Transition(replace(inst, current_step=name), steps=[step], history=history)


def _unrecorded_start(
    existing: Step | None,
    lease: int,
    name: str,
    seq: int,
    attempt: int,
    started_at: int,
    now: int,
) -> list[HistoryEntry]:
    """The start a report of an attempt records when start_step did not (a worker that does
    not send starts, or a start overtaken by its report). It is stamped with the shard's time,
    as every entry is, so history times never go backwards; the worker's start time stays in
    the detail."""
    if (
        existing is not None
        and existing.state is StepState.RUNNING
        and existing.attempt_lease == lease
        and existing.attempts + 1 == attempt
    ):
        return []
    detail = {"started_at": started_at}
    return [HistoryEntry("step_attempt_started", now, name, seq, attempt, detail)]


def event_seq(inst: Instance) -> int:
    """The place of an event arriving now among the instance's events: the seq of the
    history entry that records its receipt, so buffered events are taken in the order they
    arrived even within one microsecond."""
    return inst.history_seq + 1


def complete_step(
    inst: Instance,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    attempt: int,
    result: bytes,
    started_at: int,
    now: int,
    lease_timeout_us: int,
) -> Transition:
    """Records a step's result; a result already recorded never changes. The same attempt
    reported again with the same result is already recorded (an idempotent retry); with
    another result it is refused: two reports of one attempt disagree, and only one counts."""
    check_lease(inst, lease)
    _check_kind(existing, StepKind.DO)
    if existing is not None and existing.state not in UNFINISHED:
        if existing.state is StepState.SUCCEEDED and existing.attempts == attempt:
            if existing.result != result:
                raise FailedPrecondition(
                    f"step {name!r} #{seq} attempt {attempt} is already recorded with another "
                    "result; a recorded result never changes"
                )
            return Transition(inst)  # the same report again: already recorded
        raise FailedPrecondition(f"step {name!r} #{seq} is already {existing.state}")
    step = Step(
        name=name,
        seq=seq,
        kind=StepKind.DO,
        state=StepState.SUCCEEDED,
        started_at=existing.started_at if existing else started_at,
        attempts=attempt,
        result=result,
        ended_at=now,
    )
    history = [
        *_unrecorded_start(existing, lease, name, seq, attempt, started_at, now),
        HistoryEntry("step_succeeded", now, name, seq, attempt),
    ]
    tr = Transition(
        _renew(inst, now, lease_timeout_us, current_step=name), steps=[step], history=history
    )
    return _settle_pause(inst, tr, now)


def fail_step(
    inst: Instance,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    attempt: int,
    error: Failure,
    policy: RetryPolicy,
    non_retryable: bool,
    started_at: int,
    now: int,
    lease_timeout_us: int,
) -> Transition:
    """Records a failed attempt; suspends the instance until the retry, or fails the step."""
    check_lease(inst, lease)
    _check_kind(existing, StepKind.DO)
    if existing is not None and existing.state not in UNFINISHED:
        raise FailedPrecondition(f"step {name!r} #{seq} is already {existing.state}")
    base = Step(
        name=name,
        seq=seq,
        kind=StepKind.DO,
        state=StepState.PENDING,
        started_at=existing.started_at if existing else started_at,
        attempts=attempt,
        error_type=error.type,
        error_message=error.message,
    )
    failed = {"error_type": error.type, "error_message": error.message}
    history = [
        *_unrecorded_start(existing, lease, name, seq, attempt, started_at, now),
        HistoryEntry("step_attempt_failed", now, name, seq, attempt, dict(failed)),
    ]
    if non_retryable or attempt > policy.limit:
        reason = "non-retryable error" if non_retryable else f"{policy.limit} retries used"
        history.append(
            HistoryEntry("step_failed", now, name, seq, attempt, {**failed, "reason": reason})
        )
        step = replace(base, state=StepState.FAILED, ended_at=now)
        tr = Transition(
            _renew(inst, now, lease_timeout_us, current_step=name), steps=[step], history=history
        )
        return _settle_pause(inst, tr, now)
    retry_at = now + policy.delay_after(attempt)
    history.append(
        HistoryEntry("step_retry_scheduled", now, name, seq, attempt + 1, {"retry_at": retry_at})
    )
    new = _suspend(inst, retry_at, name)
    tr = Transition(new, steps=[replace(base, wake_at=retry_at)], history=history, due_at=retry_at)
    return _settle_pause(inst, tr, now)


def _suspend(inst: Instance, until: int | None, step_name: str) -> Instance:
    return replace(
        inst,
        status=Status.WAITING,
        due_at=until,
        lease_token=None,
        lease_worker=None,
        current_step=step_name,
    )


def start_sleep(
    inst: Instance,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    wake_at: int,
    now: int,
    lease_timeout_us: int,
) -> Transition:
    """Suspends the instance until wake_at, or records the sleep as done when wake_at has passed."""
    check_lease(inst, lease)
    _check_kind(existing, StepKind.SLEEP)
    if existing is not None and existing.state is StepState.SUCCEEDED:
        return Transition(inst)
    wake_at = existing.wake_at if existing is not None and existing.wake_at else wake_at
    step = Step(name, seq, StepKind.SLEEP, StepState.PENDING, started_at=now, wake_at=wake_at)
    if wake_at <= now:
        done = replace(step, state=StepState.SUCCEEDED, ended_at=now)
        history = [HistoryEntry("woke", now, name, seq)]
        tr = Transition(
            _renew(inst, now, lease_timeout_us, current_step=name), steps=[done], history=history
        )
        return _settle_pause(inst, tr, now)
    history = [HistoryEntry("sleeping", now, name, seq, detail={"wake_at": wake_at})]
    tr = Transition(_suspend(inst, wake_at, name), steps=[step], history=history, due_at=wake_at)
    return _settle_pause(inst, tr, now)


def event_result(event_type: str, payload: bytes, received_at: int) -> bytes:
    """The journaled result of a wait_for_event step: the event as a JSON object."""
    head = json.dumps({"type": event_type, "received_at": received_at})[:-1]
    return f'{head}, "payload": '.encode() + (payload or b"null") + b"}"


def wait_for_event(
    inst: Instance,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    event_type: str,
    timeout_at: int,
    buffered: tuple[str, bytes, int] | None,
    buffered_id: str | None,
    now: int,
    lease_timeout_us: int,
) -> Transition:
    """Takes the oldest buffered event of the type, or suspends until one comes or time is up."""
    check_lease(inst, lease)
    _check_kind(existing, StepKind.WAIT_FOR_EVENT)
    if existing is not None and existing.state is not StepState.PENDING:
        return Transition(inst)
    started = existing.started_at if existing else now
    if buffered is not None:
        etype, payload, received_at = buffered
        step = Step(
            name,
            seq,
            StepKind.WAIT_FOR_EVENT,
            StepState.SUCCEEDED,
            started_at=started,
            result=event_result(etype, payload, received_at),
            event_type=event_type,
            ended_at=now,
        )
        history = [HistoryEntry("event_taken", now, name, seq, detail={"type": etype})]
        tr = Transition(
            _renew(inst, now, lease_timeout_us, current_step=name),
            steps=[step],
            history=history,
            consumed_event=buffered_id,
        )
        return _settle_pause(inst, tr, now)
    timeout_at = existing.wake_at if existing is not None and existing.wake_at else timeout_at
    step = Step(
        name,
        seq,
        StepKind.WAIT_FOR_EVENT,
        StepState.PENDING,
        started_at=started,
        wake_at=timeout_at,
        event_type=event_type,
    )
    history = [
        HistoryEntry(
            "waiting_for_event",
            now,
            name,
            seq,
            detail={"type": event_type, "timeout_at": timeout_at},
        )
    ]
    tr = Transition(
        _suspend(inst, timeout_at, name), steps=[step], history=history, due_at=timeout_at
    )
    return _settle_pause(inst, tr, now)


def deliver_event(
    inst: Instance,
    pending: Step | None,
    *,
    event_type: str,
    payload: bytes,
    received_at: int,
    event_id: str,
) -> Transition:
    """An event arrives: it wakes a wait for its type, or stays buffered for a later wait."""
    if _ended(inst):
        raise FailedPrecondition(f"instance is {inst.status} and takes no more events")
    history = [HistoryEntry("event_received", received_at, detail={"type": event_type})]
    waiting = (
        inst.status is Status.WAITING
        and pending is not None
        and pending.kind is StepKind.WAIT_FOR_EVENT
        and pending.event_type == event_type
    )
    if not waiting or pending is None:
        return Transition(inst, history=history)
    step = replace(
        pending,
        state=StepState.SUCCEEDED,
        result=event_result(event_type, payload, received_at),
        ended_at=received_at,
    )
    history.append(
        HistoryEntry(
            "event_taken", received_at, pending.name, pending.seq, detail={"type": event_type}
        )
    )
    return Transition(
        _queue(inst, received_at),
        steps=[step],
        history=history,
        dispatch=True,
        consumed_event=event_id,
    )


def _queue(inst: Instance, now: int) -> Instance:
    return replace(
        inst, status=Status.QUEUED, ready_at=now, due_at=None, lease_token=None, lease_worker=None
    )


def fire_due(inst: Instance, pending: Step | None, now: int) -> Transition | None:
    """The timer reached the instance's due time: wake it, or take back an expired lease."""
    if inst.due_at is None or inst.due_at > now:
        return None
    if inst.status in LEASED:
        expired = [HistoryEntry("lease_expired", now, detail={"worker": inst.lease_worker})]
        return _settle_pause(
            inst, Transition(_queue(inst, now), history=expired, dispatch=True), now
        )
    if inst.status is not Status.WAITING:
        return Transition(replace(inst, due_at=None))
    steps: list[Step] = []
    history: list[HistoryEntry] = []
    if pending is not None and pending.kind is StepKind.SLEEP:
        steps.append(replace(pending, state=StepState.SUCCEEDED, ended_at=now))
        history.append(HistoryEntry("woke", now, pending.name, pending.seq))
    elif pending is not None and pending.kind is StepKind.WAIT_FOR_EVENT:
        message = f"no {pending.event_type!r} event arrived in time"
        steps.append(
            replace(
                pending,
                state=StepState.FAILED,
                ended_at=now,
                error_type="EventTimeout",
                error_message=message,
            )
        )
        history.append(
            HistoryEntry(
                "event_wait_timed_out",
                now,
                pending.name,
                pending.seq,
                detail={"type": pending.event_type},
            )
        )
    elif pending is not None:
        history.append(
            HistoryEntry("step_retry_due", now, pending.name, pending.seq, pending.attempts + 1)
        )
    history.append(HistoryEntry("queued", now))
    return Transition(_queue(inst, now), steps=steps, history=history, dispatch=True)


def release(inst: Instance, lease: int, now: int, reason: str) -> Transition:
    """A worker gives its task back, or its connection dropped: the task is dispatched again."""
    check_lease(inst, lease)
    detail = {"worker": inst.lease_worker, "reason": reason}
    history = [HistoryEntry("task_released", now, detail=detail)]
    return _settle_pause(inst, Transition(_queue(inst, now), history=history, dispatch=True), now)


def complete(inst: Instance, *, lease: int, output: bytes, now: int) -> Transition:
    """The workflow function returned: the instance is complete with its output."""
    check_lease(inst, lease)
    new = replace(_finish(inst, Status.COMPLETE, now), output=output)
    return Transition(new, history=[HistoryEntry("completed", now)], finished=True)


def fail(inst: Instance, *, lease: int, error: Failure, now: int) -> Transition:
    """The workflow function raised: the instance is errored with the error's type and message."""
    check_lease(inst, lease)
    new = replace(
        _finish(inst, Status.ERRORED, now),
        error_type=error.type,
        error_message=error.message,
        error_details=error.details,
    )
    detail = {"error_type": error.type, "error_message": error.message}
    return Transition(new, history=[HistoryEntry("errored", now, detail=detail)], finished=True)


def _finish(inst: Instance, status: Status, now: int) -> Instance:
    return replace(
        inst,
        status=status,
        ended_at=now,
        due_at=None,
        ready_at=None,
        lease_token=None,
        lease_worker=None,
        expires_at=now + inst.retention_us,
    )


def _paused(inst: Instance) -> Instance:
    return replace(
        inst,
        status=Status.PAUSED,
        ready_at=None,
        due_at=None,
        lease_token=None,
        lease_worker=None,
    )


def _settle_pause(old: Instance, tr: Transition, now: int) -> Transition:
    """A pause asked while a step ran takes effect with the worker's next write.

    The write itself is recorded (the step that was running finishes), then the instance is
    paused and the worker's task ends: no new step starts.
    """
    if old.status is not Status.WAITING_FOR_PAUSE or tr.instance.status in FINAL:
        return tr
    tr.instance = _paused(tr.instance)
    tr.history.append(HistoryEntry("paused", now))
    tr.dispatch = False
    tr.due_at = None
    tr.task_ended = True
    return tr


# ---------------------------------------------------------------------- control by clients


def pause(inst: Instance, now: int) -> Transition:
    """Pauses an instance: at once when no step runs, after the current step otherwise."""
    if inst.status in FINAL:
        raise FailedPrecondition(
            f"instance is {inst.status}: only an unfinished instance can be paused"
        )
    if inst.status in (Status.PAUSED, Status.WAITING_FOR_PAUSE):
        raise FailedPrecondition(f"instance is already {inst.status}")
    if inst.status is Status.RUNNING:
        new = replace(inst, status=Status.WAITING_FOR_PAUSE)
        return Transition(new, history=[HistoryEntry("pause_requested", now)])
    return Transition(_paused(inst), history=[HistoryEntry("paused", now)])


def resume(inst: Instance, pending: Step | None, event_buffered: bool, now: int) -> Transition:
    """Resumes a paused instance where it was: queued again, or suspended on its pending step.

    A sleep, retry delay or event wait whose time passed while paused ends at once, as the
    timer would have ended it; an event wait whose event arrived while paused is queued so that
    the worker takes the event.
    """
    resumed = HistoryEntry("resumed", now)
    if inst.status is Status.WAITING_FOR_PAUSE:
        return Transition(replace(inst, status=Status.RUNNING), history=[resumed])
    if inst.status is not Status.PAUSED:
        raise FailedPrecondition(
            f"instance is {inst.status}, not paused: there is nothing to resume"
        )
    if pending is not None and pending.kind is StepKind.CALL and pending.name == inst.current_step:
        # Still waiting for its call (shards.calls): the call's outcome will queue it.
        waiting = replace(inst, status=Status.WAITING, due_at=None)
        return Transition(waiting, history=[resumed])
    # Only the step the instance was suspended on counts: a pause that took effect after a
    # write leaves current_step naming that write's step, and the instance runs on.
    if (
        pending is None
        or pending.wake_at is None
        or pending.name != inst.current_step
        or (pending.kind is StepKind.WAIT_FOR_EVENT and event_buffered)
    ):
        history = [resumed, HistoryEntry("queued", now)]
        return Transition(_queue(inst, now), history=history, dispatch=True)
    waiting = replace(inst, status=Status.WAITING, due_at=pending.wake_at)
    fired = fire_due(waiting, pending, now)
    if fired is None:
        return Transition(waiting, history=[resumed], due_at=pending.wake_at)
    fired.history.insert(0, resumed)
    return fired


def terminate(inst: Instance, reason: str, now: int) -> Transition:
    """Ends an unfinished instance at once; its worker's later writes are refused."""
    if inst.status in FINAL:
        raise FailedPrecondition(
            f"instance is already {inst.status}: only an unfinished instance can be terminated"
        )
    detail = {"reason": reason} if reason else None
    new = _finish(inst, Status.TERMINATED, now)
    return Transition(new, history=[HistoryEntry("terminated", now, detail=detail)], finished=True)


def restart(inst: Instance, journal: list[Step], from_step: str | None, now: int) -> Transition:
    """Runs the instance again from the beginning, or from a step (journal in run order).

    The named step's first occurrence and every step after it are dropped from the journal, so
    that they run again; the steps before it keep their results.
    """
    if from_step is None:
        cut = 0
    else:
        found = next((n for n, s in enumerate(journal) if s.name == from_step), None)
        if found is None:
            names = ", ".join(dict.fromkeys(s.name for s in journal)) or "none"
            raise FailedPrecondition(
                f"step {from_step!r} has not run in this instance (its steps: {names})"
            )
        cut = found
    kept, dropped = journal[:cut], journal[cut:]
    new = replace(
        _queue(inst, now),
        ended_at=None,
        expires_at=None,
        output=None,
        error_type=None,
        error_message=None,
        error_details=None,
        current_step=kept[-1].name if kept else None,
    )
    detail = {"from_step": from_step} if from_step else None
    history = [
        HistoryEntry("restarted", now, from_step, detail=detail),
        HistoryEntry("queued", now),
    ]
    return Transition(
        new,
        history=history,
        dispatch=True,
        dropped_steps=[(s.name, s.seq) for s in dropped],
    )


def check_deletable(inst: Instance) -> None:
    """Only a finished instance can be deleted."""
    if inst.status not in FINAL:
        raise FailedPrecondition(
            f"instance is {inst.status}: only a finished instance can be deleted "
            "(terminate it first)"
        )


# ---------------------------------------------------------------------- recorded state

STATE_QUOTA = "max_instance_state_bytes"


def step_bytes(step: Step | None) -> int:
    """Bytes a journal entry holds of its instance's recorded state: its result and failure."""
    if step is None:
        return 0
    failure = (step.error_type or "") + (step.error_message or "")
    return len(step.result or b"") + len(failure.encode("utf-8", "surrogatepass"))


def journal_growth(written: list[Step], replaced: list[Step | None]) -> int:
    """Bytes that writing these entries adds to the state, the entries they replace removed."""
    keys = {(s.name, s.seq) for s in written}
    old = sum(step_bytes(s) for s in replaced if s is not None and (s.name, s.seq) in keys)
    return sum(step_bytes(s) for s in written) - old


def count_state(inst: Instance, tr: Transition, growth: int, limit: int, now: int) -> Transition:
    """Counts the bytes a write adds to the instance's recorded state (the engine measures
    them). A write that would take the state past the account's max_instance_state_bytes is
    not recorded: the instance errors instead, with a message naming the quota, and the
    worker's task ends. A write that frees bytes (a restart) is always recorded."""
    total = inst.state_bytes + growth
    if growth <= 0 or total <= limit:
        tr.instance = replace(tr.instance, state_bytes=max(total, 0))
        tr.state_counted = True
        return tr
    if inst.status in FINAL:
        raise FailedPrecondition(f"instance is {inst.status}")
    error = Failure(
        "StateLimitExceeded",
        f"this write of {growth:,} bytes would take the instance's recorded state to "
        f"{total:,} bytes; its account allows {limit:,} (quota {STATE_QUOTA})",
    )
    new = replace(
        _finish(inst, Status.ERRORED, now),
        error_type=error.type,
        error_message=error.message,
        error_details="",
    )
    detail = {"error_type": error.type, "error_message": error.message}
    history = [HistoryEntry("errored", now, inst.current_step, detail=detail)]
    return Transition(new, history=history, finished=True, task_ended=True, state_counted=True)
