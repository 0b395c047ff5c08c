"""The instance state machine: how a workflow task is claimed, held, given back, timed out and
ended, as pure functions.

Every function takes the instance (and the step it concerns) as read in the current transaction
and returns a Transition, or raises a domain error before anything is written. The engine
(shards.engine) reads, calls one of these, and hands the Transition to its interpreter
(shards.engine.effects), which writes it in the same transaction; the in-memory effects
(dispatch, wake waiters) run after the commit. Nothing here does I/O. The step commands are in
shards.core.steps, the clients' commands in shards.core.control.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from shards.core import retention
from shards.core.model import (
    FINAL,
    LEASED,
    Failure,
    HistoryEntry,
    HistoryKind,
    Instance,
    Lease,
    RollbackOutcome,
    Status,
    Step,
    StepKind,
    StepState,
    Transition,
)
from shards.errors import FailedPrecondition, LeaseLost

K = TypeVar("K")


def ended(inst: Instance) -> bool:
    return inst.status in FINAL


def create(inst: Instance, now: int) -> Transition:
    """A new instance: queued for dispatch."""
    new = replace(inst, status=Status.QUEUED, ready_at=now)
    return Transition(
        new,
        history=[HistoryEntry(HistoryKind.CREATED, now), HistoryEntry(HistoryKind.QUEUED, now)],
        dispatch=True,
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
    kind = HistoryKind.STARTED if inst.dispatches == 0 else HistoryKind.RESUMED_ON_WORKER
    return Transition(new, history=[HistoryEntry(kind, now, detail={"worker": worker})], due_at=due)


def check_lease(inst: Instance | Lease, lease: int) -> None:
    """Raises LeaseLost unless the instance runs under this lease."""
    if inst.lease_token != lease or inst.status not in LEASED:
        if inst.status in FINAL or inst.status is Status.PAUSED:
            raise LeaseLost(f"instance is {inst.status}")
        raise LeaseLost(
            "the task was dispatched again after its lease expired or was released, "
            "or the instance was restarted"
        )


def check_kind(existing: Step | None, kind: StepKind) -> None:
    """A step's name and occurrence name the same kind of step on every replay."""
    if existing is not None and existing.kind is not kind:
        raise FailedPrecondition(
            f"step {existing.name!r} #{existing.seq} is recorded as a {existing.kind} step, "
            f"not a {kind} step: the workflow's code changed under a running instance"
        )


def renew(inst: Instance, now: int, lease_timeout_us: int, **changes: Any) -> Instance:
    return replace(inst, due_at=now + lease_timeout_us, **changes)


def suspend(inst: Instance, until: int | None, step_name: str) -> Instance:
    return replace(
        inst,
        status=Status.WAITING,
        due_at=until,
        lease_token=None,
        lease_worker=None,
        current_step=step_name,
    )


def queue(inst: Instance, now: int) -> Instance:
    """Queued for dispatch; whatever blocked it (shards.core.versions) is over."""
    return replace(
        inst,
        status=Status.QUEUED,
        ready_at=now,
        due_at=None,
        lease_token=None,
        lease_worker=None,
        blocked=None,
    )


Heard = tuple[int, int]
"""The latest heartbeat a shard server heard for an instance's task: (lease, at)."""


def fire_due(
    inst: Instance,
    pending: Step | None,
    now: int,
    heard: Heard | None = None,
    lease_timeout_us: int = 0,
) -> Transition | None:
    """The timer reached the instance's due time: wake it, or take back an expired lease.

    A lease's due time is written when it is granted and renewed by the run's writes, not by
    each heartbeat: a heartbeat is heard in memory (`heard`). A lease due whose heartbeat under
    the same lease was heard less than the lease timeout ago is renewed from that heartbeat
    instead of taken back, so a lease expires a lease timeout after the last heartbeat or write,
    as if every heartbeat had been written."""
    if inst.due_at is None or inst.due_at > now:
        return None
    if inst.status in LEASED and renewed_by(inst, heard, now, lease_timeout_us):
        assert heard is not None
        return Transition(renew(inst, heard[1], lease_timeout_us))
    if inst.status in LEASED:
        expired = [
            HistoryEntry(HistoryKind.LEASE_EXPIRED, now, detail={"worker": inst.lease_worker})
        ]
        return settle_pause(inst, Transition(queue(inst, now), history=expired, dispatch=True), now)
    if inst.status is not Status.WAITING:
        return Transition(replace(inst, due_at=None))
    steps: list[Step] = []
    history: list[HistoryEntry] = []
    if pending is not None and pending.kind is StepKind.SLEEP:
        steps.append(replace(pending, state=StepState.SUCCEEDED, ended_at=now))
        history.append(HistoryEntry(HistoryKind.WOKE, now, pending.name, pending.seq))
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
                HistoryKind.EVENT_WAIT_TIMED_OUT,
                now,
                pending.name,
                pending.seq,
                detail={"type": pending.event_type},
            )
        )
    elif pending is not None:
        due = (
            HistoryKind.ROLLBACK_RETRY_DUE
            if pending.kind is StepKind.ROLLBACK
            else HistoryKind.STEP_RETRY_DUE
        )
        history.append(HistoryEntry(due, now, pending.name, pending.seq, pending.attempts + 1))
    history.append(HistoryEntry(HistoryKind.QUEUED, now))
    return Transition(queue(inst, now), steps=steps, history=history, dispatch=True)


def claimable(keys: Iterable[K], found: Mapping[K, Instance]) -> list[K]:
    """The keys a poll took from its ready queue that a claim may take: each once (a key may be
    in the queue twice, paused and resumed or restarted), and only while its instance is still
    queued (one paused, terminated or claimed meanwhile is dropped)."""
    return [k for k in dict.fromkeys(keys) if k in found and found[k].status is Status.QUEUED]


def heartbeat(inst: Instance | Lease, lease: int) -> None:
    """A worker says it still runs the task: the shard hears it (fire_due renews the lease from
    it). LeaseLost when the lease is not the instance's current one (check_lease)."""
    check_lease(inst, lease)


def renewed_by(inst: Instance, heard: Heard | None, now: int, lease_timeout_us: int) -> bool:
    """Whether a heartbeat heard under the instance's current lease keeps it past now."""
    return heard is not None and heard[0] == inst.lease_token and heard[1] + lease_timeout_us > now


def holds(inst: Instance, lease: int) -> bool:
    """Whether this lease still holds the instance's task."""
    return inst.status in LEASED and inst.lease_token == lease


def held_by(inst: Instance, worker: str) -> int | None:
    """The lease by which this worker holds the instance's task, None when it holds none."""
    if inst.status in LEASED and inst.lease_worker == worker:
        return inst.lease_token
    return None


def release(
    inst: Instance, lease: int, now: int, reason: str, *, delivered: bool = True
) -> Transition:
    """A worker gives its task back, or its connection dropped: the task is dispatched again.

    A task claimed for a poll that went away before it answered (delivered false) never
    reached a worker: when that claim was the instance's first, the instance is left as never
    started (no start time, no dispatch counted, on no build yet), so it counts as queued
    again and its next claim is its start."""
    check_lease(inst, lease)
    detail = {"worker": inst.lease_worker, "reason": reason}
    history = [HistoryEntry(HistoryKind.TASK_RELEASED, now, detail=detail)]
    new = queue(inst, now)
    if not delivered and inst.dispatches == 1:
        new = replace(new, started_at=None, dispatches=0, build_id=None)
    return settle_pause(inst, Transition(new, history=history, dispatch=True), now)


def complete(inst: Instance, *, lease: int, output: bytes, now: int) -> Transition:
    """The workflow function returned: the instance is complete with its output. Not while it
    rolls back (shards.core.rollbacks): that run ends with FailWorkflow."""
    check_lease(inst, lease)
    if inst.rollback is RollbackOutcome.ROLLING_BACK:
        raise FailedPrecondition(
            "the instance is rolling back: it cannot complete; send FailWorkflow once its "
            "rollbacks ran"
        )
    new = replace(finish(inst, Status.COMPLETE, now), output=output)
    history = [HistoryEntry(HistoryKind.COMPLETED, now)]
    return Transition(new, history=history, finished=True, drops_step_tasks=True)


def fail(inst: Instance, *, lease: int, error: Failure, now: int) -> Transition:
    """The workflow function raised: the instance is errored with the error's type and message."""
    check_lease(inst, lease)
    new = replace(
        finish(inst, Status.ERRORED, now),
        error_type=error.type,
        error_message=error.message,
        error_details=error.details,
    )
    detail = {"error_type": error.type, "error_message": error.message}
    history = [HistoryEntry(HistoryKind.ERRORED, now, detail=detail)]
    return Transition(new, history=history, finished=True, drops_step_tasks=True)


def finish(inst: Instance, status: Status, now: int) -> Instance:
    return replace(
        inst,
        status=status,
        ended_at=now,
        due_at=None,
        ready_at=None,
        lease_token=None,
        lease_worker=None,
        expires_at=now + retention.at_end(inst, status),
    )


def paused(inst: Instance) -> Instance:
    return replace(
        inst,
        status=Status.PAUSED,
        ready_at=None,
        due_at=None,
        lease_token=None,
        lease_worker=None,
    )


def settle_pause(old: Instance, tr: Transition, now: int) -> Transition:
    """A pause asked while a step ran takes effect with the worker's next write.

    The write itself is recorded (the step that was running finishes), then the instance is
    paused and the worker's task ends: no new step starts.
    """
    if old.status is not Status.WAITING_FOR_PAUSE or tr.instance.status in FINAL:
        return tr
    tr.instance = paused(tr.instance)
    tr.history.append(HistoryEntry(HistoryKind.PAUSED, now))
    tr.dispatch = False
    tr.due_at = None
    tr.task_ended = True
    return tr
