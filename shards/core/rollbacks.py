"""Saga rollbacks, as pure functions: an instance that rolls back runs the rollbacks of its
succeeded DO steps, newest completion first, each a durable step of its own.

A run starts the rollback (start_rollback) when its workflow failed uncaught, or when the
workflow asked for it; the instance then *rolls back* (Instance.rollback ROLLING_BACK) and
keeps the failure that started it. While it rolls back, only these are legal under its lease:
the attempts of rollbacks (start_attempt, complete, fail_attempt), another StartRollback (which
answers the same plan), and FailWorkflow, which ends it ERRORED with that failure and the
outcome ROLLED_BACK. A new step, a sleep, an event wait, a call and CompleteWorkflow are refused
(check_not_rolling_back). A rollback that fails for good ends the instance at once: ERRORED,
ROLLBACK_FAILED, naming the step; the rollbacks after it do not run.

A step's rollback is journaled as a ROLLBACK entry under the step's name and seq -seq (key), so
that it never meets the step's own entry; what leaves the shard shows seq as the step's.
Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from shards.core import attempts
from shards.core.machine import check_lease, fail, finish, renew, settle_pause, suspend
from shards.core.model import (
    Failure,
    HistoryEntry,
    HistoryKind,
    Instance,
    RetryPolicy,
    RollbackOutcome,
    Status,
    Step,
    StepKind,
    StepState,
    Transition,
)
from shards.errors import FailedPrecondition

# Steps one StartRollback may name.
MAX_ROLLBACK_STEPS = 10_000


def key(name: str, seq: int) -> tuple[str, int]:
    """Where the rollback of step (name, seq) is journaled."""
    return name, -seq


def is_rollback(step: Step) -> bool:
    return step.kind is StepKind.ROLLBACK


def public_seq(seq: int) -> int:
    """A journal or history seq as it leaves the shard: a rollback's is its step's."""
    return abs(seq)


def rolling_back(inst: Instance) -> bool:
    return inst.rollback is RollbackOutcome.ROLLING_BACK


def check_not_rolling_back(inst: Instance, what: str) -> None:
    """While an instance rolls back, its run records only rollbacks and its end."""
    if rolling_back(inst):
        raise FailedPrecondition(
            f"the instance is rolling back: {what} cannot be recorded; run the remaining "
            "rollbacks, then send FailWorkflow"
        )


def plan(
    steps: Mapping[tuple[str, int], Step | None], refs: Sequence[tuple[str, int]]
) -> list[tuple[str, int]]:
    """The order the rollbacks of these steps run in: the steps' completion, newest first.
    Each must be a succeeded DO step, named once."""
    if len(set(refs)) != len(refs):
        raise FailedPrecondition("StartRollback names a step twice")
    found: list[Step] = []
    for name, seq in refs:
        step = steps.get((name, seq))
        if step is None or step.kind is not StepKind.DO or step.state is not StepState.SUCCEEDED:
            state = "not recorded" if step is None else f"a {step.state} {step.kind} step"
            raise FailedPrecondition(
                f"step {name!r} #{seq} is {state}: only a succeeded do step can be rolled back"
            )
        found.append(step)
    found.sort(key=lambda s: (s.ended_at or 0, s.started_at, s.name, s.seq), reverse=True)
    return [(s.name, s.seq) for s in found]


def start_rollback(inst: Instance, *, lease: int, error: Failure, now: int) -> Transition:
    """The instance starts rolling back, keeping the failure that started it; a second start
    (a replay after a crash or a retry delay) changes nothing."""
    check_lease(inst, lease)
    if rolling_back(inst):
        return Transition(inst)
    new = replace(
        inst,
        rollback=RollbackOutcome.ROLLING_BACK,
        error_type=error.type or "Error",
        error_message=error.message,
        error_details=error.details,
    )
    detail = {"error_type": new.error_type, "error_message": error.message}
    return Transition(new, history=[HistoryEntry(HistoryKind.ROLLBACK_STARTED, now, detail=detail)])


def _check_rollback(inst: Instance, lease: int, step: Step | None, name: str, seq: int) -> None:
    check_lease(inst, lease)
    if not rolling_back(inst):
        raise FailedPrecondition(
            "the instance is not rolling back: send StartRollback before a rollback's attempts"
        )
    if step is None or step.kind is not StepKind.DO or step.state is not StepState.SUCCEEDED:
        raise FailedPrecondition(
            f"step {name!r} #{seq} is not a succeeded do step: it has no rollback to run"
        )


def start_attempt(
    inst: Instance,
    step: Step | None,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    attempt: int,
    now: int,
) -> Transition:
    """An attempt of a step's rollback starts (optional, as a DO step's start): late or
    repeated starts change nothing (shards.core.attempts)."""
    _check_rollback(inst, lease, step, name, seq)
    row = key(name, seq)
    started = attempts.start(
        attempts.ROLLBACK, existing, lease=lease, row=row, attempt=attempt, now=now
    )
    if started is None:
        return Transition(inst)
    entry, history = started
    return Transition(replace(inst, current_step=name), steps=[entry], history=[history])


def complete(
    inst: Instance,
    step: Step | None,
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
    """A step's rollback succeeded; the same report again is a no-op, a finished rollback
    takes no other."""
    _check_rollback(inst, lease, step, name, seq)
    if (
        existing is not None
        and existing.state is StepState.SUCCEEDED
        and existing.attempts == attempt
    ):
        return Transition(inst)
    attempts.finished_already(attempts.ROLLBACK, existing, name, seq)
    entry, history = attempts.succeeded(
        attempts.ROLLBACK,
        existing,
        lease=lease,
        row=key(name, seq),
        attempt=attempt,
        result=result,
        started_at=started_at,
        now=now,
    )
    tr = Transition(
        renew(inst, now, lease_timeout_us, current_step=name), steps=[entry], history=history
    )
    return settle_pause(inst, tr, now)


def fail_attempt(
    inst: Instance,
    step: Step | None,
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
) -> Transition:
    """A rollback's attempt failed: the instance waits for the retry, or, with no retry
    left, ends ERRORED with the outcome ROLLBACK_FAILED naming the step."""
    _check_rollback(inst, lease, step, name, seq)
    attempts.finished_already(attempts.ROLLBACK, existing, name, seq)
    out = attempts.failed(
        attempts.ROLLBACK,
        existing,
        lease=lease,
        row=key(name, seq),
        attempt=attempt,
        error=error,
        policy=policy,
        non_retryable=non_retryable,
        started_at=started_at,
        now=now,
    )
    if out.retry_at is not None:
        new = suspend(inst, out.retry_at, name)
        tr = Transition(new, steps=[out.entry], history=out.history, due_at=out.retry_at)
        return settle_pause(inst, tr, now)
    ended = replace(
        finish(inst, Status.ERRORED, now),
        current_step=name,
        rollback=RollbackOutcome.ROLLBACK_FAILED,
        rollback_step=name,
        rollback_step_seq=seq,
        rollback_error_type=error.type,
        rollback_error_message=error.message,
    )
    return Transition(
        ended,
        steps=[out.entry],
        history=[*out.history, _errored(ended, now)],
        finished=True,
        drops_step_tasks=True,
        task_ended=True,
    )


def fail_workflow(
    inst: Instance, *, lease: int, error: Failure, unfinished: Sequence[Step], now: int
) -> Transition:
    """FailWorkflow: the instance ends ERRORED with the error (shards.core.machine.fail), or,
    while it rolls back, every rollback ran: it ends ERRORED with the failure that started the
    rollback, ROLLED_BACK. Refused while a rollback is not finished (unfinished: the
    instance's ROLLBACK entries still pending or running)."""
    if not rolling_back(inst):
        return fail(inst, lease=lease, error=error, now=now)
    check_lease(inst, lease)
    if unfinished:
        s = unfinished[0]
        raise FailedPrecondition(
            f"the rollback of step {s.name!r} #{public_seq(s.seq)} is not finished"
        )
    new = replace(finish(inst, Status.ERRORED, now), rollback=RollbackOutcome.ROLLED_BACK)
    return Transition(new, history=[_errored(new, now)], finished=True, drops_step_tasks=True)


def _errored(inst: Instance, now: int) -> HistoryEntry:
    reason = (
        "rolled back"
        if inst.rollback is RollbackOutcome.ROLLED_BACK
        else (f"rollback failed: step {inst.rollback_step!r} #{inst.rollback_step_seq}")
    )
    detail = {
        "error_type": inst.error_type,
        "error_message": inst.error_message,
        "reason": reason,
    }
    return HistoryEntry(HistoryKind.ERRORED, now, detail=detail)


def cleared(inst: Instance) -> Instance:
    """A restart forgets the instance's rollback (its ROLLBACK entries are dropped with it)."""
    return replace(
        inst,
        rollback=None,
        rollback_step=None,
        rollback_step_seq=None,
        rollback_error_type=None,
        rollback_error_message=None,
    )
