"""The quotas that hold an instance's own size, as pure rules: the bytes of its recorded state
(max_instance_state_bytes) and the steps it records (max_steps_per_instance). A write past
either is not recorded: the instance errors instead, naming the quota.
"""

from __future__ import annotations

from dataclasses import replace

from shards.core.machine import fail, finish
from shards.core.model import (
    FINAL,
    Failure,
    HistoryEntry,
    HistoryKind,
    Instance,
    Status,
    Step,
    StepState,
    Transition,
)
from shards.errors import FailedPrecondition

STATE_QUOTA = "max_instance_state_bytes"
STEP_QUOTA = "max_steps_per_instance"


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
        finish(inst, Status.ERRORED, now),
        error_type=error.type,
        error_message=error.message,
        error_details="",
    )
    detail = {"error_type": error.type, "error_message": error.message}
    history = [HistoryEntry(HistoryKind.ERRORED, now, inst.current_step, detail=detail)]
    return Transition(
        new,
        history=history,
        finished=True,
        task_ended=True,
        state_counted=True,
        drops_step_tasks=True,
    )


def count_journal(
    inst: Instance, tr: Transition, was: Step | None, limit: int, now: int
) -> Transition:
    """count_state for a write of journal entries in place of `was` (None: a new entry).

    A refused write of a new entry still records the entry as its attempt's start left it
    (running, no attempt finished, nothing held): a worker may send an attempt's start in the
    same batch as its report, and the start is then left to the report (shards.core.steps
    starts_reported_with), so without this a refused report would take its start with it."""
    checked = count_state(inst, tr, journal_growth(tr.steps, [was]), limit, now)
    if checked is tr or was is not None:
        return checked
    checked.steps = [
        replace(
            s,
            state=StepState.RUNNING,
            attempts=0,
            result=None,
            error_type=None,
            error_message=None,
            wake_at=None,
            ended_at=None,
            attempt_started_at=s.started_at,
            attempt_lease=inst.lease_token,
        )
        for s in tr.steps
    ]
    return checked


def past_step_limit(
    inst: Instance,
    existing: Step | None,
    *,
    lease: int,
    name: str,
    seq: int,
    recorded: int,
    limit: int,
    now: int,
) -> Transition | None:
    """Before a step is recorded: None when the instance may record it (a step already in the
    journal always may); when it has recorded `recorded` steps and its account allows `limit`
    (max_steps_per_instance), the transition that errors the instance instead, with
    StepLimitExceeded naming the quota (the worker's task ends). LeaseLost when the lease does
    not hold."""
    if existing is not None or recorded < limit:
        return None
    error = Failure(
        "StepLimitExceeded",
        f"step {name!r} #{seq} would be step {recorded + 1:,} of this instance; its account "
        f"allows {limit:,} (quota {STEP_QUOTA})",
    )
    return fail(inst, lease=lease, error=error, now=now)
