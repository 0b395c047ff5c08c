"""What the engine's commands answer: tasks handed to workers, instances and history pages as
clients read them, and the outcome of a failed attempt. Plain values."""

from __future__ import annotations

from dataclasses import dataclass

from shards.core.calls import StepTask
from shards.core.children import ChildLink
from shards.core.model import Failure, HistoryEntry, Instance, Status, Step, StepState, Transition
from shards.core.retention import UNSET, Retentions
from shards.tokens import StepTaskRef, TaskRef

Key = tuple[int, str]
"""(partition, uid) of an instance."""
ResultKey = tuple[str, str, str]
"""(account_id, workflow, instance_id) of an instance clients wait on."""


@dataclass(frozen=True)
class Task:
    """A workflow task handed to a worker."""

    ref: TaskRef
    instance: Instance
    params: bytes
    # The journal's first page (all of it, when journal_next is None).
    journal: list[Step]
    # Where the journal's next page starts (engine.journal_page), None when this is all.
    journal_next: int | None = None


@dataclass(frozen=True)
class ClaimedStepTask:
    """An attempt of a CALL step handed to a step worker."""

    ref: StepTaskRef
    task: StepTask
    instance: Instance


@dataclass(frozen=True)
class InstanceView:
    """An instance as clients read it, with its journal in run order when asked."""

    instance: Instance
    params: bytes
    steps: list[Step] | None = None
    # Where the next page of steps starts, None when there is none.
    steps_next: int | None = None
    # The children the instance started (read with steps).
    children: list[ChildLink] | None = None


@dataclass(frozen=True)
class HistoryPage:
    """Recorded history entries (seq, entry), whether more follow, and the instance's status."""

    entries: list[tuple[int, HistoryEntry]]
    more: bool
    status: Status


@dataclass(frozen=True)
class NewInstance:
    """One instance to create: its key, params, and retentions (None: the workflow's for that
    outcome, else the account's; shards.core.retention.pick)."""

    workflow: str
    instance_id: str
    params: bytes
    retention_us: int | None = None
    # The W3C traceparent of the creating call, when it was traced.
    trace_parent: str | None = None
    # The task queue the creating call named: the instance waits there, registered workflow or
    # not. None: the workflow's registered queue (WorkflowNotFound when it has none).
    task_queue: str | None = None
    # The retentions the creating call named per outcome (success_retention, error_retention).
    by_outcome: Retentions = UNSET
    # A child workflow's parent, as JSON (shards.core.children.ParentRef).
    parent: str | None = None


@dataclass(frozen=True)
class WorkflowInfo:
    name: str
    task_queue: str
    registered_at: int
    counts: dict[Status, int]


@dataclass(frozen=True)
class StepFailureOutcome:
    """What a failed attempt led to: a retry at a time, or the step's final failure."""

    retry_at: int | None
    exhausted: Failure | None
    # A pause took effect with the report: the worker's task ends.
    task_ended: bool = False

    @staticmethod
    def of(tr: Transition, error: Failure) -> StepFailureOutcome:
        """What a recorded failed attempt (a DO step's or a rollback's) led to; a transition
        that wrote no entry ended the task instead (a pause took effect, or the state quota
        errored the instance)."""
        if not tr.steps:
            return StepFailureOutcome(None, None, True)
        entry = tr.steps[0]
        if entry.state is StepState.FAILED:
            return StepFailureOutcome(None, error, tr.task_ended)
        return StepFailureOutcome(entry.wake_at, None, tr.task_ended)
