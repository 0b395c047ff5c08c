"""What a worker's step commands do to an instance, as pure functions: a DO step's start, result
and failed attempt, a sleep, a wait for an event, and an event arriving.

Like shards.core.machine, every function takes rows as read in the current transaction and
returns a Transition (or raises before anything is written); nothing here does I/O.
"""

from __future__ import annotations

import json
from dataclasses import replace

from shards.core import attempts
from shards.core.machine import check_kind, check_lease, ended, queue, renew, settle_pause, suspend
from shards.core.model import (
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
from shards.errors import FailedPrecondition


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
    finished) or twice under the same lease changes nothing (shards.core.attempts). A start
    is no report: under waitingForPause it leaves the pause waiting for the attempt's
    report."""
    check_lease(inst, lease)
    check_not_rolling_back(inst, "a step")
    check_kind(existing, StepKind.DO)
    row = (name, seq)
    started = attempts.start(attempts.DO, existing, lease=lease, row=row, attempt=attempt, now=now)
    if started is None:
        return Transition(inst)
    step, entry = started
    # Not a renewal of the lease: only the step now running is shown.
    return Transition(replace(inst, current_step=name), steps=[step], history=[entry])


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
    check_not_rolling_back(inst, "a step")
    check_kind(existing, StepKind.DO)
    if (
        existing is not None
        and existing.state is StepState.SUCCEEDED
        and existing.attempts == attempt
    ):
        if existing.result != result:
            raise FailedPrecondition(
                f"step {name!r} #{seq} attempt {attempt} is already recorded with another "
                "result; a recorded result never changes"
            )
        return Transition(inst)  # the same report again: already recorded
    attempts.finished_already(attempts.DO, existing, name, seq)
    step, history = attempts.succeeded(
        attempts.DO,
        existing,
        lease=lease,
        row=(name, seq),
        attempt=attempt,
        result=result,
        started_at=started_at,
        now=now,
    )
    tr = Transition(
        renew(inst, now, lease_timeout_us, current_step=name), steps=[step], history=history
    )
    return settle_pause(inst, tr, now)


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
    """Records a failed attempt; suspends the instance until the retry, or fails the step
    (the run then gets the failure)."""
    check_lease(inst, lease)
    check_not_rolling_back(inst, "a step")
    check_kind(existing, StepKind.DO)
    attempts.finished_already(attempts.DO, existing, name, seq)
    out = attempts.failed(
        attempts.DO,
        existing,
        lease=lease,
        row=(name, seq),
        attempt=attempt,
        error=error,
        policy=policy,
        non_retryable=non_retryable,
        started_at=started_at,
        now=now,
    )
    if out.retry_at is None:
        new = renew(inst, now, lease_timeout_us, current_step=name)
        tr = Transition(new, steps=[out.entry], history=out.history)
    else:
        new = suspend(inst, out.retry_at, name)
        tr = Transition(new, steps=[out.entry], history=out.history, due_at=out.retry_at)
    return settle_pause(inst, tr, now)


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
    check_not_rolling_back(inst, "a sleep")
    check_kind(existing, StepKind.SLEEP)
    if existing is not None and existing.state is StepState.SUCCEEDED:
        return Transition(inst)
    wake_at = existing.wake_at if existing is not None and existing.wake_at else wake_at
    step = Step(name, seq, StepKind.SLEEP, StepState.PENDING, started_at=now, wake_at=wake_at)
    if wake_at <= now:
        done = replace(step, state=StepState.SUCCEEDED, ended_at=now)
        history = [HistoryEntry(HistoryKind.WOKE, now, name, seq)]
        tr = Transition(
            renew(inst, now, lease_timeout_us, current_step=name), steps=[done], history=history
        )
        return settle_pause(inst, tr, now)
    history = [HistoryEntry(HistoryKind.SLEEPING, now, name, seq, detail={"wake_at": wake_at})]
    tr = Transition(suspend(inst, wake_at, name), steps=[step], history=history, due_at=wake_at)
    return settle_pause(inst, tr, now)


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
    check_not_rolling_back(inst, "an event wait")
    check_kind(existing, StepKind.WAIT_FOR_EVENT)
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
        history = [HistoryEntry(HistoryKind.EVENT_TAKEN, now, name, seq, detail={"type": etype})]
        tr = Transition(
            renew(inst, now, lease_timeout_us, current_step=name),
            steps=[step],
            history=history,
            consumed_event=buffered_id,
        )
        return settle_pause(inst, tr, now)
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
            HistoryKind.WAITING_FOR_EVENT,
            now,
            name,
            seq,
            detail={"type": event_type, "timeout_at": timeout_at},
        )
    ]
    tr = Transition(
        suspend(inst, timeout_at, name), steps=[step], history=history, due_at=timeout_at
    )
    return settle_pause(inst, tr, now)


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
    if ended(inst):
        raise FailedPrecondition(f"instance is {inst.status} and takes no more events")
    history = [HistoryEntry(HistoryKind.EVENT_RECEIVED, received_at, detail={"type": event_type})]
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
            HistoryKind.EVENT_TAKEN,
            received_at,
            pending.name,
            pending.seq,
            detail={"type": event_type},
        )
    )
    return Transition(
        queue(inst, received_at),
        steps=[step],
        history=history,
        dispatch=True,
        consumed_event=event_id,
    )


# An attempt as a batch of worker writes names it: (task token, step name, seq, attempt).
AttemptRef = tuple[bytes, str, int, int]


def starts_reported_with(starts: dict[int, AttemptRef], reports: list[AttemptRef]) -> set[int]:
    """The starts (by their index in a batch) whose attempt's report, a CompleteStep or a
    FailStep under the same token, travels in the same batch. The commands of a batch apply in
    no set order, so such a start may already be overtaken by its report, which then records
    the start itself (attempts.unrecorded_start); recording it first would only change the
    instance twice in the same moment. Those starts are answered without a write."""
    reported = set(reports)
    return {index for index, ref in starts.items() if ref in reported}
