"""Conversions between the engine's values and the protobuf messages of stepway.v1."""

from __future__ import annotations

from shards.engine import InstanceView, Task
from shards.machine import Backoff, Failure, RetryPolicy, Status, Step, StepKind, StepState
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
KIND_TO_PB = {
    StepKind.DO: wpb.STEP_KIND_DO,
    StepKind.SLEEP: wpb.STEP_KIND_SLEEP,
    StepKind.WAIT_FOR_EVENT: wpb.STEP_KIND_WAIT_FOR_EVENT,
}
STATE_TO_PB = {
    StepState.PENDING: wpb.STEP_STATE_PENDING,
    StepState.SUCCEEDED: wpb.STEP_STATE_SUCCEEDED,
    StepState.FAILED: wpb.STEP_STATE_FAILED,
}
BACKOFF_FROM_PB = {
    wpb.BACKOFF_UNSPECIFIED: Backoff.EXPONENTIAL,
    wpb.BACKOFF_CONSTANT: Backoff.CONSTANT,
    wpb.BACKOFF_LINEAR: Backoff.LINEAR,
    wpb.BACKOFF_EXPONENTIAL: Backoff.EXPONENTIAL,
}


def instance_to_pb(view: InstanceView) -> cpb.Instance:
    """The Instance message clients read."""
    inst = view.instance
    msg = cpb.Instance(
        workflow=inst.workflow,
        instance_id=inst.instance_id,
        status=STATUS_TO_PB[inst.status],
        params=cpb.Payload(data=view.params),
        task_queue=inst.task_queue,
        current_step=inst.current_step or "",
        partition=inst.partition,
    )
    msg.created_at.FromMicroseconds(inst.created_at)
    if inst.started_at is not None:
        msg.started_at.FromMicroseconds(inst.started_at)
    if inst.ended_at is not None:
        msg.ended_at.FromMicroseconds(inst.ended_at)
    if inst.output is not None:
        msg.output.data = inst.output
    if inst.error_type is not None:
        msg.error.CopyFrom(
            cpb.Failure(
                type=inst.error_type,
                message=inst.error_message or "",
                details=inst.error_details or "",
            )
        )
    return msg


def step_to_pb(step: Step) -> wpb.JournalEntry:
    """A journal entry as workers read it."""
    entry = wpb.JournalEntry(
        name=step.name,
        seq=step.seq,
        kind=KIND_TO_PB[step.kind],
        state=STATE_TO_PB[step.state],
        attempts=step.attempts,
    )
    if step.result is not None:
        entry.result.data = step.result
    if step.error_type is not None:
        entry.error.CopyFrom(cpb.Failure(type=step.error_type, message=step.error_message or ""))
    if step.wake_at is not None:
        entry.wake_at.FromMicroseconds(step.wake_at)
    return entry


def task_to_pb(task: Task, lease_timeout: float) -> wpb.WorkflowTask:
    """A workflow task with its token and journal."""
    msg = wpb.WorkflowTask(
        task_token=encode(task.ref),
        workflow=task.instance.workflow,
        instance_id=task.instance.instance_id,
        params=cpb.Payload(data=task.params),
        journal=[step_to_pb(s) for s in task.journal],
    )
    msg.created_at.FromMicroseconds(task.instance.created_at)
    msg.lease_timeout.FromMicroseconds(int(lease_timeout * 1_000_000))
    return msg


def failure_from_pb(msg: cpb.Failure) -> Failure:
    """A failure a worker reported; an empty type becomes 'Error'."""
    return Failure(type=(msg.type or "Error")[:200], message=msg.message, details=msg.details)


def failure_to_pb(failure: Failure) -> cpb.Failure:
    return cpb.Failure(type=failure.type, message=failure.message, details=failure.details)


def policy_from_pb(msg: wpb.RetryPolicy) -> RetryPolicy:
    """A retry policy as the worker sent it."""
    max_delay = msg.max_delay.ToMicroseconds() if msg.HasField("max_delay") else None
    return RetryPolicy(
        limit=msg.limit,
        delay_us=msg.delay.ToMicroseconds(),
        backoff=BACKOFF_FROM_PB[msg.backoff],
        max_delay_us=max_delay,
    )
