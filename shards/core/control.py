"""What a client's commands do to an instance, as pure functions: pause, resume, terminate,
restart and delete.

Each refuses the statuses that do not allow it with a FailedPrecondition naming the status.
Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import replace

from shards.core.machine import finish, fire_due, paused, queue
from shards.core.model import (
    FINAL,
    HistoryEntry,
    HistoryKind,
    Instance,
    Status,
    Step,
    StepKind,
    Transition,
)
from shards.core.rollbacks import cleared
from shards.errors import FailedPrecondition


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
        return Transition(new, history=[HistoryEntry(HistoryKind.PAUSE_REQUESTED, now)])
    return Transition(paused(inst), history=[HistoryEntry(HistoryKind.PAUSED, now)])


def resume(inst: Instance, pending: Step | None, event_buffered: bool, now: int) -> Transition:
    """Resumes a paused instance where it was: queued again, or suspended on its pending step.

    A sleep, retry delay or event wait whose time passed while paused ends at once, as the
    timer would have ended it; an event wait whose event arrived while paused is queued so that
    the worker takes the event.
    """
    resumed = HistoryEntry(HistoryKind.RESUMED, now)
    if inst.status is Status.WAITING_FOR_PAUSE:
        return Transition(replace(inst, status=Status.RUNNING), history=[resumed])
    if inst.status is not Status.PAUSED:
        raise FailedPrecondition(
            f"instance is {inst.status}, not paused: there is nothing to resume"
        )
    if (
        pending is not None
        and pending.kind in (StepKind.CALL, StepKind.CHILD)
        and pending.name == inst.current_step
    ):
        # Still waiting for its call (shards.core.calls) or child (shards.core.children): the
        # outcome will queue it.
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
        history = [resumed, HistoryEntry(HistoryKind.QUEUED, now)]
        return Transition(queue(inst, now), history=history, dispatch=True)
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
    new = finish(inst, Status.TERMINATED, now)
    history = [HistoryEntry(HistoryKind.TERMINATED, now, detail=detail)]
    return Transition(new, history=history, finished=True, drops_step_tasks=True)


def restart(inst: Instance, journal: list[Step], from_step: str | None, now: int) -> Transition:
    """Runs the instance again from the beginning, or from a step (journal in run order).

    The named step's first occurrence and every step after it are dropped from the journal, so
    that they run again; the steps before it keep their results. A rollback is forgotten:
    its outcome is cleared, and its ROLLBACK entries, which ran after every step, are dropped.
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
        cleared(queue(inst, now)),
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
        HistoryEntry(HistoryKind.RESTARTED, now, from_step, detail=detail),
        HistoryEntry(HistoryKind.QUEUED, now),
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
