"""Conversions between the engine's values and the protobuf messages of stepway.v1."""

from __future__ import annotations

import json
from typing import Any, cast

from shards import validation as v
from shards.clock import set_time
from shards.core import retention
from shards.core.children import ChildLink, ParentClose, ParentRef, parent_of
from shards.core.model import (
    FINAL,
    MAX_RETRY_DELAY_US,
    Backoff,
    Failure,
    HistoryEntry,
    Instance,
    RetryPolicy,
    RollbackOutcome,
    Status,
    Step,
    StepKind,
    StepState,
)
from shards.core.rollbacks import public_seq
from shards.core.versions import NonDeterminism
from shards.engine import ClaimedStepTask, InstanceView, Task
from shards.errors import InvalidArgument
from shards.tokens import encode
from stepway.v1 import common_pb2 as cpb
from stepway.v1 import worker_service_pb2 as wpb

STATUS_TO_PB = {
    Status.QUEUED: cpb.INSTANCE_STATUS_QUEUED,
    Status.RUNNING: cpb.INSTANCE_STATUS_RUNNING,
    Status.PAUSED: cpb.INSTANCE_STATUS_PAUSED,
    Status.WAITING: cpb.INSTANCE_STATUS_WAITING,
    Status.WAITING_FOR_PAUSE: cpb.INSTANCE_STATUS_WAITING_FOR_PAUSE,
    Status.ERRORED: cpb.INSTANCE_STATUS_ERRORED,
    Status.TERMINATED: cpb.INSTANCE_STATUS_TERMINATED,
    Status.COMPLETE: cpb.INSTANCE_STATUS_COMPLETE,
}
STATUS_FROM_PB = {pb: status for status, pb in STATUS_TO_PB.items()}
KIND_TO_PB = {
    StepKind.DO: cpb.STEP_KIND_DO,
    StepKind.SLEEP: cpb.STEP_KIND_SLEEP,
    StepKind.WAIT_FOR_EVENT: cpb.STEP_KIND_WAIT_FOR_EVENT,
    StepKind.CALL: cpb.STEP_KIND_CALL,
    StepKind.ROLLBACK: cpb.STEP_KIND_ROLLBACK,
    StepKind.CHILD: cpb.STEP_KIND_CHILD,
}
ROLLBACK_TO_PB = {
    RollbackOutcome.ROLLING_BACK: cpb.ROLLBACK_OUTCOME_ROLLING_BACK,
    RollbackOutcome.ROLLED_BACK: cpb.ROLLBACK_OUTCOME_ROLLED_BACK,
    RollbackOutcome.ROLLBACK_FAILED: cpb.ROLLBACK_OUTCOME_ROLLBACK_FAILED,
}
KIND_FROM_PB = {pb: kind for kind, pb in KIND_TO_PB.items()}
STATE_TO_PB = {
    StepState.PENDING: cpb.STEP_STATE_PENDING,
    StepState.RUNNING: cpb.STEP_STATE_RUNNING,
    StepState.SUCCEEDED: cpb.STEP_STATE_SUCCEEDED,
    StepState.FAILED: cpb.STEP_STATE_FAILED,
}
BACKOFF_FROM_PB = {
    wpb.BACKOFF_UNSPECIFIED: Backoff.EXPONENTIAL,
    wpb.BACKOFF_CONSTANT: Backoff.CONSTANT,
    wpb.BACKOFF_LINEAR: Backoff.LINEAR,
    wpb.BACKOFF_EXPONENTIAL: Backoff.EXPONENTIAL,
}


def instance_to_pb(view: InstanceView) -> cpb.Instance:
    """The Instance message clients read."""
    msg = instance_summary_to_pb(view.instance)
    msg.params.data = view.params
    if view.instance.output is not None:
        msg.output.data = view.instance.output
    for link in view.children or []:
        msg.children.append(child_link_to_pb(link))
    return msg


_CLOSE_TO_PB = {
    ParentClose.TERMINATE: cpb.PARENT_CLOSE_POLICY_TERMINATE,
    ParentClose.ABANDON: cpb.PARENT_CLOSE_POLICY_ABANDON,
}


def child_link_to_pb(link: ChildLink) -> cpb.ChildLink:
    """A child of an instance, as GetInstance shows it."""
    status = Status(link.status) if link.status in set(Status) else None
    return cpb.ChildLink(
        step_name=link.name,
        step_seq=link.seq,
        workflow=link.workflow,
        instance_id=link.instance_id,
        parent_close=_CLOSE_TO_PB[link.close],
        wait=link.wait,
        status=STATUS_TO_PB[status] if status else cpb.INSTANCE_STATUS_UNSPECIFIED,
    )


def parent_link_to_pb(ref: ParentRef) -> cpb.ParentLink:
    return cpb.ParentLink(
        workflow=ref.workflow,
        instance_id=ref.instance_id,
        step_name=ref.step,
        step_seq=ref.seq,
        depth=ref.depth,
        parent_close=_CLOSE_TO_PB[ref.close],
    )


def instance_summary_to_pb(inst: Instance) -> cpb.Instance:
    """The Instance message without params and output, as listings show it."""
    msg = cpb.Instance(
        workflow=inst.workflow,
        instance_id=inst.instance_id,
        status=STATUS_TO_PB[inst.status],
        task_queue=inst.task_queue,
        current_step=inst.current_step or "",
        partition=inst.partition,
    )
    # A finished instance shows the retention of its outcome; one still running, its
    # retention once complete.
    kept = retention.at_end(inst, inst.status) if inst.status in FINAL else inst.retention_us
    msg.retention.FromMicroseconds(kept)
    if inst.expires_at is not None:
        set_time(msg.expires_at, inst.expires_at)
    set_time(msg.created_at, inst.created_at)
    if inst.started_at is not None:
        set_time(msg.started_at, inst.started_at)
    if inst.ended_at is not None:
        set_time(msg.ended_at, inst.ended_at)
    if inst.error_type is not None:
        msg.error.CopyFrom(
            cpb.Failure(
                type=inst.error_type,
                message=inst.error_message or "",
                details=inst.error_details or "",
            )
        )
    if inst.rollback is not None:
        msg.rollback = ROLLBACK_TO_PB[inst.rollback]
    if inst.rollback_step is not None:
        msg.rollback_step = inst.rollback_step
        msg.rollback_step_seq = inst.rollback_step_seq or 0
        msg.rollback_error.CopyFrom(
            cpb.Failure(
                type=inst.rollback_error_type or "", message=inst.rollback_error_message or ""
            )
        )
    parent = parent_of(inst)
    if parent is not None:
        msg.parent.CopyFrom(parent_link_to_pb(parent))
    if inst.build_id is not None:
        msg.build_id, msg.build_assigned = inst.build_id, True
    if inst.blocked is not None and inst.status not in FINAL:
        msg.blocked.CopyFrom(non_determinism_to_pb(NonDeterminism.from_json(inst.blocked)))
    return msg


def non_determinism_from_pb(msg: cpb.NonDeterminism) -> NonDeterminism:
    """A worker's report of a journal its run could not follow, checked."""
    return NonDeterminism(
        step_name=v.check_step_name("non_determinism.step_name", msg.step_name),
        step_seq=msg.step_seq,
        recorded_kind=str(KIND_FROM_PB.get(msg.recorded_kind, "")),
        requested_kind=str(KIND_FROM_PB.get(msg.requested_kind, "")),
        message=msg.message,
        build_id=v.check_build_id("non_determinism.build_id", msg.build_id),
    )


def non_determinism_to_pb(found: NonDeterminism) -> cpb.NonDeterminism:
    kinds = {str(k): pb for k, pb in KIND_TO_PB.items()}
    return cpb.NonDeterminism(
        step_name=found.step_name,
        step_seq=found.step_seq,
        recorded_kind=kinds.get(found.recorded_kind, cpb.STEP_KIND_UNSPECIFIED),
        requested_kind=kinds.get(found.requested_kind, cpb.STEP_KIND_UNSPECIFIED),
        message=found.message or found.describe(),
        build_id=found.build_id,
    )


def step_to_pb(step: Step) -> wpb.JournalEntry:
    """A journal entry as workers read it."""
    entry = wpb.JournalEntry(
        name=step.name,
        seq=public_seq(step.seq),
        kind=KIND_TO_PB[step.kind],
        # A worker runs the next attempt of a step that another run left running.
        state=cpb.STEP_STATE_PENDING
        if step.state is StepState.RUNNING
        else STATE_TO_PB[step.state],
        attempts=step.attempts,
    )
    if step.result is not None:
        entry.result.data = step.result
    if step.error_type is not None:
        entry.error.CopyFrom(cpb.Failure(type=step.error_type, message=step.error_message or ""))
    if step.wake_at is not None:
        set_time(entry.wake_at, step.wake_at)
    if step.kind is StepKind.CHILD and step.event_type:
        entry.child_instance_id = step.event_type
    return entry


def task_to_pb(task: Task, lease_timeout: float) -> wpb.WorkflowTask:
    """A workflow task with its token and journal."""
    msg = wpb.WorkflowTask(
        task_token=encode(task.ref),
        workflow=task.instance.workflow,
        instance_id=task.instance.instance_id,
        params=cpb.Payload(data=task.params),
        journal=[step_to_pb(s) for s in task.journal],
        trace_parent=task.instance.trace_parent or "",
        account_id=task.instance.account_id,
        next_journal_page_token="" if task.journal_next is None else str(task.journal_next),
    )
    set_time(msg.created_at, task.instance.created_at)
    msg.lease_timeout.FromMicroseconds(int(lease_timeout * 1_000_000))
    return msg


def step_task_to_pb(claimed: ClaimedStepTask) -> wpb.StepTask:
    """An attempt of a CALL step, as its step worker receives it."""
    task = claimed.task
    msg = wpb.StepTask(
        task_token=encode(claimed.ref),
        step_type=task.step_type,
        input=cpb.Payload(data=task.input),
        attempt=task.attempt,
        workflow=claimed.instance.workflow,
        instance_id=claimed.instance.instance_id,
        step_name=task.name,
        step_seq=task.seq,
        trace_parent=task.trace_parent or "",
        account_id=task.account_id,
    )
    set_time(msg.scheduled_at, task.scheduled_at)
    started = task.attempt_started_at or task.scheduled_at
    set_time(msg.deadline, started + task.timeout_us)
    if task.heartbeat_timeout_us is not None:
        msg.heartbeat_timeout.FromMicroseconds(task.heartbeat_timeout_us)
    if task.details is not None:
        msg.heartbeat_details.data = task.details
    return msg


def failure_from_pb(msg: cpb.Failure) -> Failure:
    """A failure a worker reported (its sizes checked at the edge by shards.limits); an empty
    type becomes 'Error'. A NUL character, which
    PostgreSQL's text columns cannot hold, becomes U+FFFD, so that any text an exception
    carries is recorded, the same on every backend."""
    return Failure(
        type=_storable(msg.type or "Error"),
        message=_storable(msg.message),
        details=_storable(msg.details),
    )


def _storable(text: str) -> str:
    return text.replace("\x00", "\ufffd")


def failure_to_pb(failure: Failure) -> cpb.Failure:
    return cpb.Failure(type=failure.type, message=failure.message, details=failure.details)


def policy_from_pb(msg: wpb.RetryPolicy, field: str = "retry") -> RetryPolicy:
    """A retry policy as the worker sent it, checked: a known backoff, delays from 0 to
    MAX_RETRY_DELAY_US and a limit of at most a billion (errors name the field, e.g.
    "retry.delay")."""
    if msg.backoff not in BACKOFF_FROM_PB:
        names = ", ".join(wpb.Backoff.Name(b) for b in BACKOFF_FROM_PB)
        raise InvalidArgument(f"{field}.backoff", f"{msg.backoff} is not one of {names}")
    max_delay = (
        v.check_duration(f"{field}.max_delay", msg.max_delay, MAX_RETRY_DELAY_US)
        if msg.HasField("max_delay")
        else None
    )
    return RetryPolicy(
        limit=v.check_counter(f"{field}.limit", msg.limit),
        delay_us=v.check_duration(f"{field}.delay", msg.delay, MAX_RETRY_DELAY_US),
        backoff=BACKOFF_FROM_PB[msg.backoff],
        max_delay_us=max_delay,
    )


def step_info_to_pb(step: Step, live: bool = True) -> cpb.Step:
    """A journal entry as clients read it. A step shows as RUNNING only while its instance
    is live (held by a worker): an attempt left running by a run that ended is pending."""
    running = step.state is StepState.RUNNING and live
    state = StepState.PENDING if step.state is StepState.RUNNING and not live else step.state
    msg = cpb.Step(
        name=step.name,
        seq=public_seq(step.seq),
        kind=KIND_TO_PB[step.kind],
        state=STATE_TO_PB[state],
        attempts=step.attempts,
        event_type=step.event_type or "",
    )
    if running and step.attempt_started_at is not None:
        set_time(msg.attempt_started_at, step.attempt_started_at)
    set_time(msg.started_at, step.started_at)
    if step.ended_at is not None:
        set_time(msg.ended_at, step.ended_at)
    if step.result is not None:
        msg.output.data = step.result
    if step.error_type is not None:
        msg.error.CopyFrom(cpb.Failure(type=step.error_type, message=step.error_message or ""))
    if step.wake_at is not None:
        set_time(msg.wake_at, step.wake_at)
    return msg


HISTORY_TYPE_TO_PB: dict[str, cpb.HistoryEventType] = {
    name.removeprefix("HISTORY_EVENT_TYPE_").lower(): cast(cpb.HistoryEventType, number)
    for name, number in cpb.HistoryEventType.items()
    if number != cpb.HISTORY_EVENT_TYPE_UNSPECIFIED
}
# Where each history kind keeps the time the proto calls `until`.
_UNTIL = {
    "sleeping": "wake_at",
    "step_retry_scheduled": "retry_at",
    "rollback_retry_scheduled": "retry_at",
    "waiting_for_event": "timeout_at",
}


def history_to_pb(seq: int, entry: HistoryEntry) -> cpb.HistoryEvent:
    """A recorded history entry as clients read it."""
    detail: dict[str, Any] = entry.detail or {}
    msg = cpb.HistoryEvent(
        seq=seq,
        type=HISTORY_TYPE_TO_PB.get(entry.kind, cpb.HISTORY_EVENT_TYPE_UNSPECIFIED),
        step_name=entry.step_name or "",
        step_seq=public_seq(entry.step_seq or 0),
        attempt=entry.attempt or 0,
        event_type=detail.get("type") or "",
        worker=detail.get("worker") or "",
        reason=detail.get("reason") or "",
        task_queue=detail.get("task_queue") or "",
        step_type=detail.get("step_type") or "",
        child_workflow=detail.get("child_workflow") or "",
        child_instance_id=detail.get("child_instance_id") or "",
        build_id=detail.get("build_id") or "",
    )
    if isinstance(detail.get("non_determinism"), dict):
        found = NonDeterminism.from_json(json.dumps(detail["non_determinism"]))
        msg.non_determinism.CopyFrom(non_determinism_to_pb(found))
    set_time(msg.time, entry.at)
    if "error_type" in detail:
        msg.error.CopyFrom(
            cpb.Failure(type=detail["error_type"], message=detail.get("error_message") or "")
        )
    until = detail.get(_UNTIL.get(entry.kind, ""))
    if until is not None:
        set_time(msg.until, int(until))
    return msg
